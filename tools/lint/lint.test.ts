import { describe, expect, it } from "vitest";
import { formatPath, type ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { DeclaredPolicyException } from "../model/policy-exception.ts";
import { IGNORE_ANNOTATION } from "./exceptions.ts";
import { HARDENED_OBJECTS, POLICY_FIXTURES } from "./policy.fixtures.ts";
import { parseImageRef } from "./image-ref.ts";
import { lintObject, lintObjects, lintSet } from "./lint.ts";
import { POLICY_RULES, RULE_IDS, ruleDescriptors } from "./rules.ts";
import { resolvePolicySettings, type PolicySettings } from "./settings.ts";

const brief = (f: ObjectFinding) => ({
  rule: f.rule,
  severity: f.severity,
  message: f.message,
  path: formatPath(f.path),
});

/** A Deployment whose only problems are the ones a test adds. */
function deployment(containerPatch: Record<string, unknown> = {}, annotations?: Record<string, string>): KubeObject {
  const hardened = HARDENED_OBJECTS.find((o) => o.kind === "Deployment")!;
  const copy = structuredClone(hardened);
  if (annotations) copy.metadata.annotations = annotations;
  const spec = (copy.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
  spec.containers[0] = { ...spec.containers[0], ...containerPatch };
  return copy;
}

const DEV: PolicySettings = { environment: "dev" };

describe("rules", () => {
  it("are exactly the rule ids, each with a title, rationale and hint", () => {
    expect(POLICY_RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const rule of POLICY_RULES) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.title.length, rule.id).toBeGreaterThan(10);
      expect(rule.rationale.length, rule.id).toBeGreaterThan(40);
      expect(rule.hint.length, rule.id).toBeGreaterThan(20);
    }
    expect(ruleDescriptors().map((d) => d.id)).toEqual([...RULE_IDS, "policy-exception"]);
  });

  it("report nothing for hardened manifests of every pod-bearing kind", () => {
    const results = lintObjects(
      HARDENED_OBJECTS.map((object, id) => ({ object, id })),
      { environment: "prod", registries: ["ghcr.io/acme"] },
    );
    expect(results).toEqual([]);
  });
});

describe("fixtures: offline findings, message by message", () => {
  for (const fixture of POLICY_FIXTURES) {
    it(`${fixture.rule}: ${fixture.name}`, () => {
      const settings: PolicySettings = { environment: "dev", ...fixture.settings };
      const findings = lintObjects(
        fixture.objects.map((object, id) => ({ object, id })),
        settings,
        { exceptions: fixture.exceptions, today: "2026-12-06" },
      )
        .filter((r) => r.id === 0 && (r.finding.rule === fixture.rule || r.finding.rule === "policy-exception"))
        .map((r) => ({ message: r.finding.message, path: formatPath(r.finding.path) }));
      expect(findings).toEqual(fixture.offline);
    });
  }
});

