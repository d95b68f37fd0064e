import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import { parseAllDocuments } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { IGNORE_ANNOTATION } from "./exceptions.ts";
import { HARDENED_OBJECTS, POLICY_FIXTURES, type PolicyFixture } from "./policy.fixtures.ts";
import { evaluatePolicy, policyVerdict, type PolicyVerdict } from "./kyverno-pattern.ts";
import { kyvernoClusterConfig } from "./kyverno-config.ts";
import { kyvernoCoverage, kyvernoPolicies, kyvernoPolicyExceptions, type KyvernoSettings } from "./kyverno.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { DeclaredPolicyException } from "../model/policy-exception.ts";
import { lintObjects } from "./lint.ts";
import { POLICY_RULES, RULE_IDS } from "./rules.ts";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const CRD_PARTS = ["crds", "kyverno", "crds", "kyverno", "kyverno.io_clusterpolicies.yaml"];
const CRD_FILE = upstreamPath(...CRD_PARTS);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A CRD schema made strict the way the API server prunes: an object that lists its properties and does
 * not preserve unknown fields accepts no others.
 */
function strictSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictSchema);
  if (!isObj(schema)) return schema;
  const out: Obj = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties" && isObj(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, strictSchema(s)]));
    } else if (key === "default" || key === "enum" || key === "example") {
      out[key] = value; // values, not schemas
    } else {
      out[key] = strictSchema(value);
    }
  }
  if (
    isObj(out.properties) &&
    out["x-kubernetes-preserve-unknown-fields"] !== true &&
    out.additionalProperties === undefined
  ) {
    out.additionalProperties = false;
  }
  return out;
}

function compileClusterPolicySchema(file = CRD_FILE, kind = "ClusterPolicy", versionName = "v1"): ValidateFunction {
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
  const crd = docs.find((d) => d?.kind === "CustomResourceDefinition" && d.spec?.names?.kind === kind);
  const version = crd.spec.versions.find((v: Obj) => v.name === versionName);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  return ajv.compile(strictSchema(version.schema.openAPIV3Schema) as object);
}

const SETTINGS_MATRIX: readonly KyvernoSettings[] = [
  { environment: "dev" },
  { environment: "prod" },
  { environment: "prod", registries: ["ghcr.io/acme", "docker.io", "docker.io/bitnami"], requireDigest: true },
  {
    environment: "prod",
    argoRollouts: false,
    rules: { "read-only-root-fs": "error", "image-pinned": "warning", "no-host-path": "off" },
  },
];

/** The cluster as the Kyverno component configures it, holding the PolicyExceptions of `settings`' exceptions. */
function clusterWith(settings: KyvernoSettings, exceptions: PolicyFixture["exceptions"] = []) {
  return { ...kyvernoClusterConfig(), exceptions: kyvernoPolicyExceptions(exceptions, settings) };
}

function evaluate(fixture: PolicyFixture): PolicyVerdict {
  const settings: KyvernoSettings = { environment: "dev", ...fixture.settings };
  const policy = kyvernoPolicies(settings).find((p) => p.metadata.name === fixture.rule);
  if (!policy) throw new Error(`no Kyverno policy for ${fixture.rule}`);
  return policyVerdict(evaluatePolicy(policy, fixture.objects[0], { cluster: clusterWith(settings, fixture.exceptions) }));
}

function offlineFails(fixture: PolicyFixture): boolean {
  return fixture.offline.length > 0;
}

describe.skipIf(skipWithoutUpstream(...CRD_PARTS))("kyvernoPolicies: valid against the Kyverno ClusterPolicy CRD (strict)", () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = compileClusterPolicySchema();
  });

  it("GIVEN a policy with a misspelled field WHEN validated THEN the strict schema rejects it (the check can fail)", () => {
    const [policy] = kyvernoPolicies({ environment: "dev" });
    const broken = structuredClone(policy) as Obj;
    ((broken.spec as Obj).rules as Obj[])[0].validate = {
      ...(((broken.spec as Obj).rules as Obj[])[0].validate as Obj),
      failurAction: "Audit",
    };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toContain(
      '/spec/rules/0/validate must NOT have additional properties {"additionalProperty":"failurAction"}',
    );
  });

  for (const settings of SETTINGS_MATRIX) {
    it(`every policy validates for ${JSON.stringify(settings)}`, () => {
      const policies = kyvernoPolicies(settings);
      expect(policies.length).toBeGreaterThan(0);
      for (const policy of policies) {
        const ok = validate(policy);
        expect(ok ? [] : validate.errors, policy.metadata.name).toEqual([]);
      }
    });
  }
});

