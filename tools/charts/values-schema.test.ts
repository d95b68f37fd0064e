import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { ChartSourceError, loadChart, type ChartSource } from "./chart-source.ts";
import { chartUses } from "./values-check.ts";
import { chartValuesFindings, coalesce, valuesLine, valuesProblems } from "./values-schema.ts";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function chart(valuesYaml: string, schema: object | undefined, extra: Partial<ChartSource> = {}): ChartSource {
  return { name: "demo", version: "1.0.0", valuesYaml, ...(schema ? { valuesSchema: JSON.stringify(schema) } : {}), dependencies: [], subcharts: [], ...extra };
}

describe("coalescing values over a chart's defaults, as Helm does", () => {
  it("merges maps key by key, replaces lists and scalars, and deletes a default set to null", () => {
    expect(coalesce({ a: { b: 1, c: 2 }, l: [1], d: "x" }, { a: { c: 3 }, l: [2], d: null })).toEqual({ a: { b: 1, c: 3 }, l: [2] });
  });
});

describe("chart values against values.schema.json", () => {
  const schema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    additionalProperties: false,
    required: ["image"],
    properties: { image: { type: "string" }, replicas: { type: "integer", minimum: 1 }, sub: { type: "object" } },
  };

  it("GIVEN values the schema allows, with a required key set only by the defaults THEN there is no problem", () => {
    expect(valuesProblems(chart("image: nginx\n", schema), { replicas: 2 })).toEqual([]);
  });

  it("GIVEN a wrong type, a value out of range and an unknown key THEN each is a problem with its path", () => {
    expect(valuesProblems(chart("image: nginx\n", schema), { replicas: 0, imag: "x" })).toEqual([
      { chart: "demo 1.0.0", path: ["imag"], message: 'unknown key "imag" (the chart\'s schema does not allow it)' },
      { chart: "demo 1.0.0", path: ["replicas"], message: "must be >= 1" },
    ]);
  });

  it("GIVEN a null that deletes a required default THEN Helm's complaint is reported", () => {
    expect(valuesProblems(chart("image: nginx\n", schema), { image: null })).toEqual([{ chart: "demo 1.0.0", path: [], message: "must have required property 'image'" }]);
  });

  it("GIVEN a subchart with its own schema THEN its part of the values is checked under its alias, unless its condition disables it", () => {
    const sub = chart("port: 80\n", { type: "object", properties: { port: { type: "integer" } } }, { name: "web", version: "2.0.0" });
    const parent = chart("front:\n  enabled: true\n", undefined, { dependencies: [{ name: "web", alias: "front", condition: "front.enabled" }], subcharts: [sub] });
    expect(valuesProblems(parent, { front: { port: "eighty" } })).toEqual([{ chart: "demo 1.0.0 > web 2.0.0", path: ["front", "port"], message: "must be integer" }]);
    expect(valuesProblems(parent, { front: { enabled: false, port: "eighty" } })).toEqual([]);
  });
});

describe("where a finding points in component.ts", () => {
  const component = `export default defineComponent({
  name: "web",
  values: { dev: {}, prod: {} },
  chart: {
    chart: "web",
    values: (v) => ({
      controller: { logLevel: v.level },
      speaker: {
        logLevel: "loud",
      },
    }),
  },
});
`;

  it("follows the path key by key from the chart's values function", () => {
    expect(valuesLine(component, ["speaker", "logLevel"])).toBe(9);
    expect(valuesLine(component, ["controller", "logLevel"])).toBe(7);
  });

  it("falls back to the values function's line for a key it cannot see, and to line 1 without a chart", () => {
    expect(valuesLine(component, ["computed"])).toBe(6);
    expect(valuesLine("export default {};\n", ["a"])).toBe(1);
  });

  it("makes a finding naming the file, the line, the path and the chart", () => {
    const findings = chartValuesFindings(chart("speaker:\n  logLevel: info\n", { type: "object", properties: { speaker: { type: "object", properties: { logLevel: { enum: ["info", "debug"] } } } } }), { speaker: { logLevel: "loud" } }, { source: "apps/web/component.ts", text: component, where: "cluster dev1" });
    expect(findings).toEqual([
      {
        rule: "chart/values-schema",
        severity: "error",
        message: 'chart values (cluster dev1): speaker.logLevel: must be one of "info", "debug" (demo 1.0.0 values.schema.json)',
        file: "apps/web/component.ts",
        line: 9,
        column: 1,
        path: ["speaker", "logLevel"],
      },
    ]);
  });
});

describe("the chart sources a rendered object deploys", () => {
  it("reads an Argo CD Application's chart sources and a Flux HelmRelease's chart", () => {
    const app = { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "web" }, spec: { sources: [{ repoURL: "https://charts.example.com", chart: "web", targetRevision: "1.0.0", helm: { valuesObject: { a: 1 } } }, { repoURL: "https://git.example.com/p.git", path: "apps/web" }] } };
    const release = { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name: "web" }, spec: { chart: { spec: { chart: "web", version: "1.0.0" } }, values: { b: 2 } } };
    expect(chartUses(app)).toEqual([{ pin: { chart: "web", version: "1.0.0", repoURL: "https://charts.example.com", sources: [] }, values: { a: 1 }, name: "web", kind: "Application" }]);
    expect(chartUses(release)).toEqual([{ pin: { chart: "web", version: "1.0.0", repoURL: "", sources: [] }, values: { b: 2 }, name: "web", kind: "HelmRelease" }]);
    expect(chartUses({ kind: "ConfigMap" })).toEqual([]);
  });
});

describe("reading charts", () => {
  it("refuses a file that is not a chart archive, naming it", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-chart-"));
    temps.push(dir);
    const file = path.join(dir, "broken-1.0.0.tgz");
    writeFileSync(file, "not a tarball");
    expect(() => loadChart(file)).toThrow(ChartSourceError);
    expect(() => loadChart(file)).toThrow(`${file}: not a readable chart archive`);
  });

  it.skipIf(skipWithoutUpstream("charts"))("reads a packaged chart with its vendored subcharts, folders and packages inside it", () => {
    const kyverno = loadChart(upstreamPath("charts", "kyverno-3.6.4.tgz"));
    expect([kyverno.name, kyverno.version]).toEqual(["kyverno", "3.6.4"]);
    expect(kyverno.subcharts.map((s) => `${s.name}@${s.version}`)).toEqual(["crds@3.6.4", "grafana@3.6.4", "openreports@0.1.0"]);
    expect(kyverno.dependencies.find((d) => d.name === "openreports")).toEqual({ name: "openreports", condition: "openreports.installCrds" });
  });

  it.skipIf(skipWithoutUpstream("charts"))("every chart of the repository passes its own schema with its defaults", () => {
    for (const file of ["cert-manager-v1.21.1.tgz", "metallb-0.16.1.tgz", "vault-0.34.1.tgz", "velero-12.1.0.tgz", "external-secrets-2.9.0.tgz", "gateway-1.30.3.tgz"]) {
      expect(valuesProblems(loadChart(upstreamPath("charts", file)), {}), file).toEqual([]);
    }
  });
});
