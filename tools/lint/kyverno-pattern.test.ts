import { describe, expect, it } from "vitest";
import {
  evaluatePolicy,
  matchPattern,
  parseQuantity,
  policyVerdict,
  stringPatternMatches,
  valueMatches,
  wildcardMatch,
} from "./kyverno-pattern.ts";

describe("wildcardMatch", () => {
  it.each([
    ["*", "", true],
    ["*", "a/b:c", true],
    ["?", "", false],
    ["?", "x", true],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["*:latest", "nginx:latest", true],
    ["*:latest", "nginx:latest-alpine", false],
    ["ghcr.io/*", "ghcr.io/acme/api:1", true],
    ["ghcr.io/*", "ghcr.io", false],
    ["*.*/*", "bitnami/redis:7.2", false],
    ["*.*/*", "quay.io/x", true],
    ["a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac", false],
    ["ü?", "üx", true],
  ] as const)("%s ~ %s → %s", (pattern, name, expected) => {
    expect(wildcardMatch(pattern, name)).toBe(expected);
  });
});

describe("string patterns: operators, alternatives, conjunctions", () => {
  it.each([
    ["!*:latest", "nginx:1.27", true],
    ["!*:latest", "nginx:latest", false],
    ["Never | OnFailure", "OnFailure", true],
    ["Never | OnFailure", "Always", false],
    ["*:* & !*:latest", "nginx:1", true],
    ["*:* & !*:latest", "nginx", false],
    ["*@* | !*:latest & *:*", "nginx@sha256:00", true],
    ["?*", "", false],
    ["?*", "x", true],
    ["?*", 2, true],
    ["?*", null, false],
    ["?*", { cpu: 1 }, false],
    [">0", 1000, true],
    [">0", 0, false],
    [">0", "5", true],
    [">0", null, false],
    [">=1Gi", "2Gi", true],
    [">=1Gi", "512Mi", false],
    ["<=500m", "0.5", true],
    ["!0", 3, true],
    ["true", true, true],
    [">a", "b", false],
  ] as const)("%s against %j → %s", (pattern, value, expected) => {
    expect(stringPatternMatches(value, pattern)).toBe(expected);
  });

  it("parses Kubernetes quantities", () => {
    expect([
      parseQuantity("100m"),
      parseQuantity("1Ki"),
      parseQuantity("1e3"),
      parseQuantity("1.5G"),
      parseQuantity("1 GB"),
    ]).toEqual([0.1, 1024, 1000, 1.5e9, undefined]);
  });
});

describe("scalar and map patterns (Kyverno's ValidateValueWithPattern)", () => {
  it.each([
    [false, false, true],
    [false, "false", false],
    [false, null, false],
    [1, "1", true],
    [1, 1, true],
    [1.5, "1.5", true],
    [null, null, true],
    [null, "", true],
    [null, 0, true],
    [null, {}, false],
    [{}, { a: 1 }, true],
    [{}, "x", false],
  ] as const)("pattern %j against %j → %s", (pattern, value, expected) => {
    expect(valueMatches(value, pattern)).toBe(expected);
  });
});