describe("kyvernoPolicies: shape", () => {
  it("generates one ClusterPolicy per rule Kyverno can express, and lists the others with a reason", () => {
    const coverage = kyvernoCoverage();
    expect(coverage.enforced).toEqual([
      "image-pinned",
      "registry-allowed",
      "resources-set",
      "run-as-non-root",
      "no-privileged",
      "no-privilege-escalation",
      "read-only-root-fs",
      "probes-set",
      "no-host-namespaces",
      "no-host-path",
      "capabilities-dropped",
      "no-root-group",
      "no-host-port",
      "no-ssh-port",
      "no-unsafe-sysctls",
    ]);
    expect(coverage.offlineOnly.map((o) => o.id)).toEqual([
      "no-plain-secret",
      "no-duplicate-env",
      "pdb-for-replicated",
      "hpa-min-max",
      "replicas-with-autoscaler",
      "pdb-allows-drain",
      "service-selects-pods",
      "config-change-restarts",
    ]);
    for (const o of coverage.offlineOnly) expect(o.reason.length).toBeGreaterThan(20);
    const names = kyvernoPolicies({ environment: "prod", registries: ["ghcr.io/acme"] }).map((p) => p.metadata.name);
    expect(names).toEqual(coverage.enforced);
  });

  it("leaves out registry-allowed when the cluster has no allow-list, and rules that are off", () => {
    const names = kyvernoPolicies({ environment: "dev", rules: { "no-host-path": "off" } }).map((p) => p.metadata.name);
    expect(names).not.toContain("registry-allowed");
    expect(names).not.toContain("no-host-path");
    expect(names).toContain("image-pinned");
  });

  it("enforces errors in prod, audits warnings in prod and everything in dev", () => {
    const actions = (settings: KyvernoSettings) =>
      Object.fromEntries(
        kyvernoPolicies(settings).map((p) => {
          const rules = (p.spec as Obj).rules as { validate: { failureAction: string } }[];
          return [p.metadata.name, [...new Set(rules.map((r) => r.validate.failureAction))].join()];
        }),
      );
    const prod = actions({ environment: "prod", rules: { "image-pinned": "warning" } });
    expect(prod["run-as-non-root"]).toBe("Enforce");
    expect(prod["read-only-root-fs"]).toBe("Audit");
    expect(prod["image-pinned"]).toBe("Audit");
    const dev = actions({ environment: "dev" });
    expect(new Set(Object.values(dev))).toEqual(new Set(["Audit"]));
  });

  it("annotates each policy with the rule's title, rationale and severity, and excludes nothing by annotation", () => {
    const policy = kyvernoPolicies({ environment: "prod", rules: { "probes-set": "error" } }).find(
      (p) => p.metadata.name === "probes-set",
    )!;
    const rule = POLICY_RULES.find((r) => r.id === "probes-set")!;
    expect(policy.metadata.annotations).toMatchObject({
      "policies.kyverno.io/title": rule.title,
      "policies.kyverno.io/description": `${rule.rationale} ${rule.hint}`,
      "policies.kyverno.io/severity": "high",
      "pod-policies.kyverno.io/autogen-controllers": "none",
    });
    const rules = (policy.spec as Obj).rules as Obj[];
    expect(rules.map((r) => r.name)).toEqual(["probes-set-pod", "probes-set-workload"]);
    expect(rules[1].match).toEqual({
      any: [
        {
          resources: {
            kinds: ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "argoproj.io/v1alpha1/Rollout"],
          },
        },
      ],
    });
    expect(rules[0].exclude).toBeUndefined();
    expect(JSON.stringify(policy)).not.toContain(IGNORE_ANNOTATION);
  });

  it("matches Rollout only when the cluster serves Argo Rollouts", () => {
    const policy = kyvernoPolicies({ environment: "dev", argoRollouts: false }).find(
      (p) => p.metadata.name === "image-pinned",
    )!;
    const kinds = ((policy.spec as Obj).rules as { match: { any: { resources: { kinds: string[] } }[] } }[]).flatMap(
      (r) => r.match.any[0].resources.kinds,
    );
    expect(kinds).toEqual(["Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"]);
  });

  it("gives every Kyverno rule a unique name of at most 63 characters", () => {
    const names = kyvernoPolicies({ environment: "prod", registries: ["docker.io"] }).flatMap((p) =>
      ((p.spec as Obj).rules as Obj[]).map((r) => r.name as string),
    );
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
  });

  it("throws on an unknown rule in settings, like lint", () => {
    expect(() => kyvernoPolicies({ environment: "prod", rules: { "no-latest": "off" } })).toThrow(
      'policy settings: unknown rule "no-latest" in rules (known rules: image-pinned, registry-allowed, resources-set, run-as-non-root, no-privileged, no-privilege-escalation, read-only-root-fs, probes-set, no-host-namespaces, no-host-path, capabilities-dropped, no-root-group, no-host-port, no-ssh-port, no-unsafe-sysctls, no-plain-secret, no-duplicate-env, pdb-for-replicated, hpa-min-max, replicas-with-autoscaler, pdb-allows-drain, service-selects-pods, config-change-restarts)',
    );
  });
});

