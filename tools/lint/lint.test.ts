import { describe, expect, it } from "vitest";
import { formatPath, type ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { IGNORE_ANNOTATION, parsePolicyExceptions } from "./exceptions.ts";
import { HARDENED_OBJECTS, POLICY_FIXTURES } from "./fixtures.ts";
import { parseImageRef } from "./image-ref.ts";
import { lintObject, lintObjects } from "./lint.ts";
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
      )
        .filter((r) => r.id === 0 && (r.finding.rule === fixture.rule || r.finding.rule === "policy-exception"))
        .map((r) => ({ message: r.finding.message, path: formatPath(r.finding.path) }));
      expect(findings).toEqual(fixture.offline);
    });
  }
});

describe("exceptions: the policy.typed-gitops.dev/ignore annotation", () => {
  const root = deployment({ image: "nginx:latest", securityContext: { allowPrivilegeEscalation: false } });
  const rulesOf = (findings: ObjectFinding[]) => [...new Set(findings.map((f) => f.rule))];

  it("GIVEN no exception THEN the rules report", () => {
    expect(rulesOf(lintObject(root, DEV))).toEqual(["image-pinned", "run-as-non-root", "read-only-root-fs"]);
  });

  it("GIVEN entries with reasons THEN exactly those rules are waived", () => {
    const object = deployment(
      { image: "nginx:latest", securityContext: { allowPrivilegeEscalation: false } },
      {
        [IGNORE_ANNOTATION]:
          "run-as-non-root: the chart's init container needs root; read-only-root-fs: writes a cache;",
      },
    );
    expect(rulesOf(lintObject(object, DEV))).toEqual(["image-pinned"]);
  });

  it("GIVEN an entry without a reason THEN it is a policy-exception error at the annotation", () => {
    const object = deployment({ image: "nginx:latest" }, { [IGNORE_ANNOTATION]: "image-pinned" });
    expect(lintObject(object, DEV).map(brief)).toEqual([
      {
        rule: "policy-exception",
        severity: "error",
        message: 'policy exception for "image-pinned" has no reason: write "image-pinned: <why>"',
        path: `metadata.annotations["${IGNORE_ANNOTATION}"]`,
      },
    ]);
    const colonOnly = deployment({ image: "nginx:latest" }, { [IGNORE_ANNOTATION]: "image-pinned:   " });
    expect(lintObject(colonOnly, DEV).map((f) => f.message)).toEqual([
      'policy exception for "image-pinned" has no reason: write "image-pinned: <why>"',
    ]);
  });

  it("GIVEN an unknown rule THEN it is a finding and waives nothing", () => {
    const object = deployment({ image: "nginx:latest" }, { [IGNORE_ANNOTATION]: "imag-pinned: we like latest" });
    expect(lintObject(object, DEV).map(brief)).toEqual([
      {
        rule: "policy-exception",
        severity: "error",
        message: 'policy exception names unknown rule "imag-pinned" (did you mean "image-pinned"?)',
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

  it("GIVEN a malformed or empty annotation THEN the message says how to write it", () => {
    expect(parsePolicyExceptions("run-as-non-root : needs root").problems).toEqual([
      'policy exception "run-as-non-root : needs root" is malformed: write "<rule-id>: <reason>"',
    ]);
    expect(parsePolicyExceptions(" ; ").problems).toEqual([`${IGNORE_ANNOTATION} is empty`]);
    expect(parsePolicyExceptions("policy-exception: no").problems).toEqual([
      `policy exception names unknown rule "policy-exception" (known rules: ${RULE_IDS.join(", ")})`,
    ]);
  });

  it("GIVEN a reason containing colons THEN the first colon ends the rule id", () => {
    const parsed = parsePolicyExceptions("no-host-path: node-exporter reads /proc: read-only");
    expect([...parsed.ignored]).toEqual(["no-host-path"]);
    expect(parsed.problems).toEqual([]);
  });
});

describe("settings", () => {
  const object = deployment({
    image: "nginx:latest",
    securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
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
