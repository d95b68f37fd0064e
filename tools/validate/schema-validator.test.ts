import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readIndex } from "../schemas/schema-files.ts";
import { createSchemaValidator, DEFAULT_SCHEMA_DIR, describeValue } from "./schema-validator.ts";

const validator = createSchemaValidator();

function deployment(): Record<string, any> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "backend", namespace: "apps", labels: { app: "backend" } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "backend" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: "backend" } },
        spec: {
          containers: [
            {
              name: "backend",
              image: "registry.example.com/backend:1.2.3",
              imagePullPolicy: "IfNotPresent",
              ports: [{ name: "http", containerPort: 8080 }],
              env: [{ name: "LOG_LEVEL", value: "info" }],
              resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: 1, memory: "256Mi" } },
              readinessProbe: { httpGet: { path: "/healthz", port: "http" } },
              livenessProbe: { httpGet: { path: "/healthz", port: 8080 } },
            },
          ],
        },
      },
    },
  };
}

function application(): Record<string, any> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: { name: "backend", namespace: "argocd" },
    spec: {
      project: "platform",
      source: {
        repoURL: "https://git.example.com/platform.git",
        targetRevision: "main",
        chart: "backend",
        helm: { valuesObject: { anything: { goes: [1, "two"] } } },
      },
      destination: { server: "https://kubernetes.default.svc", namespace: "apps" },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ["CreateNamespace=true"] },
    },
  };
}

function rollout(): Record<string, any> {
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    metadata: { name: "backend" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "backend" } },
      template: deployment().spec.template,
      strategy: {
        canary: {
          canaryService: "backend-canary",
          stableService: "backend-stable",
          trafficRouting: { istio: { virtualService: { name: "backend", routes: ["primary"] } } },
          steps: [{ setWeight: 20 }, { pause: { duration: "30s" } }, { setWeight: 50 }, { pause: { duration: 30 } }, { setWeight: 100 }],
        },
      },
    },
  };
}

describe("valid objects", () => {
  it("pass without findings", () => {
    const objects: Record<string, any>[] = [
      deployment(),
      application(),
      rollout(),
      { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: "https" }] } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { "app.yaml": "a: 1\n" } },
      {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: "letsencrypt" },
        spec: { acme: { server: "https://acme-v02.api.letsencrypt.org/directory", email: "ops@example.com", privateKeySecretRef: { name: "le" }, solvers: [{ http01: { ingress: { ingressClassName: "nginx" } } }] } },
      },
      {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "backend" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "backend" }, minReplicas: 2, maxReplicas: 10, metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }] },
      },
    ];
    for (const o of objects) expect({ kind: o.kind, findings: validator.validate(o) }).toEqual({ kind: o.kind, findings: [] });
  });

  it("accept null as 'not set' and keep status allowed", () => {
    const d = deployment();
    d.metadata.creationTimestamp = null;
    d.spec.strategy = null;
    d.spec.template.spec.containers[0].imagePullPolicy = null;
    d.status = { replicas: 3, readyReplicas: 3, conditions: [{ type: "Available", status: "True" }] };
    expect(validator.validate(d)).toEqual([]);
  });
});