describe("fixtures: the offline check and the Kyverno policy agree", () => {
  it("has a passing and a failing manifest for every rule", () => {
    for (const id of RULE_IDS) {
      const own = POLICY_FIXTURES.filter((f) => f.rule === id);
      expect(
        own.some((f) => f.offline.length === 0),
        `${id} passing`,
      ).toBe(true);
      expect(
        own.some((f) => f.offline.length > 0),
        `${id} failing`,
      ).toBe(true);
    }
  });

  for (const fixture of POLICY_FIXTURES) {
    it(`${fixture.rule}: ${fixture.name}`, () => {
      const rule = POLICY_RULES.find((r) => r.id === fixture.rule)!;
      if (!rule.kyverno.expressible) {
        expect(fixture.kyverno).toEqual({ verdict: "offline-only" });
        expect(kyvernoPolicies({ environment: "prod", ...fixture.settings }).map((p) => p.metadata.name)).not.toContain(
          fixture.rule,
        );
        return;
      }
      const verdict = evaluate(fixture);
      const expected = fixture.kyverno;
      if (expected.verdict === "pass") {
        expect(verdict).toEqual({
          status: "pass",
          rule: expected.rule,
          paths: [],
          ...(expected.anyPattern !== undefined ? { anyPattern: expected.anyPattern } : {}),
        });
      } else if (expected.verdict === "fail") {
        expect(verdict).toEqual({ status: "fail", rule: expected.rule, paths: expected.at });
      } else if (expected.verdict === "skip") {
        expect({ status: verdict.status, reason: verdict.reason }).toEqual({ status: "skip", reason: expected.reason });
      } else {
        throw new Error(`${fixture.rule} has a Kyverno policy; the fixture must say what it does`);
      }
      // The offline findings must be those the fixture lists (lint.test.ts checks them message by message).
      const settings = { environment: "dev" as const, ...fixture.settings };
      const offline = lintObjects(
        fixture.objects.map((object, id) => ({ object, id })),
        settings,
        { exceptions: fixture.exceptions, today: "2026-12-06" },
      ).filter((r) => r.id === 0 && (r.finding.rule === fixture.rule || r.finding.rule === "policy-exception"));
      expect(offline.length > 0).toBe(offlineFails(fixture));
      const kyvernoFails = verdict.status === "fail";
      if (fixture.divergence) {
        expect(kyvernoFails, "a fixture that declares a divergence must diverge").not.toBe(offlineFails(fixture));
      } else {
        expect(kyvernoFails, "offline and Kyverno verdicts differ; fix the rule or declare the divergence").toBe(
          offlineFails(fixture),
        );
      }
    });
  }

  it("passes hardened manifests of every pod-bearing kind through every policy", () => {
    const policies = kyvernoPolicies({ environment: "prod", registries: ["ghcr.io/acme"] });
    for (const object of HARDENED_OBJECTS) {
      for (const policy of policies) {
        const verdict = policyVerdict(evaluatePolicy(policy, object, { cluster: kyvernoClusterConfig() }));
        expect(verdict.status, `${object.kind} / ${policy.metadata.name}`).not.toBe("fail");
      }
    }
  });
});

