import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { createSchemaValidator } from "../validate/schema-validator.ts";
import { parseDocuments } from "../workspace/documents.ts";
import { REPO_ROOT } from "./build-schemas.ts";
import { CRD_SAMPLES, withMisspelling } from "./crd-samples.ts";
import { importCrds, OBJECT_META, runSchemasImport, writeImportedSchemas } from "./import-crd.ts";
import type { SchemaIndex } from "./schema-files.ts";

const UPSTREAM_CRDS = upstreamPath("crds");

function crd(versions: Record<string, unknown>[], group = "example.com", kind = "Widget"): Record<string, unknown> {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: `widgets.${group}` },
    spec: { group, names: { kind, plural: "widgets" }, scope: "Namespaced", versions },
  };
}

const widgetSchema = {
  type: "object",
  description: "A widget.",
  properties: {
    apiVersion: { type: "string" },
    kind: { type: "string" },
    metadata: { type: "object" },
    spec: {
      type: "object",
      required: ["size"],
      properties: {
        size: { type: "integer", format: "int32", minimum: 1, maximum: 10, exclusiveMaximum: true },
        port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
        colour: { type: "string", enum: ["red", "blue"], nullable: true },
        name: { type: "string", pattern: "^[a-z]+$" },
        goPattern: { type: "string", pattern: "^(?i)abc$" },
        multiLine: { type: "array", items: { type: "string", pattern: "(?m)^a$" } },
        labels: { type: "object", additionalProperties: { type: "string" } },
        values: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { known: { type: "string" } } },
        raw: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
        strictTemplate: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object" } } },
        source: {
          type: "object",
          properties: { git: { type: "string" }, oci: { type: "string" } },
          oneOf: [{ required: ["git"] }, { required: ["oci"] }],
          "x-kubernetes-validations": [{ rule: "self.git != ''" }],
        },
      },
    },
    status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

describe("importCrds", () => {
  const result = importCrds([
    crd([
      { name: "v1", served: true, storage: true, schema: { openAPIV3Schema: widgetSchema } },
      { name: "v1alpha1", served: false, storage: false, schema: { openAPIV3Schema: widgetSchema } },
    ]),
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ignored" } },
    { apiVersion: "apiextensions.k8s.io/v1beta1", kind: "CustomResourceDefinition", metadata: { name: "old.example.com" }, spec: {} },
    { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "bgppeers.metallb.io" }, spec: { conversion: { strategy: "Webhook" } } },
    "not an object",
  ]);

  it("imports served versions of CRDs and says what it skipped", () => {
    expect(result.kinds).toEqual([{ group: "example.com", kind: "Widget", version: "v1" }]);
    expect(result.skipped).toEqual([
      "old.example.com: not a complete CustomResourceDefinition (no group, names.kind or versions)",
      "bgppeers.metallb.io: not a complete CustomResourceDefinition (no group, names.kind or versions)",
    ]);
    expect(result.schemas.index.kinds).toEqual({ "example.com/v1": { Widget: "example.com.json#/definitions/ExampleComV1Widget" } });
    // A Go pattern with no JavaScript equivalent is left out, with a note naming the CRD, version and field.
    expect(result.notes).toEqual([
      'widgets.example.com v1 spec.multiLine[]: pattern "(?m)^a$" skipped: the flag (?m) (multi-line ^ and $) cannot be set inside a JSON Schema pattern',
    ]);
    expect(Object.keys(result.schemas.files["example.com.json"]!).sort()).toEqual([
      "ExampleComV1Widget",
      "IoK8sApimachineryPkgApisMetaV1ManagedFieldsEntry",
      OBJECT_META,
      "IoK8sApimachineryPkgApisMetaV1OwnerReference",
    ]);
  });

  it("converts a v1beta1 CRD: `version` and the top-level `validation` become each version's schema", () => {
    const v1beta1 = importCrds([
      {
        apiVersion: "apiextensions.k8s.io/v1beta1",
        kind: "CustomResourceDefinition",
        metadata: { name: "gadgets.example.com" },
        spec: { group: "example.com", version: "v2", names: { kind: "Gadget", plural: "gadgets" }, validation: { openAPIV3Schema: widgetSchema } },
      },
    ]);
    expect(v1beta1.kinds).toEqual([{ group: "example.com", kind: "Gadget", version: "v2" }]);
    expect(v1beta1.skipped).toEqual([]);
  });

  it("writes strict draft-07: closed objects, int-or-string, nullable, embedded resources, value checks", () => {
    const widget = result.schemas.files["example.com.json"]!.ExampleComV1Widget!;
    expect(widget).toEqual({
      type: "object",
      additionalProperties: false,
      required: ["apiVersion", "kind"],
      properties: {
        apiVersion: { enum: ["example.com/v1"] },
        kind: { enum: ["Widget"] },
        metadata: { $ref: `#/definitions/${OBJECT_META}` },
        spec: {
          type: "object",
          additionalProperties: false,
          required: ["size"],
          properties: {
            size: { type: "integer", minimum: 1, exclusiveMaximum: 10 },
            port: { type: ["integer", "string"] },
            colour: { type: ["null", "string"], enum: ["red", "blue", null] },
            name: { type: "string", pattern: "^[a-z]+$" },
            goPattern: { type: "string", pattern: "^[aA][bB][cC]$" },
            multiLine: { type: "array", items: { type: "string" } },
            labels: { type: "object", additionalProperties: { type: "string" } },
            values: { type: "object", properties: { known: { type: "string" } } },
            raw: { type: "object" },
            template: {
              type: "object",
              properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { $ref: `#/definitions/${OBJECT_META}` } },
            },
            strictTemplate: {
              type: "object",
              additionalProperties: false,
              properties: { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { $ref: `#/definitions/${OBJECT_META}` }, spec: { type: "object" } },
            },
            source: {
              type: "object",
              additionalProperties: false,
              properties: { git: { type: "string" }, oci: { type: "string" } },
              oneOf: [{ required: ["git"] }, { required: ["oci"] }],
            },
          },
        },
        status: { type: "object" },
      },
    });
  });

  describe("validation with the imported schemas", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "schemas-import-unit-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeImportedSchemas(result.schemas, dir);
    const validator = createSchemaValidator({ schemaDir: dir });
    const widget = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: "w" }) => ({ apiVersion: "example.com/v1", kind: "Widget", metadata, spec });

    it("accepts what the CRD allows", () => {
      expect(
        validator.validate(
          widget({
            size: 9,
            port: "http",
            colour: null,
            labels: { a: "b" },
            values: { known: "x", unknown: { deep: true } },
            raw: { anything: [1] },
            template: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: {} },
            source: { git: "https://example.com/repo.git" },
          }),
        ),
      ).toEqual([]);
      expect(validator.validate(widget({ size: 1, port: 8080 }))).toEqual([]);
      // The translated (?i) pattern, and the skipped one that fails nothing.
      expect(validator.validate(widget({ size: 1, goPattern: "AbC", multiLine: ["b\nc"] }))).toEqual([]);
      expect(validator.validate(widget({ size: 1, goPattern: "abd" })).map((f) => f.message)).toEqual(['spec.goPattern must match pattern "^[aA][bB][cC]$", got string "abd"']);
    });

    it("reports unknown fields, types, ranges, patterns, one-of and ObjectMeta errors", () => {
      const findings = validator.validate(
        widget({ size: 10, sise: 2, port: true, colour: "green", name: "A1", strictTemplate: { metadata: { nmae: "x" } }, source: { git: "g", oci: "o" } }, { name: "w", lables: {} }),
      );
      expect(findings.map((f) => `${f.rule} ${f.message}`)).toEqual([
        'schema/unknown-field metadata: unknown field "lables"',
        'schema/unknown-field spec: unknown field "sise"',
        'schema/enum spec.colour: "green" is not one of red, blue, null',
        'schema/pattern spec.name must match pattern "^[a-z]+$", got string "A1"',
        "schema/type spec.port must be integer or string, got boolean true",
        "schema/exclusiveMaximum spec.size must be < 10, got number 10",
        "schema/oneOf spec.source must match exactly one schema in oneOf",
        'schema/unknown-field spec.strictTemplate.metadata: unknown field "nmae"',
      ]);
      expect(findings.find((f) => f.rule === "schema/oneOf")!.hint).toBe("set exactly one of: git, oci");
    });
  });
});