describe("findings", () => {
  it("report an unknown field at the field, with a suggestion", () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolciy = "Always";
    expect(validator.validate(d)).toEqual([
      {
        rule: "schema/unknown-field",
        severity: "error",
        message: 'spec.template.spec.containers[0]: unknown field "imagePullPolciy"',
        path: ["spec", "template", "spec", "containers", 0, "imagePullPolciy"],
        hint: 'did you mean "imagePullPolicy"?',
      },
    ]);
  });

  it("find unknown fields in an env var, an Argo CD syncPolicy and a Rollout canary step", () => {
    const d = deployment();
    d.spec.template.spec.containers[0].env[0] = { name: "A", valeu: "1" };
    expect(validator.validate(d).map((f) => [f.rule, f.message])).toEqual([["schema/unknown-field", 'spec.template.spec.containers[0].env[0]: unknown field "valeu"']]);

    const a = application();
    a.spec.syncPolicy.automated = { prune: true, selfHael: true };
    expect(validator.validate(a)).toEqual([
      {
        rule: "schema/unknown-field",
        severity: "error",
        message: 'spec.syncPolicy.automated: unknown field "selfHael"',
        path: ["spec", "syncPolicy", "automated", "selfHael"],
        hint: 'did you mean "selfHeal"?',
      },
    ]);

    const r = rollout();
    r.spec.strategy.canary.steps[2] = { setWieght: 50 };
    expect(validator.validate(r).map((f) => [f.rule, f.message, f.path])).toEqual([
      ["schema/unknown-field", 'spec.strategy.canary.steps[2]: unknown field "setWieght"', ["spec", "strategy", "canary", "steps", 2, "setWieght"]],
    ]);
  });

  it("report a wrong type with the field path and the value", () => {
    const d = deployment();
    d.spec.replicas = "three";
    d.spec.template.spec.containers[0].ports[0].containerPort = 80.5;
    expect(validator.validate(d)).toEqual([
      { rule: "schema/type", severity: "error", message: 'spec.replicas must be integer, got string "three"', path: ["spec", "replicas"] },
      {
        rule: "schema/type",
        severity: "error",
        message: "spec.template.spec.containers[0].ports[0].containerPort must be integer, got number 80.5",
        path: ["spec", "template", "spec", "containers", 0, "ports", 0, "containerPort"],
      },
    ]);
  });

  it("accept int-or-string as either, and nothing else", () => {
    const d = deployment();
    d.spec.template.spec.containers[0].readinessProbe.httpGet.port = true;
    expect(validator.validate(d).map((f) => f.message)).toEqual([
      "spec.template.spec.containers[0].readinessProbe.httpGet.port must be integer or string, got boolean true",
    ]);
  });

  it("report a missing required field under its parent", () => {
    const d = deployment();
    delete d.spec.template.spec.containers;
    expect(validator.validate(d)).toEqual([
      {
        rule: "schema/required",
        severity: "error",
        message: 'spec.template.spec: missing required field "containers"',
        path: ["spec", "template", "spec", "containers"],
      },
    ]);
  });

  it("report a value outside an enum with the allowed values", () => {
    const service = { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancr", ports: [{ port: 80 }] } };
    expect(validator.validate(service)).toEqual([
      {
        rule: "schema/enum",
        severity: "error",
        message: 'spec.type: "LoadBalancr" is not one of ClusterIP, ExternalName, LoadBalancer, NodePort',
        path: ["spec", "type"],
      },
    ]);
  });

  it("GIVEN a kind that only a chart's CRD defines (MetalLB, Kargo, Velero, CloudNativePG) outside a cluster THEN an unknown-kind warning: its schema comes from the CRD the cluster installs", () => {
    for (const [apiVersion, kind] of [["metallb.io/v1beta1", "IPAddressPool"], ["kargo.akuity.io/v1alpha1", "Stage"], ["velero.io/v1", "Schedule"], ["postgresql.cnpg.io/v1", "Cluster"]]) {
      expect(validator.validate({ apiVersion, kind, metadata: { name: "p" }, spec: { adresses: ["10.0.0.0/24"] } })).toEqual([
        {
          rule: "schema/unknown-kind",
          severity: "warning",
          message: `no schema for ${kind} of apiVersion ${apiVersion}, so its fields are not checked`,
          path: ["kind"],
          hint: "if a CRD defines it, import the CRD: gitops schemas import <crd.yaml>",
        },
      ]);
    }
  });

  it.each([
    ["apps/v1", "Deploymnet", "Deploymnet is not a kind of apps/v1, and no CRD can add one to the built-in group apps", "did you mean Deployment?"],
    ["v1", "ConfigMapp", "ConfigMapp is not a kind of v1, and no CRD can add one to the built-in group core (v1)", "did you mean ConfigMap?"],
    ["networking.k8s.io/v1", "Ingres", "Ingres is not a kind of networking.k8s.io/v1, and no CRD can add one to the built-in group networking.k8s.io", "did you mean Ingress?"],
  ])("GIVEN %s %s, a kind typo in a built-in group THEN an error with the nearest kind", (apiVersion, kind, message, hint) => {
    expect(validator.validate({ apiVersion, kind, metadata: { name: "x" } })).toEqual([{ rule: "schema/unknown-kind", severity: "error", message, path: ["kind"], hint }]);
  });

  it("warn once about a kind without a schema, naming the versions it knows", () => {
    expect(validator.validate({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { anything: 1 } })).toEqual([
      {
        rule: "schema/unknown-kind",
        severity: "warning",
        message: "no schema for Widget of apiVersion example.com/v1, so its fields are not checked",
        path: ["kind"],
        hint: "if a CRD defines it, import the CRD: gitops schemas import <crd.yaml>",
      },
    ]);
    expect(validator.validate({ apiVersion: "networking.k8s.io/v2", kind: "Ingress", metadata: { name: "i" } })[0]!.hint).toBe(
      "schemas know Ingress in extensions/v1beta1, networking.k8s.io/v1, networking.k8s.io/v1beta1",
    );
  });

  it("leave objects without apiVersion or kind to other rules", () => {
    expect(validator.validate({ kind: "Deployment", metadata: { name: "x" } })).toEqual([]);
    expect(validator.validate("not an object")).toEqual([]);
  });
});

