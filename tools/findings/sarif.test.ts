import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import type { Finding } from "./finding.ts";
import { FINGERPRINT_KEY, SARIF_SCHEMA, sarifUri, toSarif, type SarifRule } from "./sarif.ts";

const RULES: SarifRule[] = [
  {
    id: "image-pinned",
    title: "Images are pinned to a version tag or a digest",
    rationale: "An image without a tag changes under the same manifest.",
    hint: "Use an immutable version tag.",
    severity: "error",
  },
  { id: "read-only-root-fs", title: "Containers have a read-only root filesystem", severity: "warning" },
];

const FINDINGS: Finding[] = [
  {
    rule: "read-only-root-fs",
    severity: "warning",
    message: 'container "api" has a writable root filesystem: set readOnlyRootFilesystem: true',
    file: "dist/render/local/apps/backend.yaml",
    line: 40,
    column: 11,
    object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "api" },
    path: ["spec", "template", "spec", "containers", 0, "securityContext"],
  },
  {
    rule: "image-pinned",
    severity: "error",
    message: 'container "api" image "nginx:latest" uses the :latest tag',
    file: "dist/render/local/apps/backend.yaml",
    line: 31,
    column: 18,
    object: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "api" },
    path: ["spec", "template", "spec", "containers", 0, "image"],
    hint: "Use an immutable version tag.",
    source: { file: "apps/backend/component.ts", line: 12, column: 3 },
  },
  {
    rule: "schema",
    severity: "error",
    message: 'unknown field "contianers"',
    file: "./apps/my app/base/deployment.yaml",
    line: 0,
    column: 0,
  },
];

const TOOL = { name: "gitops", version: "0.1.0", informationUri: "https://example.invalid/gitops" };

type Log = {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion?: string; rules: Record<string, any>[] } };
    results: Record<string, any>[];
  }[];
};