describe.skipIf(skipWithoutUpstream("crds"))("a real CRD with Go patterns (prometheus-operator's AlertmanagerConfig and PrometheusRule)", () => {
  it("translates (?i) so that the month and weekday checks hold as the API server's do, with nothing skipped", () => {
    const dir = path.join(UPSTREAM_CRDS, "prometheus-operator/prometheus-operator-crd");
    const docs = ["monitoring.coreos.com_alertmanagerconfigs.yaml", "monitoring.coreos.com_prometheusrules.yaml"].flatMap((f) =>
      parseDocuments(readFileSync(path.join(dir, f), "utf8"), f).map((d) => d.value),
    );
    const imported = importCrds(docs);
    expect(imported.notes).toEqual([]);
    const out = mkdtempSync(path.join(tmpdir(), "schemas-import-re2-"));
    try {
      writeImportedSchemas(imported.schemas, out);
      const validator = createSchemaValidator({ extraSchemaDirs: [out] });
      const config = (months: string[], weekdays: string[]) => ({
        apiVersion: "monitoring.coreos.com/v1alpha1",
        kind: "AlertmanagerConfig",
        metadata: { name: "c", namespace: "monitoring" },
        spec: { muteTimeIntervals: [{ name: "office", timeIntervals: [{ months, weekdays }] }] },
      });
      expect(validator.validate(config(["January", "MARCH:june", "11"], ["Monday", "saturday:sunday"]))).toEqual([]);
      expect(validator.validate(config(["Januar"], ["Moonday"])).map((f) => f.rule)).toEqual(["schema/pattern", "schema/pattern"]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("writeImportedSchemas", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "schemas-import-merge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const version = (description: string) => [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", description, properties: { a: { type: "string" } } } } } } }];

  it("merges with earlier imports into the same directory", () => {
    writeImportedSchemas(importCrds([crd(version("first"), "example.com", "Widget")]).schemas, dir);
    writeImportedSchemas(importCrds([crd(version("second"), "example.com", "Gadget")]).schemas, dir);
    writeImportedSchemas(importCrds([crd(version("third"), "other.io", "Thing")]).schemas, dir);
    const index = JSON.parse(readFileSync(path.join(dir, "index.json"), "utf8")) as SchemaIndex;
    expect(index.kinds).toEqual({
      "example.com/v1": { Gadget: "example.com.json#/definitions/ExampleComV1Gadget", Widget: "example.com.json#/definitions/ExampleComV1Widget" },
      "other.io/v1": { Thing: "other.io.json#/definitions/OtherIoV1Thing" },
    });
    const validator = createSchemaValidator({ schemaDir: dir });
    for (const [apiVersion, kind] of [["example.com/v1", "Widget"], ["example.com/v1", "Gadget"], ["other.io/v1", "Thing"]]) {
      expect(validator.validate({ apiVersion, kind, metadata: { name: "x" }, spec: { a: "1", b: 2 } }).map((f) => f.message)).toEqual(['spec: unknown field "b"']);
    }
  });
});

