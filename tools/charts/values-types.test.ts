import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { loadChart, type ChartSource } from "./chart-source.ts";
import { commentedKeys } from "./commented-keys.ts";
import { FREE_FORM_PATHS } from "./free-form.ts";
import { chartDeclaration, chartValuesType, printType, typeNameOf, type ObjectType, type ValueType } from "./values-types.ts";

function chart(valuesYaml: string, extra: Partial<ChartSource> = {}): ChartSource {
  return { name: "demo", version: "1.0.0", valuesYaml, dependencies: [], subcharts: [], ...extra };
}

/** The type at a path of keys. */
function at(type: ValueType, ...keys: string[]): ValueType | undefined {
  let node: ValueType | undefined = type;
  for (const key of keys) node = node?.kind === "object" ? node.properties.get(key) : undefined;
  return node;
}

function isOpen(type: ValueType | undefined): boolean {
  return type?.kind === "object" && type.additional !== undefined;
}

describe("values types inferred from values.yaml", () => {
  const { type } = chartValuesType(
    chart(`replicaCount: 1
image:
  repository: nginx
  tag: ""
podAnnotations: {}
nodeSelector:
  kubernetes.io/os: linux
resources:
  requests:
    cpu: 10m
tolerations: []
existingSecret: ~
ports:
  - name: http
    port: 80
ingress:
  enabled: false
  # className: nginx
  # Note: see the docs for more about this.
`),
  );

  it("GIVEN scalar defaults THEN keys get their scalar types; an empty string reads as a string or a number", () => {
    expect(printType(at(type, "replicaCount")!)).toBe("number");
    expect(printType(at(type, "image", "repository")!)).toBe("string");
    expect(printType(at(type, "image", "tag")!)).toBe("string | number");
  });

  it("GIVEN nested maps THEN objects are closed by default", () => {
    expect(at(type, "image")?.kind).toBe("object");
    expect(isOpen(at(type, "image"))).toBe(false);
    expect(isOpen(type)).toBe(false);
  });

  it("GIVEN an empty map default THEN it takes free keys", () => {
    expect(printType(at(type, "podAnnotations")!)).toBe("{ [key: string]: any }");
  });

  it("GIVEN Kubernetes-shaped keys with example defaults (nodeSelector, resources) THEN they are open at every depth", () => {
    expect(isOpen(at(type, "nodeSelector"))).toBe(true);
    expect(isOpen(at(type, "resources"))).toBe(true);
    expect(isOpen(at(type, "resources", "requests"))).toBe(true);
  });

  it("GIVEN a null default or an empty list THEN the type is unknown or unknown[]", () => {
    expect(printType(at(type, "existingSecret")!)).toBe("unknown");
    expect(printType(at(type, "tolerations")!)).toBe("unknown[]");
  });

  it("GIVEN a list of objects THEN its items are open (defaults in a list are examples)", () => {
    const ports = at(type, "ports");
    expect(ports?.kind).toBe("array");
    expect(isOpen((ports as { items: ValueType }).items)).toBe(true);
  });

  it("GIVEN a key documented only as a comment THEN it is a known key; prose is not", () => {
    expect(at(type, "ingress", "className")).toEqual({ kind: "unknown" });
    expect(at(type, "ingress", "Note")).toBeUndefined();
  });

  it("prints every key optional and nullable (Helm deletes a default set to null)", () => {
    expect(printType(at(type, "image")!)).toBe(`{
  repository?: string | null;
  tag?: string | number | null;
}`);
  });
});

describe("keys documented as comments", () => {
  it("finds a key commented at its own indentation, or at column 0 with the line's indentation kept", () => {
    const yaml = `pdb:
  enabled: false
#   maxUnavailable: 1
ingress:
  enabled: true
  # ingressClassName: nginx
  # affinity:
  #   nodeAffinity: {}
config: |
  # notAKey: inside a block scalar
# topLevel: 1
`;
    expect(commentedKeys(yaml)).toEqual([["pdb", "maxUnavailable"], ["ingress", "ingressClassName"], ["ingress", "affinity"], ["topLevel"]]);
  });
});

describe("values types from values.schema.json", () => {
  const schema = {
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    additionalProperties: false,
    definitions: { level: { type: "string", enum: ["debug", "info"] } },
    properties: {
      logLevel: { $ref: "#/definitions/level" },
      replicas: { type: ["integer", "null"] },
      config: { type: "object" },
      extra: { type: "object", additionalProperties: true },
      labels: { type: "object", additionalProperties: { type: "string" } },
    },
  };
  const { type } = chartValuesType(chart("logLevel: info\nreplicas: 1\nconfig:\n  a: 1\nextra:\n  b: 2\nundeclared: true\n", { valuesSchema: JSON.stringify(schema) }));

  it("GIVEN a schema THEN its types win (enums, unions, $ref)", () => {
    expect(printType(at(type, "logLevel")!)).toBe('"debug" | "info"');
    expect(printType(at(type, "replicas")!)).toBe("number | null");
  });

  it("GIVEN a schema closed with additionalProperties: false THEN keys the schema does not list are refused, even with a default", () => {
    expect(at(type, "undeclared")).toBeUndefined();
    expect(isOpen(type)).toBe(false);
  });

  it("GIVEN a schema silent about an object's keys THEN values.yaml supplies them, closed", () => {
    expect(at(type, "config", "a")).toEqual({ kind: "primitive", name: "number" });
    expect(isOpen(at(type, "config"))).toBe(false);
  });

  it("GIVEN additionalProperties true or a schema THEN the object is open", () => {
    expect(isOpen(at(type, "extra"))).toBe(true);
    expect(printType(at(type, "labels")!)).toBe("{ [key: string]: string }");
  });
});