describe("typed exceptions (component.ts policyExceptions)", () => {
  const root = deployment({ image: "nginx:latest", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } });
  root.metadata.namespace = "shop";
  const rulesOf = (findings: ObjectFinding[]) => [...new Set(findings.map((f) => f.rule))];
  const exception = (patch: Partial<DeclaredPolicyException> = {}): DeclaredPolicyException => ({
    component: "shop",
    namespace: "shop",
    rule: "run-as-non-root",
    objects: [{ kind: "Deployment", name: root.metadata.name }],
    reason: "the image's entrypoint needs root",
    ...patch,
  });
  const lint = (exceptions: DeclaredPolicyException[], today = "2026-12-06") => lintSet([{ object: root, id: 0 }], DEV, { exceptions, today });

  it("GIVEN no exception THEN the rules report", () => {
    expect(rulesOf(lintObject(root, DEV))).toEqual(["image-pinned", "run-as-non-root", "read-only-root-fs"]);
  });

  it("GIVEN exceptions naming the object THEN exactly those rules are waived", () => {
    const report = lint([exception(), exception({ rule: "read-only-root-fs", objects: [{ name: root.metadata.name }] })]);
    expect(rulesOf(report.objects.map((r) => r.finding))).toEqual(["image-pinned"]);
    expect(report.exceptions).toEqual([]);
  });

  it("GIVEN an exception for another namespace or kind THEN it waives nothing and is reported as matching nothing", () => {
    const report = lint([exception({ objects: [{ kind: "Deployment", namespace: "other", name: root.metadata.name }] }), exception({ objects: [{ kind: "StatefulSet", name: root.metadata.name }] })]);
    expect(rulesOf(report.objects.map((r) => r.finding))).toContain("run-as-non-root");
    expect(report.exceptions.map((e) => brief(e.finding))).toEqual([
      {
        rule: "policy-exception",
        severity: "warning",
        message: `policy exception of component "shop" for "run-as-non-root" names Deployment other/${root.metadata.name}, which is not among the objects checked: remove it if it is stale`,
        path: "",
      },
      {
        rule: "policy-exception",
        severity: "warning",
        message: `policy exception of component "shop" for "run-as-non-root" names StatefulSet shop/${root.metadata.name}, which is not among the objects checked: remove it if it is stale`,
        path: "",
      },
    ]);
  });

  it("GIVEN the declaring component's chart was not rendered THEN an exception naming nothing checked is not called stale (the chart is reported on its own)", () => {
    const stale = exception({ objects: [{ kind: "DaemonSet", name: "node-agent" }] });
    expect(lint([stale]).exceptions.map((e) => e.finding.severity)).toEqual(["warning"]);
    const partly = lintSet([{ object: root, id: 0 }], DEV, { exceptions: [stale], today: "2026-12-06", partlyChecked: new Set(["shop"]) });
    expect(partly.exceptions).toEqual([]);
  });

  it("GIVEN an expired exception THEN it is an error and waives nothing; on its last day it still holds", () => {
    const expired = lint([exception({ expires: "2026-12-05" })], "2026-12-06");
    expect(rulesOf(expired.objects.map((r) => r.finding))).toContain("run-as-non-root");
    expect(expired.exceptions.map((e) => [e.finding.severity, e.finding.message])).toEqual([
      ["error", 'policy exception of component "shop" for "run-as-non-root" expired on 2026-12-05: fix the objects or renew it with a new date and reason'],
    ]);
    const lastDay = lint([exception({ expires: "2026-12-06" })], "2026-12-06");
    expect(rulesOf(lastDay.objects.map((r) => r.finding))).not.toContain("run-as-non-root");
    expect(lastDay.exceptions).toEqual([]);
  });

  it("GIVEN a malformed exception THEN each mistake is an error naming the component, and it waives nothing", () => {
    const report = lint([
      exception({ rule: "run-as-nonroot" }),
      exception({ reason: " " }),
      exception({ objects: [] }),
      exception({ expires: "2026-02-30" }),
    ]);
    expect(report.exceptions.map((e) => e.finding.message)).toEqual([
      'policy exception of component "shop" names unknown rule "run-as-nonroot" (did you mean "run-as-non-root"?)',
      'policy exception of component "shop" for "run-as-non-root" has no reason: say why the objects cannot follow the rule',
      'policy exception of component "shop" for "run-as-non-root" lists no objects',
      'policy exception of component "shop" for "run-as-non-root": expires must be a day written YYYY-MM-DD, got "2026-02-30"',
    ]);
    expect(report.exceptions.every((e) => e.finding.severity === "error")).toBe(true);
    expect(rulesOf(report.objects.map((r) => r.finding))).toContain("run-as-non-root");
  });

  it("GIVEN the retired ignore annotation THEN it waives nothing and is an error at the annotation", () => {
    const object = deployment({ image: "nginx:latest" }, { [IGNORE_ANNOTATION]: "image-pinned: we like latest" });
    expect(lintObject(object, DEV).map(brief)).toEqual([
      {
        rule: "policy-exception",
        severity: "error",
        message: `the annotation ${IGNORE_ANNOTATION} waives nothing: anyone who can write the object could exempt it`,
        path: `metadata.annotations["${IGNORE_ANNOTATION}"]`,
      },
      {
        rule: "image-pinned",
        severity: "error",
        message: 'container "api" image "nginx:latest" uses the :latest tag',
        path: "spec.template.spec.containers[0].image",
      },
    ]);
  });
});