describe("runSchemasImport", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "schemas-import-run-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads YAML files and directories and writes a loadable directory", async () => {
    const file = path.join(dir, "widget-crd.yaml");
    writeFileSync(
      file,
      `# a comment
apiVersion: v1
kind: Namespace
metadata:
  name: widgets
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
`,
    );
    const out = path.join(dir, "out");
    const result = await runSchemasImport([file], out);
    expect(result.kinds).toEqual(["example.com/v1 Widget"]);
    expect(result.files).toEqual([path.join(out, "example.com.json"), path.join(out, "index.json")]);
    const validator = createSchemaValidator({ extraSchemaDirs: [out] });
    expect(validator.validate({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: { size: "big" } }).map((f) => f.message)).toEqual([
      'spec.size must be integer, got string "big"',
    ]);
    await expect(runSchemasImport([path.join(dir, "out", "index.json")], path.join(dir, "none"))).rejects.toThrow("no CustomResourceDefinition found in");
  });
});

describe.skipIf(skipWithoutUpstream("crds"))("every upstream CRD file (../shared/upstream/crds)", () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "schemas-import-upstream-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) files.push(full);
    }
  };
  if (existsSync(UPSTREAM_CRDS)) walk(UPSTREAM_CRDS);
  const all: unknown[] = [];

  it("imports, one file at a time", () => {
    const summary: string[] = [];
    for (const file of files) {
      const docs = parseDocuments(readFileSync(file, "utf8"), file).map((d) => d.value);
      all.push(...docs);
      const crds = docs.filter((d) => (d as { kind?: string } | null)?.kind === "CustomResourceDefinition") as { spec?: { versions?: { served?: boolean }[] } }[];
      const result = importCrds(docs);
      const served = crds.reduce((n, c) => n + (c.spec?.versions ?? []).filter((v) => v.served !== false).length, 0);
      expect({ file, kinds: result.kinds.length }).toEqual({ file, kinds: served });
      summary.push(`${path.relative(UPSTREAM_CRDS, file)}: ${result.kinds.length}${result.skipped.length ? ` (skipped ${result.skipped.length})` : ""}`);
    }
    expect(files.length).toBeGreaterThan(60);
    // Only the metallb conversion patch is a partial CRD.
    expect(summary.filter((s) => s.includes("skipped"))).toEqual(["metallb/crd/patches/crd-conversion-patch-bgppeers.yaml: 0 (skipped 1)"]);
  });

  it("validates one sample per project, and rejects it with a misspelled field", () => {
    const result = importCrds(all);
    writeImportedSchemas(result.schemas, outDir);
    const validator = createSchemaValidator({ schemaDir: outDir });
    const projects = new Set(readdirSync(UPSTREAM_CRDS, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name));
    expect(new Set(CRD_SAMPLES.map((s) => s.project))).toEqual(projects);
    for (const sample of CRD_SAMPLES) {
      expect({ project: sample.project, findings: validator.validate(sample.object) }).toEqual({ project: sample.project, findings: [] });
      const wrong = validator.validate(withMisspelling(sample));
      const parent = sample.misspell.path.slice(0, -1);
      expect({ project: sample.project, findings: wrong.map((f) => [f.rule, f.path]) }).toEqual({
        project: sample.project,
        findings: [["schema/unknown-field", [...parent, sample.misspell.as]]],
      });
      expect(wrong[0]!.message).toContain(`unknown field "${sample.misspell.as}"`);
    }
  });
});

describe("the samples", () => {
  it("are valid under the schemas built from npm packages too, and fail the same way when misspelled (kinds no package models come only from CRDs)", () => {
    const validator = createSchemaValidator();
    const modelled = CRD_SAMPLES.filter((s) => validator.knows(String(s.object.apiVersion), String(s.object.kind)));
    expect(CRD_SAMPLES.filter((s) => !modelled.includes(s)).map((s) => s.project)).toEqual(["kargo", "metallb"]);
    for (const sample of modelled) {
      expect({ project: sample.project, findings: validator.validate(sample.object) }).toEqual({ project: sample.project, findings: [] });
      expect({ project: sample.project, rules: validator.validate(withMisspelling(sample)).map((f) => f.rule) }).toEqual({
        project: sample.project,
        rules: ["schema/unknown-field"],
      });
    }
  });
});

beforeAll(() => {
  expect(existsSync(path.join(REPO_ROOT, "schemas", "kubernetes", "apimachinery.json"))).toBe(true);
});