describe("owned objects, resource filters and excluded namespaces (the cluster as configured)", () => {
  const policies = kyvernoPolicies({ environment: "prod" });
  const cluster = kyvernoClusterConfig();
  const badPod = (metadata: Obj): Obj => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "api-7d9f", namespace: "shop", ...metadata },
    spec: { containers: [{ name: "api", image: "nginx:latest", securityContext: { privileged: true } }] },
  });
  const failing = (resource: unknown) =>
    policies.filter((p) => policyVerdict(evaluatePolicy(p, resource, { cluster })).status === "fail").map((p) => p.metadata.name);
  const reasons = (resource: unknown) => [...new Set(policies.map((p) => policyVerdict(evaluatePolicy(p, resource, { cluster })).reason))];

  it("GIVEN a Pod naming a ConfigMap as its controller THEN every policy still checks it (no ownerReferences bypass)", () => {
    const bypass = badPod({ ownerReferences: [{ apiVersion: "v1", kind: "ConfigMap", name: "anything", uid: "1", controller: true }] });
    expect(failing(bypass)).toEqual(["image-pinned", "resources-set", "run-as-non-root", "no-privileged", "no-privilege-escalation", "read-only-root-fs", "probes-set", "capabilities-dropped"]);
  });

  it("GIVEN a Pod a checked ReplicaSet controls THEN the policies skip it (the ReplicaSet was checked)", () => {
    const owned = badPod({ ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "api-7d9f", uid: "1", controller: true }] });
    expect(reasons(owned)).toEqual(["precondition"]);
  });

  it("GIVEN an owner that is not the controller, or a look-alike kind in another group THEN the Pod is checked", () => {
    expect(failing(badPod({ ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: "1" }] }))).toContain("no-privileged");
    expect(failing(badPod({ ownerReferences: [{ apiVersion: "example.com/v1", kind: "ReplicaSet", name: "x", uid: "1", controller: true }] }))).toContain(
      "no-privileged",
    );
  });

  it("GIVEN a bare ReplicaSet or ReplicationController THEN it is checked in the cluster (not filtered)", () => {
    const template = { metadata: { labels: { app: "api" } }, spec: (badPod({}) as { spec: unknown }).spec };
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "api", namespace: "shop" }, spec: { selector: { matchLabels: { app: "api" } }, template } };
    const rc = { apiVersion: "v1", kind: "ReplicationController", metadata: { name: "api", namespace: "shop" }, spec: { selector: { app: "api" }, template } };
    expect(failing(rs)).toContain("no-privileged");
    expect(failing(rc)).toContain("no-privileged");
    // With the chart's default filters a ReplicaSet is never checked: the gap the component's values close.
    const chartDefault = { ...cluster, resourceFilters: [...cluster.resourceFilters, "[ReplicaSet,*,*]"] };
    expect(policyVerdict(evaluatePolicy(policies[0], rs, { cluster: chartDefault })).reason).toBe("filtered");
  });

  it("GIVEN an object in an excluded namespace THEN Kyverno never checks it", () => {
    for (const namespace of ["kube-system", "kube-public", "kube-node-lease", "kyverno"]) {
      expect(reasons(badPod({ namespace }))).toEqual(["filtered"]);
    }
    expect(cluster.excludedNamespaces).toEqual(["kube-node-lease", "kube-public", "kube-system", "kyverno"]);
  });
});

describe("kyverno exemptions for chart namespaces", () => {
  it("GIVEN a namespace exempt from a rule THEN that rule's policy excludes the namespace and others do not", () => {
    const policies = kyvernoPolicies({
      environment: "prod",
      exemptions: [{ namespaces: ["metallb-system"], rules: ["no-host-namespaces"], reason: "the speaker uses the host network" }],
    });
    const byName = new Map(policies.map((p) => [p.metadata.name, p]));
    const excluded = (name: string) =>
      ((byName.get(name)!.spec as { rules: { exclude?: { any: { resources: { namespaces?: string[] } }[] } }[] }).rules[0].exclude?.any ?? []).flatMap(
        (e) => e.resources.namespaces ?? [],
      );
    expect(excluded("no-host-namespaces")).toEqual(["metallb-system"]);
    expect(excluded("image-pinned")).toEqual([]);
  });

  it("GIVEN an exemption naming an unknown rule or without a reason THEN it is refused", () => {
    expect(() => kyvernoPolicies({ environment: "prod", exemptions: [{ namespaces: ["x"], rules: ["no-hostpath"], reason: "r" }] })).toThrow(
      'policy settings: unknown rule "no-hostpath" in exemptions for x',
    );
    expect(() => kyvernoPolicies({ environment: "prod", exemptions: [{ namespaces: ["x"], rules: ["no-host-path"], reason: " " }] })).toThrow(
      "policy settings: the exemption of x from no-host-path needs a reason",
    );
  });
});