describe("settings", () => {
  const object = deployment({
    image: "nginx:latest",
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
  });

  it("turns a rule off", () => {
    const findings = lintObject(object, { environment: "dev", rules: { "image-pinned": "off" } });
    expect(findings.map((f) => f.rule)).toEqual(["read-only-root-fs"]);
  });

  it("overrides a rule's severity both ways", () => {
    const findings = lintObject(object, {
      environment: "dev",
      rules: { "image-pinned": "warning", "read-only-root-fs": "error" },
    });
    expect(findings.map((f) => [f.rule, f.severity])).toEqual([
      ["image-pinned", "warning"],
      ["read-only-root-fs", "error"],
    ]);
    expect(lintObject(object, DEV).map((f) => [f.rule, f.severity])).toEqual([
      ["image-pinned", "error"],
      ["read-only-root-fs", "warning"],
    ]);
  });

  it("throws on an unknown rule id, suggesting the near one", () => {
    expect(() => lintObject(object, { environment: "prod", rules: { "run-as-nonroot": "off" } })).toThrow(
      'policy settings: unknown rule "run-as-nonroot" in rules (did you mean "run-as-non-root"?)',
    );
    expect(() => lintObject(object, { environment: "prod", rules: { latest: "off" } })).toThrow(
      `policy settings: unknown rule "latest" in rules (known rules: ${RULE_IDS.join(", ")})`,
    );
  });

  it("throws on a severity that is not off, error or warning", () => {
    const settings = { environment: "prod", rules: { "image-pinned": "fatal" } } as unknown as PolicySettings;
    expect(() => resolvePolicySettings(settings)).toThrow(
      'policy settings: rules["image-pinned"] must be "off", "error" or "warning", got "fatal"',
    );
  });

  it("throws on an unknown environment", () => {
    expect(() => resolvePolicySettings({ environment: "staging" } as unknown as PolicySettings)).toThrow(
      'policy settings: environment must be one of "dev", "prod", got "staging"',
    );
  });

  it("rejects an empty allow-list and entries that are not registries", () => {
    expect(() => resolvePolicySettings({ environment: "prod", registries: [] })).toThrow(
      "policy settings: registries is empty, which would allow no image at all; leave it out to allow any registry",
    );
    expect(() => resolvePolicySettings({ environment: "prod", registries: ["ghcr.io/*"] })).toThrow(
      'policy settings: registries entry "ghcr.io/*" is not a registry host or path prefix (like "ghcr.io/acme" or "registry.k8s.io:443"); wildcards are not allowed',
    );
    expect(
      resolvePolicySettings({ environment: "prod", registries: ["index.docker.io/", "ghcr.io/acme/"] }).registries,
    ).toEqual(["docker.io", "ghcr.io/acme"]);
  });
});

describe("registry allow-list", () => {
  const imageFindings = (image: string, registries: string[]) =>
    lintObject(deployment({ image }), { environment: "prod", registries }).map((f) => f.message);

  it.each([
    ["ghcr.io/acme/api:1.0", ["ghcr.io/acme"], []],
    ["ghcr.io/acme:1.0", ["ghcr.io/acme"], []],
    ["registry.k8s.io/ingress-nginx/controller:v1.11.2", ["registry.k8s.io"], []],
    ["index.docker.io/library/nginx:1.27", ["docker.io"], []],
    ["docker.io/bitnami/redis:7.2", ["docker.io/bitnami"], []],
    ["bitnami/redis:7.2", ["docker.io/bitnami"], []],
    [
      "registry.k8s.io:443/pause:3.10",
      ["registry.k8s.io"],
      ['container "api" image "registry.k8s.io:443/pause:3.10" is not from an allowed registry (registry.k8s.io)'],
    ],
    [
      "quay.io/prometheus/node-exporter:v1.8.2",
      ["ghcr.io", "docker.io"],
      [
        'container "api" image "quay.io/prometheus/node-exporter:v1.8.2" is not from an allowed registry (ghcr.io, docker.io)',
      ],
    ],
  ] as const)("%s with %j", (image, registries, expected) => {
    expect(imageFindings(image, [...registries])).toEqual(expected);
  });

  it("checks nothing without an allow-list", () => {
    expect(lintObject(deployment({ image: "quay.io/x/y:1" }), { environment: "prod" })).toEqual([]);
  });
});

describe("digest requirement", () => {
  const digest = "sha256:" + "ab".repeat(32);

  it("flags a tag without a digest only when the cluster requires digests", () => {
    const object = deployment({ image: "ghcr.io/acme/api:1.4.2" });
    expect(lintObject(object, { environment: "prod" })).toEqual([]);
    expect(lintObject(object, { environment: "prod", requireDigest: true }).map(brief)).toEqual([
      {
        rule: "image-pinned",
        severity: "error",
        message:
          'container "api" image "ghcr.io/acme/api:1.4.2" is not pinned by digest, which this cluster requires (name@sha256:…)',
        path: "spec.template.spec.containers[0].image",
      },
    ]);
    expect(
      lintObject(deployment({ image: `ghcr.io/acme/api:1.4.2@${digest}` }), {
        environment: "prod",
        requireDigest: true,
      }),
    ).toEqual([]);
  });

  it("reports :latest as :latest, not as a missing digest", () => {
    expect(
      lintObject(deployment({ image: "nginx:latest" }), { environment: "prod", requireDigest: true }).map(
        (f) => f.message,
      ),
    ).toEqual(['container "api" image "nginx:latest" uses the :latest tag']);
  });
});