describe("subcharts, Istio defaults and free-form paths", () => {
  const sub = chart("replicas: 1\nglobal:\n  imageRegistry: \"\"\n", { name: "rollout-operator", version: "0.5.0" });
  const parent = chart("rollout_operator:\n  enabled: false\nglobal:\n  domain: example.com\n", {
    dependencies: [{ name: "rollout-operator", alias: "rollout_operator", condition: "rollout_operator.enabled" }, { name: "redis", condition: "redis.enabled", tags: ["cache"] }],
    subcharts: [sub, chart("port: 6379\n", { name: "redis" })],
  });
  const { type } = chartValuesType(parent);

  it("GIVEN a subchart with an alias THEN its values are typed under the alias, merged with what the parent sets", () => {
    expect(at(type, "rollout_operator", "replicas")).toEqual({ kind: "primitive", name: "number" });
    expect(at(type, "rollout_operator", "enabled")).toEqual({ kind: "primitive", name: "boolean" });
    expect(at(type, "rollout-operator")).toBeUndefined();
  });

  it("GIVEN a dependency condition and tags THEN the condition is a boolean and the tag a key of `tags`", () => {
    expect(at(type, "redis", "enabled")).toEqual({ kind: "primitive", name: "boolean" });
    expect(at(type, "redis", "port")).toEqual({ kind: "primitive", name: "number" });
    expect(at(type, "tags", "cache")).toEqual({ kind: "primitive", name: "boolean" });
  });

  it("GIVEN subcharts' globals THEN `global` holds the parent's and the subcharts' keys", () => {
    expect(at(type, "global", "domain")).toBeDefined();
    expect(at(type, "global", "imageRegistry")).toBeDefined();
  });

  it("GIVEN Istio's _internal_defaults_do_not_set THEN its keys are top-level keys too", () => {
    const istio = chartValuesType(chart("_internal_defaults_do_not_set:\n  pilot:\n    replicas: 1\n  meshConfig: {}\n")).type;
    expect(at(istio, "pilot", "replicas")).toEqual({ kind: "primitive", name: "number" });
    expect(at(istio, "_internal_defaults_do_not_set", "pilot", "replicas")).toBeDefined();
  });

  it("GIVEN a free-form path THEN the map there takes free keys at every depth; a path the chart lacks is a note", () => {
    const result = chartValuesType(chart("configs:\n  cm:\n    url: x\n    nested:\n      a: 1\n"), [
      { chart: "demo", path: ["configs", "cm"], reason: "a ConfigMap's data" },
      { chart: "demo", path: ["configs", "missing"], reason: "stale" },
      { chart: "other", path: ["configs"], reason: "another chart's" },
    ]);
    expect(isOpen(at(result.type, "configs", "cm"))).toBe(true);
    expect(isOpen(at(result.type, "configs", "cm", "nested"))).toBe(true);
    expect(isOpen(at(result.type, "configs"))).toBe(false);
    expect(result.notes).toEqual(["demo: free-form path configs.missing is not in the chart's values"]);
  });
});

