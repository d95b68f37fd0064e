import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSchemas, DEFAULT_SCHEMA_DIR, generateSchemaFiles, REPO_ROOT } from "./build-schemas.ts";
import type { JsonSchema, SchemaIndex } from "./schema-files.ts";

let generated: { kinds: number; files: Map<string, string> };
const definitions = (file: string): Record<string, JsonSchema> => (JSON.parse(generated.files.get(file)!) as { definitions: Record<string, JsonSchema> }).definitions;
const property = (file: string, definition: string, name: string): unknown => (definitions(file)[definition]!.properties as Record<string, unknown>)[name];

beforeAll(async () => {
  generated = await generateSchemaFiles(REPO_ROOT);
});

describe("committed schemas", () => {
  it("are up to date: a fresh build gives byte-identical files (run `npx tsx tools/schemas/build-schemas.ts` if not)", () => {
    const committed = readdirSync(DEFAULT_SCHEMA_DIR).filter((f) => f.endsWith(".json")).sort();
    expect(committed).toEqual([...generated.files.keys()].sort());
    const stale = committed.filter((f) => readFileSync(path.join(DEFAULT_SCHEMA_DIR, f), "utf8") !== generated.files.get(f));
    expect(stale).toEqual([]);
  });

  it("are valid JSON Schema (draft-07): the validator relies on this and does not check them again at run time", async () => {
    const { Ajv } = await import("ajv");
    const ajv = new Ajv({ strict: false });
    const files = readdirSync(DEFAULT_SCHEMA_DIR).filter((f) => f.endsWith(".json") && f !== "index.json");
    expect(files.length).toBeGreaterThan(5);
    const invalid = files.filter((f) => !ajv.validateSchema(JSON.parse(readFileSync(path.join(DEFAULT_SCHEMA_DIR, f), "utf8")) as object));
    expect(invalid).toEqual([]);
    // The check can fail: a misspelled type is not valid draft-07.
    expect(ajv.validateSchema({ definitions: { X: { type: "integr" } } })).toBe(false);
  });

  it("stay small: a few MB at most", () => {
    const bytes = [...generated.files.values()].reduce((n, text) => n + Buffer.byteLength(text), 0);
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
  });
});

describe("buildSchemas", () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "schemas-build-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("writes the same bytes on every run and removes files it did not write", async () => {
    writeFileSync(path.join(outDir, "stale.json"), "{}");
    const first = await buildSchemas({ outDir });
    const firstBytes = first.files.map((f) => readFileSync(f, "utf8"));
    const second = await buildSchemas({ outDir });
    expect(second).toEqual(first);
    expect(second.files.map((f) => readFileSync(f, "utf8"))).toEqual(firstBytes);
    expect(readdirSync(outDir).sort()).toEqual([...generated.files.keys()].sort());
    expect(first.kinds).toBe(generated.kinds);
  });
});