describe("matchPattern: maps, arrays and anchors", () => {
  const pod = {
    spec: {
      containers: [
        { name: "a", image: "nginx:1", securityContext: { runAsNonRoot: true } },
        { name: "b", image: "nginx:latest" },
      ],
      volumes: [{ name: "v", hostPath: { path: "/" } }],
    },
  };

  it("requires every plain key and reports the path where the resource departs", () => {
    expect(matchPattern(pod, { spec: { containers: [{ image: "!*:latest" }] } })).toEqual({
      status: "fail",
      path: "/spec/containers/1/image/",
      message: "resource value 'nginx:latest' does not match '!*:latest' at path /spec/containers/1/image/",
    });
    expect(matchPattern(pod, { spec: { containers: [{ securityContext: { runAsNonRoot: true } }] } })).toMatchObject({
      status: "fail",
      path: "/spec/containers/1/securityContext/",
    });
  });

  it('"*" requires the field to exist with a value', () => {
    expect(matchPattern(pod, { spec: { volumes: "*" } }).status).toBe("pass");
    expect(matchPattern(pod, { spec: { hostNetwork: "*" } }).status).toBe("fail");
  });

  it("=(key) checks the value only when the key is present", () => {
    const pattern = { spec: { containers: [{ "=(securityContext)": { "=(runAsNonRoot)": true } }] } };
    expect(matchPattern(pod, pattern).status).toBe("pass");
    const bad = { spec: { containers: [{ securityContext: { runAsNonRoot: false } }] } };
    expect(matchPattern(bad, pattern)).toMatchObject({
      status: "fail",
      path: "/spec/containers/0/securityContext/runAsNonRoot/",
    });
  });

  it("X(key) forbids the key whatever its value", () => {
    expect(matchPattern(pod, { spec: { "=(volumes)": [{ "X(hostPath)": "null" }] } })).toEqual({
      status: "fail",
      path: "/spec/volumes/0/hostPath/",
      message: "negation anchor matched in resource: /spec/volumes/0/hostPath/ is not allowed",
    });
  });

  it("(key) makes the rest of its map conditional: elements that do not match it are skipped", () => {
    const pattern = { spec: { containers: [{ "(name)": "b", image: "!*:latest" }] } };
    expect(matchPattern(pod, pattern)).toMatchObject({ status: "fail", path: "/spec/containers/1/image/" });
    const onlyA = { spec: { containers: [{ "(name)": "a", image: "!*:latest" }] } };
    expect(matchPattern(pod, onlyA).status).toBe("pass");
    const none = { spec: { containers: [{ "(name)": "zzz", image: "!*:latest" }] } };
    expect(matchPattern(pod, none).status).toBe("skip");
  });

  it("^(key) requires one element of the list to match", () => {
    expect(matchPattern(pod, { spec: { "^(containers)": [{ name: "b" }] } }).status).toBe("pass");
    expect(matchPattern(pod, { spec: { "^(containers)": [{ name: "c" }] } })).toMatchObject({
      status: "fail",
      path: "/spec/containers/",
    });
  });

  it("<(key) skips what it does not hold for, and the whole rule when it holds nowhere", () => {
    expect(matchPattern(pod, { spec: { containers: [{ "<(image)": "*:latest", name: "b" }] } }).status).toBe("pass");
    expect(matchPattern(pod, { spec: { containers: [{ "<(image)": "*:latest", name: "a" }] } })).toMatchObject({
      status: "fail",
      path: "/spec/containers/1/name/",
    });
    expect(matchPattern(pod, { spec: { containers: [{ "<(image)": "quay.io/*" }] }, hostNetwork: true }).status).toBe(
      "skip",
    );
  });

  it("applies a scalar pattern to each value of a list", () => {
    expect(matchPattern({ args: ["--a", "--b"] }, { args: "--*" }).status).toBe("pass");
    expect(matchPattern({ args: ["--a", "-b"] }, { args: ["--*"] }).status).toBe("fail");
  });

  it("checks anchored keys before plain ones", () => {
    const resource = { securityContext: {}, containers: [{ securityContext: { runAsUser: 0 } }] };
    const pattern = {
      securityContext: { runAsUser: ">0" },
      "=(containers)": [{ "=(securityContext)": { "=(runAsUser)": ">0" } }],
    };
    expect(matchPattern(resource, pattern)).toMatchObject({
      status: "fail",
      path: "/containers/0/securityContext/runAsUser/",
    });
  });
});