const EXCEPTION_CRD_PARTS = ["crds", "kyverno", "crds", "kyverno", "kyverno.io_policyexceptions.yaml"];

describe("typed exceptions as Kyverno PolicyExceptions", () => {
  const exceptions: DeclaredPolicyException[] = [
    {
      component: "monitoring",
      namespace: "monitoring",
      rule: "no-host-path",
      objects: [{ kind: "DaemonSet", name: "node-exporter" }, { kind: "DaemonSet", namespace: "logging", name: "promtail" }],
      reason: "reads the node's /proc and /sys",
      expires: "2027-06-30",
    },
    { component: "monitoring", namespace: "monitoring", rule: "no-host-path", objects: [{ name: "alloy" }], reason: "tails /var/log/pods" },
    { component: "shop", namespace: "shop", rule: "no-duplicate-env", objects: [{ name: "api" }], reason: "offline-only rule" },
  ];
  const settings: KyvernoSettings = { environment: "prod" };
  const generated = kyvernoPolicyExceptions(exceptions, settings);

  it("GIVEN typed exceptions THEN one PolicyException each, in the exception namespace, for rules with a policy", () => {
    expect(generated.map((e) => `${e.metadata.namespace}/${e.metadata.name}`)).toEqual([
      "policy-exceptions/monitoring-no-host-path",
      "policy-exceptions/monitoring-no-host-path-2",
    ]);
    expect(generated[0]).toEqual({
      apiVersion: "kyverno.io/v2",
      kind: "PolicyException",
      metadata: {
        name: "monitoring-no-host-path",
        namespace: "policy-exceptions",
        labels: { "app.kubernetes.io/managed-by": "typed-gitops" },
        annotations: {
          "policy.typed-gitops.dev/component": "monitoring",
          "policy.typed-gitops.dev/reason": "reads the node's /proc and /sys",
          "policy.typed-gitops.dev/expires": "2027-06-30",
        },
      },
      spec: {
        exceptions: [{ policyName: "no-host-path", ruleNames: ["no-host-path-pod", "no-host-path-workload", "no-host-path-cronjob"] }],
        match: {
          any: [
            { resources: { kinds: ["DaemonSet"], namespaces: ["monitoring"], names: ["node-exporter"] } },
            { resources: { kinds: ["DaemonSet"], namespaces: ["logging"], names: ["promtail"] } },
          ],
        },
      },
    });
  });

  it("GIVEN a malformed exception THEN generating refuses it, naming the component", () => {
    expect(() => kyvernoPolicyExceptions([{ ...exceptions[1], rule: "no-hostpath" }], settings)).toThrow(
      'policy settings: policy exception of component "monitoring" names unknown rule "no-hostpath" (did you mean "no-host-path"?)',
    );
  });

  it("GIVEN the generated PolicyException THEN Kyverno (as modelled) and lint waive exactly the same objects", () => {
    const policy = kyvernoPolicies(settings).find((p) => p.metadata.name === "no-host-path")!;
    const daemonSet = (namespace: string, name: string): KubeObject => ({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name, namespace },
      spec: { selector: {}, template: { spec: { containers: [{ name: "c", image: "x:1" }], volumes: [{ name: "p", hostPath: { path: "/proc" } }] } } },
    });
    const objects = [daemonSet("monitoring", "node-exporter"), daemonSet("logging", "promtail"), daemonSet("logging", "node-exporter"), daemonSet("monitoring", "alloy")];
    for (const cluster of [{ ...kyvernoClusterConfig(), exceptions: generated }]) {
      const kyvernoWaives = objects.map((o) => policyVerdict(evaluatePolicy(policy, o, { cluster })).reason === "exception");
      const lintWaives = objects.map(
        (o) => !lintObjects([{ object: o, id: 0 }], settings, { exceptions, today: "2026-12-06" }).some((r) => r.finding.rule === "no-host-path"),
      );
      expect(kyvernoWaives).toEqual([true, true, false, true]);
      expect(lintWaives).toEqual(kyvernoWaives);
    }
    // Kyverno honours PolicyExceptions only in the configured namespace: one elsewhere waives nothing.
    const elsewhere = generated.map((e) => ({ ...e, metadata: { ...e.metadata, namespace: "shop" } }));
    const verdict = policyVerdict(evaluatePolicy(policy, objects[0], { cluster: { ...kyvernoClusterConfig(), exceptions: elsewhere } }));
    expect(verdict.status).toBe("fail");
  });

  describe.skipIf(skipWithoutUpstream(...EXCEPTION_CRD_PARTS))("against the Kyverno PolicyException CRD (v2, strict)", () => {
    it("validates every generated PolicyException, and rejects a misspelled field", () => {
      const validate = compileClusterPolicySchema(upstreamPath(...EXCEPTION_CRD_PARTS), "PolicyException", "v2");
      for (const exception of generated) expect(validate(exception) ? [] : validate.errors).toEqual([]);
      const broken = structuredClone(generated[0]) as Obj;
      (broken.spec as Obj).exception = [];
      expect(validate(broken)).toBe(false);
    });
  });
});