describe("schema content", () => {
  it("indexes every kind of the packages, and none that only a chart's CRDs define", () => {
    const index = JSON.parse(generated.files.get("index.json")!) as SchemaIndex;
    expect(index.kinds["apps/v1"]!.Deployment).toBe("kubernetes.json#/definitions/IoK8sApiAppsV1Deployment");
    expect(index.kinds["v1"]!.Service).toBe("kubernetes.json#/definitions/IoK8sApiCoreV1Service");
    expect(index.kinds["argoproj.io/v1alpha1"]!.Application).toBe("argo-cd.json#/definitions/ComGithubArgoprojArgoCdV3PkgApisApplicationV1alpha1Application");
    expect(index.kinds["argoproj.io/v1alpha1"]!.Rollout).toBe("argo-rollouts.json#/definitions/ComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1Rollout");
    expect(index.kinds["cert-manager.io/v1"]!.ClusterIssuer).toBe("cert-manager.json#/definitions/ComGithubCertManagerCertManagerPkgApisCertmanagerV1ClusterIssuer");
    expect(index.kinds["networking.istio.io/v1"]!.VirtualService).toBe("istio.json#/definitions/NetworkingIstioIoV1VirtualService");
    expect(index.kinds["helm.toolkit.fluxcd.io/v2"]!.HelmRelease).toMatch(/^flux-cd\.json#/);
    expect(index.kinds["gateway.networking.k8s.io/v1"]!.HTTPRoute).toMatch(/^gateway-api\.json#/);
    // MetalLB, Kargo, Velero and CloudNativePG come from the CRDs of the cluster's render instead.
    for (const apiVersion of ["metallb.io/v1beta1", "kargo.akuity.io/v1alpha1", "velero.io/v1", "postgresql.cnpg.io/v1"]) expect(index.kinds[apiVersion]).toBeUndefined();
    expect(generated.files.has("own-kinds.json")).toBe(false);
    const count = Object.values(index.kinds).reduce((n, kinds) => n + Object.keys(kinds).length, 0);
    expect(count).toBe(generated.kinds);
    expect(count).toBeGreaterThan(550);
  });

  it("closes every object with known properties, except kinds whose package models no body", () => {
    const open: string[] = [];
    for (const [file, text] of generated.files) {
      if (file === "index.json") continue;
      const defs = (JSON.parse(text) as { definitions: Record<string, JsonSchema> }).definitions;
      const visit = (s: JsonSchema, at: string): void => {
        if (s.properties && s.additionalProperties !== false && typeof s.additionalProperties !== "object") open.push(at);
        for (const [name, sub] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) visit(sub, `${at}.${name}`);
        if (s.items) visit(s.items as JsonSchema, `${at}[]`);
        if (typeof s.additionalProperties === "object") visit(s.additionalProperties as JsonSchema, `${at}.*`);
        for (const c of ["anyOf", "oneOf", "allOf"]) for (const [i, b] of ((s[c] ?? []) as JsonSchema[]).entries()) visit(b, `${at}/${c}/${i}`);
      };
      for (const [name, schema] of Object.entries(defs)) visit(schema, `${file}#${name}`);
    }
    // IstioOperator's model has no spec (its CRD preserves unknown fields): only apiVersion/kind/metadata are known.
    expect(open).toEqual(["istio.json#InstallIstioIoV1alpha1IstioOperator"]);
    expect(definitions("istio.json").InstallIstioIoV1alpha1IstioOperator!.additionalProperties).toBe(true);
  });

  it("takes integers from the packages' own validators, int-or-string and quantities as both", () => {
    const spec = definitions("kubernetes.json").IoK8sApiAppsV1DeploymentSpec!;
    expect(spec).toEqual({
      additionalProperties: false,
      properties: {
        minReadySeconds: { type: "integer" },
        paused: { type: "boolean" },
        progressDeadlineSeconds: { type: "integer" },
        replicas: { type: "integer" },
        revisionHistoryLimit: { type: "integer" },
        selector: { $ref: "apimachinery.json#/definitions/IoK8sApimachineryPkgApisMetaV1LabelSelector" },
        strategy: { $ref: "#/definitions/IoK8sApiAppsV1DeploymentStrategy" },
        template: { $ref: "#/definitions/IoK8sApiCoreV1PodTemplateSpec" },
      },
      required: ["selector", "template"],
      type: "object",
    });
    expect(property("kubernetes.json", "IoK8sApiCoreV1ServicePort", "targetPort")).toEqual({ type: ["integer", "string"] });
    expect(property("kubernetes.json", "IoK8sApiCoreV1ResourceRequirements", "limits")).toEqual({ type: "object", additionalProperties: { type: ["number", "string"] } });
    expect(property("argo-rollouts.json", "ComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1CanaryStep", "setWeight")).toEqual({ type: "integer" });
    expect(property("kubernetes.json", "IoK8sApiAutoscalingV2MetricTarget", "averageUtilization")).toEqual({ type: "integer" });
    // A float stays a number.
    expect(property("kubernetes.json", "IoK8sApiextensionsApiserverPkgApisApiextensionsV1JSONSchemaProps", "minimum")).toEqual({ type: "number" });
  });

  it("turns literal unions into enums and keeps free-form values open", () => {
    expect(property("kubernetes.json", "IoK8sApiCoreV1ServiceSpec", "type")).toEqual({ enum: ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"] });
    expect(property("kubernetes.json", "IoK8sApiCoreV1Container", "imagePullPolicy")).toEqual({ enum: ["Always", "IfNotPresent", "Never"] });
    // RawExtension, apiextensions JSON: anything
    expect(property("argo-cd.json", "ComGithubArgoprojArgoCdV3PkgApisApplicationV1alpha1ApplicationSourceHelm", "valuesObject")).toEqual({});
    expect(property("kubernetes.json", "IoK8sApiCoreV1ConfigMap", "data")).toEqual({ type: "object", additionalProperties: { type: "string" } });
  });

  it("keeps status, and shares definitions across files by $ref", () => {
    expect(property("kubernetes.json", "IoK8sApiAppsV1Deployment", "status")).toEqual({ $ref: "#/definitions/IoK8sApiAppsV1DeploymentStatus" });
    expect(property("argo-rollouts.json", "ComGithubArgoprojArgoRolloutsPkgApisRolloutsV1alpha1RolloutSpec", "template")).toEqual({
      $ref: "kubernetes.json#/definitions/IoK8sApiCoreV1PodTemplateSpec",
    });
  });

  it("merges the properties of embedded structs (interface extends)", () => {
    // Flux's GitRepositoryStatus embeds ReconcileRequestStatus.
    const status = definitions("flux-cd.json").ComGithubFluxcdSourceControllerApiV1GitRepositoryStatus!;
    expect(Object.keys(status.properties as object)).toContain("lastHandledReconcileAt");
    expect(status.additionalProperties).toBe(false);
  });
});