describe("toSarif", () => {
  const log = toSarif(FINDINGS, RULES, TOOL) as Log;
  const run = log.runs[0];

  it("is a SARIF 2.1.0 log with one run of the named tool", () => {
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({ name: "gitops", version: "0.1.0", semanticVersion: "0.1.0" });
  });

  it("describes every rule, adding the ones only findings name", () => {
    expect(run.tool.driver.rules).toEqual([
      {
        id: "image-pinned",
        name: "ImagePinned",
        shortDescription: { text: "Images are pinned to a version tag or a digest" },
        fullDescription: { text: "An image without a tag changes under the same manifest." },
        help: {
          text: "An image without a tag changes under the same manifest. Use an immutable version tag.",
          markdown:
            "**Images are pinned to a version tag or a digest**\n\nAn image without a tag changes under the same manifest.\n\n**Fix:** Use an immutable version tag.",
        },
        defaultConfiguration: { level: "error" },
        properties: { tags: ["kubernetes"], precision: "very-high", "problem.severity": "error" },
      },
      {
        id: "read-only-root-fs",
        name: "ReadOnlyRootFs",
        shortDescription: { text: "Containers have a read-only root filesystem" },
        fullDescription: { text: "Containers have a read-only root filesystem" },
        help: {
          text: "Containers have a read-only root filesystem",
          markdown: "**Containers have a read-only root filesystem**",
        },
        defaultConfiguration: { level: "warning" },
        properties: { tags: ["kubernetes"], precision: "very-high", "problem.severity": "warning" },
      },
      {
        id: "schema",
        name: "Schema",
        shortDescription: { text: "schema" },
        fullDescription: { text: "schema" },
        help: { text: "schema", markdown: "**schema**" },
        defaultConfiguration: { level: "error" },
        properties: { tags: ["kubernetes"], precision: "very-high", "problem.severity": "error" },
      },
    ]);
  });

  it("gives each finding a result with rule, level, message and a repository-relative location, sorted by (source) file and line", () => {
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.level])).toEqual([
      ["image-pinned", 0, "error"],
      ["schema", 2, "error"],
      ["read-only-root-fs", 1, "warning"],
    ]);
    const [pinned, schema] = run.results;
    expect(schema.message).toEqual({ text: 'unknown field "contianers"' });
    expect(schema.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "apps/my%20app/base/deployment.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 1, startColumn: 1 },
        },
      },
    ]);
    expect(pinned.message).toEqual({
      text: 'Deployment shop/api: container "api" image "nginx:latest" uses the :latest tag (cluster: local)',
    });
    // The committed source is where code scanning annotates; the rendered file is related.
    expect(pinned.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: "apps/backend/component.ts", uriBaseId: "%SRCROOT%" },
          region: { startLine: 12, startColumn: 3 },
        },
        logicalLocations: [
          {
            name: "Deployment shop/api",
            fullyQualifiedName: "Deployment shop/api spec.template.spec.containers[0].image",
            kind: "resource",
          },
        ],
      },
    ]);
    expect(pinned.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: {
          artifactLocation: { uri: "dist/render/local/apps/backend.yaml", uriBaseId: "%SRCROOT%" },
          region: { startLine: 31, startColumn: 18 },
        },
        message: { text: "rendered for cluster local" },
      },
    ]);
    expect(pinned.properties).toEqual({ clusters: ["local"] });
  });

  it("reports a finding once per source location, listing the clusters it applies to", () => {
    const inDoks = { ...FINDINGS[1], file: "dist/render/doks/apps/backend.yaml", line: 33 };
    const log = toSarif([inDoks, FINDINGS[1]], RULES, TOOL) as Log;
    const results = log.runs[0].results;
    expect(results).toHaveLength(1);
    expect(results[0].message.text).toBe('Deployment shop/api: container "api" image "nginx:latest" uses the :latest tag (clusters: doks, local)');
    expect(results[0].relatedLocations.map((r: any) => [r.physicalLocation.artifactLocation.uri, r.message.text])).toEqual([
      ["dist/render/doks/apps/backend.yaml", "rendered for cluster doks"],
      ["dist/render/local/apps/backend.yaml", "rendered for cluster local"],
    ]);
    expect(results[0].properties).toEqual({ clusters: ["doks", "local"] });
    // Without a known source, each rendered place stays its own result.
    const unsourced = toSarif([{ ...inDoks, source: undefined }, { ...FINDINGS[1], source: undefined }], RULES, TOOL) as Log;
    expect(unsourced.runs[0].results).toHaveLength(2);
  });

  it("fingerprints what a finding is about, not its line", () => {
    const moved = toSarif([{ ...FINDINGS[1], line: 90 }], RULES, TOOL) as Log;
    const other = toSarif([{ ...FINDINGS[1], message: "another" }], RULES, TOOL) as Log;
    const key = (l: Log) => l.runs[0].results[0].partialFingerprints[FINGERPRINT_KEY];
    expect(key(moved)).toBe(run.results.find((r) => r.ruleId === "image-pinned")!.partialFingerprints[FINGERPRINT_KEY]);
    expect(key(other)).not.toBe(key(moved));
    expect(key(moved)).toMatch(/^[0-9a-f]{32}$/);
  });

  it("adds a finding's own hint to the message only when it differs from the rule's", () => {
    const log = toSarif([{ ...FINDINGS[1], hint: "Pin nginx to 1.27.3." }], RULES, TOOL) as Log;
    expect(log.runs[0].results[0].message.text).toBe(
      'Deployment shop/api: container "api" image "nginx:latest" uses the :latest tag Hint: Pin nginx to 1.27.3. (cluster: local)',
    );
  });

  it("makes absolute paths under the root relative", () => {
    expect(sarifUri("/srv/checkout/clusters/local/app.yaml", "/srv/checkout")).toBe("clusters/local/app.yaml");
    expect(sarifUri("/elsewhere/a.yaml", "/srv/checkout")).toBe("file:///elsewhere/a.yaml");
    expect(sarifUri("./a/b:c.yaml")).toBe("a/b%3Ac.yaml");
  });

  it("is an empty run, not an error, without findings", () => {
    const empty = toSarif([], RULES, TOOL) as Log;
    expect(empty.runs[0].results).toEqual([]);
    expect(empty.runs[0].tool.driver.rules).toHaveLength(2);
  });
});

/** The SARIF 2.1.0 JSON schema ships in @microsoft/jest-sarif (MIT); it is a devDependency of the repo when present. */
const SCHEMA_MODULE = "@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json";
let schemaFile: string | undefined;
try {
  schemaFile = createRequire(import.meta.url).resolve(SCHEMA_MODULE);
} catch {
  schemaFile = undefined;
}

describe.skipIf(!schemaFile)(`toSarif against the SARIF 2.1.0 schema (${SCHEMA_MODULE})`, () => {
  let compiled: ReturnType<Ajv["compile"]> | undefined;
  const compile = () => (compiled ??= compileSchema());
  const compileSchema = () => {
    // The file is draft-04; ajv 8 reads it once the draft-04 `$schema`/`id` markers are dropped (no keyword
    // differs here). One of its patterns is not valid with the `u` flag, hence unicodeRegExp: false.
    const { $schema: _draft, id: _id, ...schema } = JSON.parse(readFileSync(schemaFile!, "utf8"));
    return new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(schema);
  };

  it("accepts the log", () => {
    const validate = compile();
    const ok = validate(toSarif(FINDINGS, RULES, TOOL));
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it("rejects a broken log (the check can fail)", () => {
    const validate = compile();
    const log = toSarif(FINDINGS, RULES, TOOL) as Log;
    log.runs[0].results[0].level = "fatal";
    expect(validate(log)).toBe(false);
    expect(validate.errors?.map((e) => `${e.instancePath} ${e.message}`)).toEqual([
      "/runs/0/results/0/level must be equal to one of the allowed values",
    ]);
  });
});