describe("knows", () => {
  it("answers from the index without compiling", () => {
    expect(validator.knows("apps/v1", "Deployment")).toBe(true);
    expect(validator.knows("cert-manager.io/v1", "Certificate")).toBe(true);
    expect(validator.knows("kargo.akuity.io/v1alpha1", "Stage")).toBe(false);
    expect(validator.knows("apps/v1", "Widget")).toBe(false);
  });
});

describe("every kind of the committed schemas", () => {
  it("compiles and validates a minimal object without throwing", () => {
    const index = readIndex(DEFAULT_SCHEMA_DIR);
    const fresh = createSchemaValidator();
    let count = 0;
    for (const [apiVersion, kinds] of Object.entries(index.kinds)) {
      for (const kind of Object.keys(kinds)) {
        const findings = fresh.validate({ apiVersion, kind, metadata: {} });
        expect(findings.filter((f) => f.rule === "schema/unknown-kind")).toEqual([]);
        count++;
      }
    }
    expect(count).toBeGreaterThan(550);
  });
});

describe("extraSchemaDirs", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "schemas-extra-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "index.json"),
    JSON.stringify({ kinds: { "example.com/v1": { Widget: "example.json#/definitions/Widget" }, v1: { ConfigMap: "example.json#/definitions/StrictConfigMap" } } }),
  );
  writeFileSync(
    path.join(dir, "example.json"),
    JSON.stringify({
      definitions: {
        Widget: {
          type: "object",
          required: ["apiVersion", "kind", "spec"],
          additionalProperties: false,
          properties: { apiVersion: { enum: ["example.com/v1"] }, kind: { enum: ["Widget"] }, metadata: { type: "object" }, spec: { $ref: "#/definitions/WidgetSpec" } },
        },
        WidgetSpec: { type: "object", additionalProperties: false, properties: { size: { type: "integer", minimum: 1 } } },
        StrictConfigMap: { type: "object", additionalProperties: false, properties: { apiVersion: {}, kind: {}, metadata: {}, data: { type: "object", maxProperties: 1 } } },
      },
    }),
  );
  const extended = createSchemaValidator({ extraSchemaDirs: [dir] });

  it("adds kinds, and replaces a kind of the main directory", () => {
    expect(extended.validate({ apiVersion: "example.com/v1", kind: "Widget", metadata: {}, spec: { size: 2 } })).toEqual([]);
    expect(extended.validate({ apiVersion: "example.com/v1", kind: "Widget", metadata: {}, spec: { size: 0, colour: "red" } })).toEqual([
      { rule: "schema/unknown-field", severity: "error", message: 'spec: unknown field "colour"', path: ["spec", "colour"] },
      { rule: "schema/minimum", severity: "error", message: "spec.size must be >= 1, got number 0", path: ["spec", "size"] },
    ]);
    expect(extended.validate({ apiVersion: "v1", kind: "ConfigMap", metadata: {}, data: { a: "1", b: "2" } }).map((f) => f.rule)).toEqual(["schema/maxProperties"]);
    // The main directory still serves the rest.
    expect(extended.validate(deployment())).toEqual([]);
  });
});

describe("a broken schema directory", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "schemas-broken-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, "index.json"), JSON.stringify({ kinds: { "example.com/v1": { Widget: "missing.json#/definitions/Widget", Gadget: "bad.json#/definitions/Gadget" } } }));
  writeFileSync(path.join(dir, "bad.json"), JSON.stringify({ definitions: { Gadget: { type: "object", properties: { a: { $ref: "#/definitions/Nowhere" } } } } }));

  it("gives one error finding per kind instead of throwing", () => {
    const broken = createSchemaValidator({ schemaDir: dir });
    const [widget] = broken.validate({ apiVersion: "example.com/v1", kind: "Widget" });
    expect(widget!.rule).toBe("schema/invalid-schema");
    expect(widget!.message).toBe(`the schema of Widget (example.com/v1) in ${dir} does not compile: missing.json#/definitions/Widget not found`);
    const [gadget] = broken.validate({ apiVersion: "example.com/v1", kind: "Gadget" });
    expect(gadget!.rule).toBe("schema/invalid-schema");
    expect(gadget!.message).toContain("can't resolve reference #/definitions/Nowhere");
  });
});

describe("describeValue", () => {
  it("shows the type and a short value", () => {
    expect(describeValue("three")).toBe('string "three"');
    expect(describeValue(1.5)).toBe("number 1.5");
    expect(describeValue(false)).toBe("boolean false");
    expect(describeValue({ a: 1 })).toBe("object");
    expect(describeValue([1])).toBe("array");
    expect(describeValue("x".repeat(100))).toBe(`string "${"x".repeat(57)}..."`);
  });
});