describe("run-as-non-root: lint and the policy agree on every security-context combination", () => {
  it("GIVEN 729 combinations of pod and two containers' runAsNonRoot/runAsUser THEN both give the same verdict", () => {
    const values = { runAsNonRoot: [undefined, true, false], runAsUser: [undefined, 0, 1000] } as const;
    const contexts: Record<string, unknown>[] = [];
    for (const runAsNonRoot of values.runAsNonRoot) for (const runAsUser of values.runAsUser) contexts.push(JSON.parse(JSON.stringify({ runAsNonRoot, runAsUser })));
    const policy = kyvernoPolicies({ environment: "prod" }).find((p) => p.metadata.name === "run-as-non-root")!;
    const disagreements: string[] = [];
    let total = 0;
    for (const podContext of contexts) {
      for (const first of contexts) {
        for (const second of contexts) {
          total++;
          const object = {
            apiVersion: "v1",
            kind: "Pod",
            metadata: { name: "p", namespace: "shop" },
            spec: { securityContext: podContext, containers: [{ name: "a", image: "x:1", securityContext: first }, { name: "b", image: "x:1", securityContext: second }] },
          };
          const kyvernoFails = policyVerdict(evaluatePolicy(policy, object, { cluster: kyvernoClusterConfig() })).status === "fail";
          const lintFails = lintObjects([{ object, id: 0 }], { environment: "prod" }).some((r) => r.finding.rule === "run-as-non-root");
          if (kyvernoFails !== lintFails) disagreements.push(JSON.stringify(object.spec));
        }
      }
    }
    expect(total).toBe(729);
    expect(disagreements).toEqual([]);
  });
});

describe("image references: lint and the policies agree however an image is spelled", () => {
  const IMAGES = [
    "nginx:1", "nginx", "nginx@", "nginx@sha256:abc", "library/nginx:1", "docker.io/nginx:1", "index.docker.io/nginx:1",
    "docker.io/library/nginx:1", "index.docker.io/library/nginx:1", "docker.io/bitnami/redis:1", "bitnami/redis:1",
    "ghcr.io/acme/x:1", "ghcr.io/acmex:1", "ghcr.io/acme@sha256:x", "localhost/x:1", "registry:5000/x", "registry:5000/x:1", "nginx:latest",
  ];
  for (const registries of [["docker.io/library"], ["docker.io"], ["docker.io/library/nginx"], ["ghcr.io/acme"]]) {
    it(`GIVEN registries ${JSON.stringify(registries)} THEN image-pinned and registry-allowed agree on every spelling`, () => {
      const settings: KyvernoSettings = { environment: "prod", registries };
      const policies = kyvernoPolicies(settings).filter((p) => ["registry-allowed", "image-pinned"].includes(p.metadata.name));
      const disagreements: string[] = [];
      for (const image of IMAGES) {
        const object = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "shop" }, spec: { containers: [{ name: "c", image }] } };
        for (const policy of policies) {
          const kyvernoFails = policyVerdict(evaluatePolicy(policy, object)).status === "fail";
          const lintFails = lintObjects([{ object, id: 0 }], settings).some((r) => r.finding.rule === policy.metadata.name);
          if (kyvernoFails !== lintFails) disagreements.push(`${policy.metadata.name} ${image}: policy ${kyvernoFails ? "fails" : "passes"}, lint ${lintFails ? "fails" : "passes"}`);
        }
      }
      expect(disagreements).toEqual([]);
    });
  }
});