describe("lintObjects", () => {
  it("skips values that are not Kubernetes objects and keeps the caller's ids", () => {
    const results = lintObjects(
      [
        { object: null, id: 7 },
        { object: "text", id: 8 },
        { object: { kind: "Deployment" }, id: 9 },
        { object: deployment({ image: "nginx" }), id: 10 },
      ],
      DEV,
    );
    expect(results.map((r) => [r.id, r.finding.rule, r.finding.message])).toEqual([
      [10, "image-pinned", 'container "api" image "nginx" has no tag, so it pulls :latest'],
    ]);
  });

  it("names the container and the problem for an unhardened manifest", () => {
    const object: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: {
            hostNetwork: true,
            containers: [
              {
                name: "web",
                image: "nginx",
                securityContext: { privileged: true, runAsUser: 0 },
                env: [
                  { name: "A", value: "1" },
                  { name: "A", value: "2" },
                ],
              },
            ],
            volumes: [{ name: "logs", hostPath: { path: "/var/log" } }],
          },
        },
      },
    };
    expect(
      lintObject(object, { environment: "prod" }).map(
        (f) => `${f.rule} ${f.severity}: ${f.message} @ ${formatPath(f.path)}`,
      ),
    ).toEqual([
      'image-pinned error: container "web" image "nginx" has no tag, so it pulls :latest @ spec.template.spec.containers[0].image',
      'resources-set error: container "web" has no CPU request @ spec.template.spec.containers[0].resources.requests.cpu',
      'resources-set error: container "web" has no memory request @ spec.template.spec.containers[0].resources.requests.memory',
      'resources-set error: container "web" has no memory limit @ spec.template.spec.containers[0].resources.limits.memory',
      'run-as-non-root error: container "web" runs as root (runAsUser: 0) @ spec.template.spec.containers[0].securityContext.runAsUser',
      'no-privileged error: container "web" is privileged (privileged: true) @ spec.template.spec.containers[0].securityContext.privileged',
      'no-privilege-escalation error: container "web" does not set allowPrivilegeEscalation: false @ spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'read-only-root-fs warning: container "web" has a writable root filesystem: set readOnlyRootFilesystem: true @ spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
      'probes-set warning: container "web" has no liveness probe @ spec.template.spec.containers[0].livenessProbe',
      'probes-set warning: container "web" has no readiness probe @ spec.template.spec.containers[0].readinessProbe',
      "no-host-namespaces error: pod shares the host's network namespace (hostNetwork: true) @ spec.template.spec.hostNetwork",
      'no-host-path error: volume "logs" mounts the host path "/var/log" @ spec.template.spec.volumes[0].hostPath',
      'capabilities-dropped warning: container "web" does not drop ALL capabilities @ spec.template.spec.containers[0].securityContext.capabilities.drop',
      'no-duplicate-env error: container "web" sets env var "A" 2 times (env[0], env[1]); the last one wins @ spec.template.spec.containers[0].env[1].name',
      'pdb-for-replicated error: Deployment "web" runs 2 replicas in prod but no PodDisruptionBudget selects its pods (app=web) @ spec.replicas',
    ]);
  });
});

describe("parseImageRef", () => {
  it.each([
    ["nginx", { registry: "docker.io", repository: "library/nginx", tag: undefined, digest: undefined }],
    ["nginx:1.27", { registry: "docker.io", repository: "library/nginx", tag: "1.27", digest: undefined }],
    ["bitnami/redis:7.2", { registry: "docker.io", repository: "bitnami/redis", tag: "7.2", digest: undefined }],
    ["localhost:5000/api", { registry: "localhost:5000", repository: "api", tag: undefined, digest: undefined }],
    ["localhost/api:1", { registry: "localhost", repository: "api", tag: "1", digest: undefined }],
    ["index.docker.io/nginx:1", { registry: "docker.io", repository: "library/nginx", tag: "1", digest: undefined }],
    [
      "ghcr.io/acme/api:1.4@sha256:abc",
      { registry: "ghcr.io", repository: "acme/api", tag: "1.4", digest: "sha256:abc" },
    ],
  ] as const)("%s", (image, expected) => {
    expect(parseImageRef(image)).toEqual(expected);
  });
});