describe("evaluatePolicy", () => {
  const policy = {
    spec: {
      rules: [
        {
          name: "rollouts",
          match: { any: [{ resources: { kinds: ["argoproj.io/v1alpha1/Rollout", "Pod/ephemeralcontainers"] } }] },
          exclude: { any: [{ resources: { annotations: { "x.dev/ignore": "*pinned:*" } } }] },
          validate: { anyPattern: [{ spec: { replicas: 1 } }, { spec: { replicas: ">2" } }] },
        },
      ],
    },
  };
  const rollout = (replicas: number, annotations?: Record<string, string>) => ({
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: { name: "r", annotations },
    spec: { replicas },
  });

  it("matches kinds by group/version/kind, honours exclude, and reports anyPattern alternatives", () => {
    expect(evaluatePolicy(policy, rollout(3))).toEqual([
      { rule: "rollouts", status: "pass", paths: [], anyPattern: 1 },
    ]);
    expect(evaluatePolicy(policy, rollout(2))).toEqual([
      { rule: "rollouts", status: "fail", paths: ["/spec/replicas/", "/spec/replicas/"] },
    ]);
    expect(evaluatePolicy(policy, rollout(2, { "x.dev/ignore": "pinned: why" }))).toEqual([
      { rule: "rollouts", status: "skip", reason: "excluded", paths: [] },
    ]);
    expect(evaluatePolicy(policy, { ...rollout(2), apiVersion: "other.io/v1" })[0].reason).toBe("not-matched");
    expect(evaluatePolicy(policy, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" } })[0].reason).toBe(
      "not-matched",
    );
  });

  it("sums rules up: a failing rule fails the policy", () => {
    expect(
      policyVerdict([
        { rule: "a", status: "skip", reason: "not-matched", paths: [] },
        { rule: "b", status: "pass", paths: [] },
        { rule: "c", status: "fail", paths: ["/x/"] },
      ]),
    ).toEqual({ status: "fail", rule: "c", paths: ["/x/"] });
  });

  it("reports an error for a rule it cannot evaluate rather than guessing, and evaluates the policy's other rules", () => {
    const unsupported = {
      spec: {
        rules: [
          { ...policy.spec.rules[0], name: "op", preconditions: { all: [{ key: 1, operator: "Matches", value: 1 }] } },
          { name: "ctx", match: { any: [{ resources: { kinds: ["Rollout"] } }] }, context: [{ name: "x", apiCall: { urlPath: "/api" } }], validate: { pattern: {} } },
          policy.spec.rules[0],
        ],
      },
    };
    expect(evaluatePolicy(unsupported, rollout(3)).map((e) => [e.rule, e.status, e.message])).toEqual([
      ["op", "error", 'condition operator "Matches"'],
      ["ctx", "error", "rule ctx: context entry x needs apiCall, which the evaluator cannot reach offline"],
      ["rollouts", "pass", undefined],
    ]);
  });
});

describe("Kyverno's semantics the evaluator once got wrong", () => {
  it.each([
    // a value equal to the whole pattern matches before `|` splits it
    ["a|b", "a|b", true],
    ["c", "a|b", false],
    // ranges and negated ranges
    [5, "1-10", true],
    [11, "1-10", false],
    ["500m", "0-1", true],
    [11, "1!-10", true],
    [5, "1!-10", false],
    // durations are compared as durations, before quantities
    ["45s", ">30s", true],
    ["12s", ">30s", false],
    ["1m", ">30s", true],
    ["1h", "<=60m", true],
    // `!` on something that starts with a digit but is no quantity is a string negation
    ["1.2.3", "!1.2.4", true],
    ["1.2.3", "!1.2.3", false],
    ["10.0.0.1", "!10.0.*", false],
    // floats compare as quantities with Kyverno's six-decimal rendering
    [0.5, ">0.25", true],
  ] as const)("value %j against %j → %s", (value, pattern, expected) => {
    expect(valueMatches(value, pattern)).toBe(expected);
  });

  it("evaluates anchors in sorted key order: the conditional (name) filters before =(image) checks", () => {
    const pattern = { spec: { containers: [{ "=(image)": "!*:latest", "(name)": "web" }] } };
    const pod = { spec: { containers: [{ name: "db", image: "postgres:latest" }, { name: "web", image: "nginx:1.27" }] } };
    expect(matchPattern(pod, pattern)).toEqual({ status: "pass" });
  });

  it("expands wildcard label keys to the resource's keys", () => {
    const pattern = { metadata: { labels: { "app.kubernetes.io/*": "?*" } } };
    expect(matchPattern({ metadata: { labels: { "app.kubernetes.io/name": "api" } } }, pattern)).toEqual({ status: "pass" });
    expect(matchPattern({ metadata: { labels: { team: "a" } } }, pattern).status).toBe("fail");
  });

  const podRule = (validate: object, extra: object = {}) => ({
    metadata: { name: "p" },
    spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Pod"] } }] }, ...extra, validate }] },
  });
  const pod = (containers: object[], metadata: object = {}) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "x", ...metadata }, spec: { containers } });
  const deployment = (containers: object[]) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "x" },
    spec: { template: { metadata: { labels: { app: "x" } }, spec: { containers } } },
  });

  it("generates autogen rules for Pod controllers, pattern and deny alike", () => {
    const policy = podRule({ pattern: { spec: { containers: [{ image: "!*:latest" }] } } });
    expect(evaluatePolicy(policy, deployment([{ name: "a", image: "nginx:latest" }])).map((e) => [e.rule, e.status, e.paths])).toEqual([
      ["r", "skip", []],
      ["autogen-r", "fail", ["/spec/template/spec/containers/0/image/"]],
      ["autogen-cronjob-r", "skip", []],
    ]);
    const deny = podRule({ deny: { conditions: { any: [{ key: "{{ request.object.spec.containers[].image }}", operator: "AnyIn", value: ["*:latest"] }] } } });
    expect(policyVerdict(evaluatePolicy(deny, deployment([{ name: "a", image: "nginx:latest" }]))).rule).toBe("autogen-r");
    expect(policyVerdict(evaluatePolicy(deny, deployment([{ name: "a", image: "nginx:1" }]))).status).toBe("pass");
    const none = { ...policy, metadata: { name: "p", annotations: { "pod-policies.kyverno.io/autogen-controllers": "none" } } };
    expect(evaluatePolicy(none, deployment([])).map((e) => e.rule)).toEqual(["r"]);
  });

  it("evaluates foreach with element preconditions, and preconditions with JMESPath", () => {
    const policy = podRule({
      foreach: [
        {
          list: "request.object.spec.containers",
          preconditions: { all: [{ key: "{{ element.name }}", operator: "NotEquals", value: "sidecar" }] },
          deny: { conditions: { all: [{ key: "{{ element.image }}", operator: "Equals", value: "*:latest" }] } },
        },
      ],
    });
    expect(policyVerdict(evaluatePolicy(policy, pod([{ name: "sidecar", image: "x:latest" }]))).status).toBe("skip");
    expect(policyVerdict(evaluatePolicy(policy, pod([{ name: "sidecar", image: "x:latest" }, { name: "app", image: "y:1" }]))).status).toBe("pass");
    expect(policyVerdict(evaluatePolicy(policy, pod([{ name: "app", image: "y:latest" }]))).status).toBe("fail");
    const onlyTeamA = podRule({ pattern: { spec: { containers: [{ image: "ghcr.io/*" }] } } }, { preconditions: { all: [{ key: "{{ request.object.metadata.labels.team || '' }}", operator: "Equals", value: "a" }] } });
    expect(policyVerdict(evaluatePolicy(onlyTeamA, pod([{ name: "c", image: "nginx" }]))).reason).toBe("precondition");
    expect(policyVerdict(evaluatePolicy(onlyTeamA, pod([{ name: "c", image: "nginx" }], { labels: { team: "a" } }))).status).toBe("fail");
  });

  it("resolves $() references relative to the referencing key, with an operator", () => {
    const policy = podRule({ pattern: { metadata: { labels: { app: "$(../../name)" } } } });
    expect(policyVerdict(evaluatePolicy(policy, pod([], { labels: { app: "x" } }))).status).toBe("pass");
    expect(policyVerdict(evaluatePolicy(policy, pod([], { labels: { app: "y" } }))).status).toBe("fail");
    const requests = podRule({ pattern: { spec: { containers: [{ resources: { requests: { memory: "$(<=./../../limits/memory)" } } }] } } });
    const sized = (request: string) => pod([{ name: "c", image: "x", resources: { requests: { memory: request }, limits: { memory: "1Gi" } } }]);
    expect(policyVerdict(evaluatePolicy(requests, sized("512Mi"))).status).toBe("pass");
    expect(policyVerdict(evaluatePolicy(requests, sized("2Gi"))).status).toBe("fail");
  });
});