describe("the declaration file", () => {
  it("augments the registry under the chart's name, deterministically", () => {
    const { type } = chartValuesType(chart("a: 1\n"));
    const text = chartDeclaration("argo-cd", "10.1.1", type, "../../tools/model/chart-values.ts");
    expect(text).toContain("type ArgoCdChartValues = {\n  a?: number | null;\n};");
    expect(text).toContain('declare module "../../tools/model/chart-values.ts" {\n  interface ChartValuesRegistry {\n    "argo-cd": ArgoCdChartValues;');
    expect(chartDeclaration("argo-cd", "10.1.1", chartValuesType(chart("a: 1\n")).type, "../../tools/model/chart-values.ts")).toBe(text);
    expect(typeNameOf("kube-prometheus-stack")).toBe("KubePrometheusStackChartValues");
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("values types of the real charts (../shared/upstream/charts)", () => {
  const load = (file: string) => loadChart(upstreamPath("charts", file));

  it("argo-cd: the redis-ha subchart under its name, configs.cm free-form, server closed", () => {
    const { type, notes } = chartValuesType(load("argo-cd-10.1.1.tgz"), FREE_FORM_PATHS);
    expect(notes).toEqual([]);
    expect(at(type, "redis-ha", "enabled")).toBeDefined();
    expect(at(type, "redis-ha", "haproxy")).toMatchObject({ kind: "object" });
    expect(isOpen(at(type, "configs", "cm"))).toBe(true);
    expect(at(type, "server", "replicas")).toEqual({ kind: "primitive", name: "number" });
    expect(isOpen(at(type, "server"))).toBe(false);
  });

  it("loki: its schema used, subcharts under their aliases (minio, rollout_operator), limits_config free-form", () => {
    const { type } = chartValuesType(load("loki-18.11.0.tgz"), FREE_FORM_PATHS);
    expect(at(type, "rollout_operator", "enabled")).toBeDefined();
    expect(at(type, "rollout-operator")).toBeUndefined();
    expect(at(type, "minio", "mode")).toBeDefined();
    expect(isOpen(at(type, "loki", "limits_config"))).toBe(true);
    expect(isOpen(at(type, "loki"))).toBe(false);
  });

  it("istiod: the keys under _internal_defaults_do_not_set are top-level keys", () => {
    const { type } = chartValuesType(load("istiod-1.30.3.tgz"), FREE_FORM_PATHS);
    expect(at(type, "autoscaleEnabled")).toEqual({ kind: "primitive", name: "boolean" });
    expect(at(type, "global", "istioNamespace")).toBeDefined();
    expect(isOpen(at(type, "meshConfig"))).toBe(true);
  });

  it("kube-prometheus-stack: the grafana subchart under grafana, with the parent's keys merged in", () => {
    const { type } = chartValuesType(load("kube-prometheus-stack-88.5.3.tgz"), FREE_FORM_PATHS);
    expect(at(type, "grafana", "enabled")).toBeDefined();
    expect(at(type, "grafana", "adminPassword")).toBeDefined();
    expect(isOpen(at(type, "grafana", "grafana.ini"))).toBe(true);
  });

  it("opentelemetry-collector: config free-form at every depth, the rest closed by its schema", () => {
    const { type } = chartValuesType(load("opentelemetry-collector-0.170.0.tgz"), FREE_FORM_PATHS);
    expect(isOpen(at(type, "config"))).toBe(true);
    expect(isOpen(at(type, "config", "exporters"))).toBe(true);
    expect(isOpen(type)).toBe(false);
  });

  it("minio: the job containerSecurityContext keys its post-job template reads are added, the job objects stay closed", () => {
    const chart = load("minio-5.4.0.tgz");
    const without = chartValuesType(chart).type;
    expect(at(without, "makeBucketJob", "containerSecurityContext")).toBeUndefined();
    const { type, notes } = chartValuesType(chart, FREE_FORM_PATHS);
    expect(notes).toEqual([]);
    expect(isOpen(at(type, "makeBucketJob", "containerSecurityContext"))).toBe(true);
    expect(isOpen(at(type, "makeBucketJob"))).toBe(false);
    // Each undeclared entry names a template of the chart that really reads the key.
    for (const entry of FREE_FORM_PATHS.filter((f) => f.undeclared !== undefined && f.chart === "minio")) {
      const template = execFileSync("tar", ["-xzOf", upstreamPath("charts", "minio-5.4.0.tgz"), `minio/${entry.undeclared}`], { encoding: "utf8" });
      expect(template, entry.path.join(".")).toContain(`.Values.${entry.path.join(".")}`);
    }
  });

  it("an undeclared entry whose key the chart declares is a note, not a silent no-op", () => {
    const { notes } = chartValuesType(load("minio-5.4.0.tgz"), [{ chart: "minio", path: ["makeBucketJob", "resources"], reason: "already declared", undeclared: "templates/post-job.yaml" }]);
    expect(notes).toEqual(["minio: makeBucketJob.resources is declared by the chart's values (or its parent is not an object): drop the undeclared entry"]);
  });

  it("every free-form path in the table exists in its chart", () => {
    const files: Record<string, string> = {
      "argo-cd": "argo-cd-10.1.1.tgz",
      loki: "loki-18.11.0.tgz",
      "opentelemetry-collector": "opentelemetry-collector-0.170.0.tgz",
      "kube-prometheus-stack": "kube-prometheus-stack-88.5.3.tgz",
      istiod: "istiod-1.30.3.tgz",
      gitea: "gitea-0.0.0.tgz",
      minio: "minio-5.4.0.tgz",
    };
    const charts = [...new Set(FREE_FORM_PATHS.map((f) => f.chart))];
    expect(charts.filter((c) => !files[c])).toEqual([]);
    for (const name of charts) {
      expect(chartValuesType(load(files[name]), FREE_FORM_PATHS).notes, name).toEqual([]);
    }
    for (const entry of FREE_FORM_PATHS) expect(entry.reason.length, entry.path.join(".")).toBeGreaterThan(10);
  });

  it("every chart in the repository gives a type (object at the root) with no notes", () => {
    for (const file of ["alloy-1.11.1.tgz", "cert-manager-v1.21.1.tgz", "external-secrets-2.9.0.tgz", "gateway-1.30.3.tgz", "kyverno-3.6.4.tgz", "metallb-0.16.1.tgz", "vault-0.34.1.tgz", "velero-12.1.0.tgz"]) {
      const { type, notes } = chartValuesType(load(file), FREE_FORM_PATHS);
      expect((type as ObjectType).properties.size, file).toBeGreaterThan(3);
      expect(notes, file).toEqual([]);
    }
  });
});