describe("the kyverno test values the evaluator takes", () => {
  const policy = {
    metadata: { name: "p" },
    spec: {
      rules: [
        {
          name: "r",
          match: { any: [{ resources: { kinds: ["ConfigMap"], namespaceSelector: { matchLabels: { tier: "prod" } } } }] },
          context: [{ name: "allowed", configMap: { name: "roles", namespace: "default" } }],
          validate: { deny: { conditions: { any: [{ key: "{{ request.object.metadata.annotations.role }}", operator: "AnyNotIn", value: "{{ allowed.data.roles }}" }] } } },
        },
      ],
    },
  };
  const cm = (role: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "shop", annotations: { role } } });
  const variables = () => ({ "allowed.data.roles": '["app","web"]' });
  const namespaceLabels = { shop: { tier: "prod" } };

  it("GIVEN a context entry's value and namespace labels THEN the rule is decided offline (a JSON list in a string is a list)", () => {
    expect(policyVerdict(evaluatePolicy(policy, cm("web"), { variables, namespaceLabels })).status).toBe("pass");
    expect(policyVerdict(evaluatePolicy(policy, cm("db"), { variables, namespaceLabels })).status).toBe("fail");
    expect(policyVerdict(evaluatePolicy(policy, cm("db"), { variables, namespaceLabels: { shop: { tier: "dev" } } })).reason).toBe("not-matched");
  });

  it("GIVEN no value for a context entry that reads the cluster THEN that rule is an error, not a guess", () => {
    expect(evaluatePolicy(policy, cm("web"), { namespaceLabels }).map((e) => [e.status, e.message])).toEqual([
      ["error", "rule r: context entry allowed needs configMap, which the evaluator cannot reach offline"],
    ]);
  });

  it("GIVEN a value for request.object with a quoted key THEN it stands for the object, in match too", () => {
    const annotated = {
      metadata: { name: "q" },
      spec: { rules: [{ name: "r", match: { any: [{ resources: { kinds: ["Role"], annotations: { "example.com/platform": "true" } } }] }, validate: { deny: {} } }] },
    };
    const role = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "shop" } };
    expect(policyVerdict(evaluatePolicy(annotated, role)).reason).toBe("not-matched");
    const set = () => ({ 'request.object.metadata.annotations."example.com/platform"': "true" });
    expect(policyVerdict(evaluatePolicy(annotated, role, { variables: set })).status).toBe("fail");
  });
});
