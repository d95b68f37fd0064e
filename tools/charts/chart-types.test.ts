import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitops, REPO_ROOT, tempWorkspace, writeFiles } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { CHART_TYPES_DIR } from "./chart-types-dir.ts";
import { GENERATED_HEADER } from "./values-types.ts";

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A component deploying the metallb chart (in the chart repository, with a values.schema.json). */
function metallbComponent(values: string): string {
  return `import { defineComponent, type ChartValues } from "../../tools/model/index.ts";

export default defineComponent<{ logLevel: "info" | "debug" }>({
  name: "metallb",
  namespace: "metallb-system",
  chart: {
    repoURL: "https://metallb.github.io/metallb",
    chart: "metallb",
    version: "0.16.1",
    values: (v): ChartValues<"metallb"> => ({
${values}
    }),
  },
  values: { dev: { logLevel: "info" }, prod: { logLevel: "info" } },
});
`;
}

const CLUSTER = `import metallb from "../../infrastructure/metallb/component.ts";
import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({ name: "dev1", environment: "dev", kubernetesVersion: "1.34", distribution: "kind", repo: { url: "https://git.example.com/p.git", revision: "main" }, components: [metallb] });
`;

/** The project's type check, as `npm run typecheck` runs it, in a workspace. */
function tsc(ws: string): { status: number; output: string } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit", "--pretty", "false"], { cwd: ws, encoding: "utf8" });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

/** A workspace holding only the metallb component (tsconfig.json narrowed to it) and a cluster. */
function workspace(values: string): string {
  const ws = tempWorkspace({
    "infrastructure/metallb/component.ts": metallbComponent(values),
    "clusters/dev1/cluster.ts": CLUSTER,
    "tsconfig.json": JSON.stringify({ extends: "./tsconfig.base.json", include: ["infrastructure/**/*.ts", "clusters/**/*.ts", `${CHART_TYPES_DIR}/*.d.ts`] }),
  });
  temps.push(ws);
  return ws;
}

const MISSPELLED = `      controller: { logLevel: v.logLevel },
      speaker: { frr: { enabled: false }, tolerateMaster: true, ignoreExcludeLB: true, logLevl: v.logLevel },`;

describe("gitops charts types: usage", () => {
  it("prints its help, and refuses an unknown subcommand with exit 2", () => {
    const ws = workspace("      controller: {},");
    const help = gitops(ws, ["charts", "types", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: gitops charts types [--charts DIR]... [--json]");
    const bad = gitops(ws, ["charts", "typo"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('gitops charts: unknown subcommand "typo"');
    expect(gitops(ws, ["charts", "types", "extra"]).stderr).toContain('gitops charts types: unexpected argument "extra"');
  });

  it("GIVEN no chart available THEN it lists the chart as not available, writes nothing and exits 0; the type check passes with loose values", () => {
    const ws = workspace(MISSPELLED);
    // An empty chart cache: nothing pulled.
    const run = gitops(ws, ["charts", "types"], { GITOPS_CACHE_DIR: path.join(ws, "empty-cache") });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("metallb 0.16.1: not available, values and custom resources untyped");
    expect(run.stdout).toContain("charts types: 0/1 charts typed");
    expect(tsc(ws)).toEqual({ status: 0, output: "" });
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("gitops charts types on the chart repository (../shared/upstream/charts)", () => {
  it("GIVEN a misspelled chart value WHEN the types are generated THEN the type check fails naming the key; fixed, it passes", () => {
    const ws = workspace(MISSPELLED);
    expect(tsc(ws).status).toBe(0);
    const run = gitops(ws, ["charts", "types", "--charts", upstreamPath("charts"), "--json"]);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.charts).toEqual([
      {
        chart: "metallb",
        version: "0.16.1",
        sources: ["infrastructure/metallb/component.ts"],
        status: "typed",
        file: `${CHART_TYPES_DIR}/metallb.d.ts`,
        resources: { file: `${CHART_TYPES_DIR}/metallb.resources.d.ts`, kinds: expect.arrayContaining(["metallb.io/v1beta1/IPAddressPool", "metallb.io/v1beta1/L2Advertisement", "metallb.io/v1beta2/BGPPeer"]) },
        notes: [],
      },
    ]);
    const checked = tsc(ws);
    expect(checked.status).not.toBe(0);
    expect(checked.output).toMatch(/^infrastructure\/metallb\/component\.ts\(\d+,\d+\): error TS2561: Object literal may only specify known properties, but 'logLevl' does not exist in type .*Did you mean to write 'logLevel'\?$/m);
    expect(checked.output.trim().split("\n")).toHaveLength(1);
    writeFiles(ws, { "infrastructure/metallb/component.ts": metallbComponent(MISSPELLED.replace("logLevl", "logLevel")) });
    expect(tsc(ws)).toEqual({ status: 0, output: "" });
  });

  it("GIVEN a custom resource typed with CustomResource<…> THEN it is loose until the types exist, then a misspelled field or a missing required one fails the type check", () => {
    const pool = (spec: string) =>
      metallbComponent("      controller: {},")
        .replace('import { defineComponent, type ChartValues } from "../../tools/model/index.ts";', 'import { defineComponent, type ChartValues, type CustomResource } from "../../tools/model/index.ts";')
        .replace(
          "  values: { dev:",
          `  resources: (_v, { namespace }) => {
    const pool: CustomResource<"metallb.io/v1beta1", "IPAddressPool"> = { apiVersion: "metallb.io/v1beta1", kind: "IPAddressPool", metadata: { name: "default", namespace }, spec: ${spec} };
    return [pool];
  },
  values: { dev:`,
        );
    const ws = workspace("      controller: {},");
    writeFiles(ws, { "infrastructure/metallb/component.ts": pool('{ adresses: ["10.0.0.0/24"] }') });
    expect(tsc(ws)).toEqual({ status: 0, output: "" });
    expect(gitops(ws, ["charts", "types", "--charts", upstreamPath("charts")]).status).toBe(0);
    expect(readFileSync(path.join(ws, CHART_TYPES_DIR, "metallb.resources.d.ts"), "utf8")).toContain('"metallb.io/v1beta1/IPAddressPool": {');
    const checked = tsc(ws);
    expect(checked.output).toMatch(/^infrastructure\/metallb\/component\.ts\(\d+,\d+\): error TS2561: Object literal may only specify known properties, but 'adresses' does not exist in type .*Did you mean to write 'addresses'\?$/m);
    writeFiles(ws, { "infrastructure/metallb/component.ts": pool("{ autoAssign: true }") });
    expect(tsc(ws).output).toMatch(/error TS2741: Property 'addresses' is missing in type/);
    writeFiles(ws, { "infrastructure/metallb/component.ts": pool('{ addresses: ["10.0.0.0/24"], autoAssign: true }') });
    expect(tsc(ws)).toEqual({ status: 0, output: "" });
  });

  it("GIVEN the charts pulled into the chart cache THEN charts types reads them there, without --charts", () => {
    const ws = workspace(MISSPELLED);
    const env = { GITOPS_CACHE_DIR: path.join(ws, "cache") };
    expect(gitops(ws, ["charts", "types"], env).stdout).toContain("metallb 0.16.1: not available, values and custom resources untyped");
    const pulled = gitops(ws, ["charts", "pull"], env);
    expect(pulled.status).toBe(0);
    const typed = gitops(ws, ["charts", "types"], env);
    expect(typed.stdout).toContain(`metallb 0.16.1: ${CHART_TYPES_DIR}/metallb.d.ts`);
    expect(tsc(ws).output).toMatch(/error TS2561: .*'logLevl' does not exist/);
  });

  it("writes the same bytes twice, removes only its own stale declarations, and leaves a file a person wrote", () => {
    const ws = workspace("      controller: {},");
    expect(gitops(ws, ["charts", "types", "--charts", upstreamPath("charts")]).status).toBe(0);
    const file = path.join(ws, CHART_TYPES_DIR, "metallb.d.ts");
    const first = readFileSync(file, "utf8");
    expect(first.startsWith(GENERATED_HEADER)).toBe(true);
    writeFiles(ws, {
      [`${CHART_TYPES_DIR}/old-chart.d.ts`]: `${GENERATED_HEADER}\nexport {};\n`,
      [`${CHART_TYPES_DIR}/mine.d.ts`]: "// written by hand\nexport {};\n",
    });
    const again = gitops(ws, ["charts", "types", "--charts", upstreamPath("charts")]);
    expect(again.stdout).toContain("1 stale removed");
    expect(readFileSync(file, "utf8")).toBe(first);
    expect(existsSync(path.join(ws, CHART_TYPES_DIR, "old-chart.d.ts"))).toBe(false);
    expect(existsSync(path.join(ws, CHART_TYPES_DIR, "mine.d.ts"))).toBe(true);
  });

  it("GIVEN generated types THEN generate's own type check sees them too", () => {
    const ws = workspace(MISSPELLED);
    expect(gitops(ws, ["charts", "types", "--charts", upstreamPath("charts")]).status).toBe(0);
    const run = gitops(ws, ["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/infrastructure\/metallb\/component\.ts\(\d+,\d+\): error TS2561: .*'logLevl' does not exist/);
  });

  it("GIVEN a value the chart's values.schema.json refuses THEN validate reports it at component.ts and the line of the key", () => {
    const values = `      controller: { logLevel: v.logLevel },
      speaker: {
        frr: { enabled: false },
        logLevel: "loud" as "info",
      },`;
    const ws = workspace(values);
    expect(gitops(ws, ["generate", "--no-typecheck"]).status).toBe(0);
    const run = gitops(ws, ["validate", "--charts", upstreamPath("charts"), "--output", "json"]);
    expect(run.status).toBe(1);
    const findings = JSON.parse(run.stdout).findings.filter((f: { rule: string }) => f.rule === "chart/values-schema");
    const text = readFileSync(path.join(ws, "infrastructure/metallb/component.ts"), "utf8").split("\n");
    const line = text.findIndex((l) => l.includes('logLevel: "loud"')) + 1;
    expect(findings).toEqual([
      expect.objectContaining({
        file: "infrastructure/metallb/component.ts",
        line,
        message: 'chart values (cluster dev1, Application metallb): speaker.logLevel: must be one of "all", "debug", "info", "warn", "error", "none" (metallb 0.16.1 values.schema.json)',
      }),
    ]);
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("validate: chart values against the chart's type", () => {
  it("GIVEN a misspelled key the compiler cannot see (a spread) THEN validate warns at component.ts and the line of the key", () => {
    const ws = workspace(`      controller: { logLevel: v.logLevel },
      ...(v.logLevel === "info" ? { speaker: { frr: { enabled: false }, logLevl: "debug" } } : {}),`);
    expect(gitops(ws, ["generate"]).status).toBe(0);
    const run = gitops(ws, ["validate", "--charts", upstreamPath("charts"), "--output", "json"]);
    expect(run.status).toBe(0);
    // The chart values' findings (the chart's rendered objects have findings of their own).
    const findings = (JSON.parse(run.stdout).findings as { rule: string }[]).filter((f) => f.rule.startsWith("chart/"));
    const line = readFileSync(path.join(ws, "infrastructure/metallb/component.ts"), "utf8").split("\n").findIndex((l) => l.includes("logLevl")) + 1;
    expect(findings).toEqual([
      expect.objectContaining({
        rule: "chart/values-type",
        severity: "warning",
        file: "infrastructure/metallb/component.ts",
        line,
        message: "chart values (cluster dev1, Application metallb): speaker.logLevl: no such key in the chart's values (metallb 0.16.1)",
      }),
    ]);
  });
});

describe("the platform's components", () => {
  it("type every chart's values with ChartValues<chart> (the annotation is what makes a misspelled key an error)", async () => {
    const { loadWorkspace } = await import("../workspace/workspace.ts");
    const workspace = await loadWorkspace(REPO_ROOT);
    const charted = workspace.components.filter((c) => c.component.chart);
    expect(charted.length).toBeGreaterThan(20);
    const missing = charted.filter(({ component, source }) => !readFileSync(path.join(REPO_ROOT, source), "utf8").includes(`ChartValues<"${component.chart!.chart}">`));
    expect(missing.map((c) => c.source)).toEqual([]);
  });
});

describe("which charts are typed", () => {
  const component = (name: string, chart: string, version: string) =>
    ({ component: { name, chart: { repoURL: "https://charts.example.com", chart, version } }, dir: `infrastructure/${name}`, source: `infrastructure/${name}/component.ts` }) as never;

  it("GIVEN two components pinning one chart at one version THEN it is typed once, for both", async () => {
    const { chartPins } = await import("./chart-types.ts");
    const { pins, errors } = chartPins({ root: "/", clusters: [], components: [component("b", "web", "1.0.0"), component("a", "web", "1.0.0")] });
    expect(errors).toEqual([]);
    expect(pins).toEqual([{ chart: "web", version: "1.0.0", repoURL: "https://charts.example.com", sources: ["infrastructure/b/component.ts", "infrastructure/a/component.ts"] }]);
  });

  it("GIVEN two versions of one chart THEN it is an error naming both components (one registry entry per chart name)", async () => {
    const { chartPins } = await import("./chart-types.ts");
    const { errors } = chartPins({ root: "/", clusters: [], components: [component("a", "web", "1.0.0"), component("b", "web", "2.0.0")] });
    expect(errors).toEqual(["infrastructure/b/component.ts: chart web 2.0.0 differs from 1.0.0 in infrastructure/a/component.ts; its values type can follow only one version"]);
  });

  it("GIVEN a package that is not a chart archive THEN charts types exits 1 naming it and writes nothing", () => {
    const ws = workspace("      controller: {},");
    writeFiles(ws, { "repo/metallb-0.16.1.tgz": "not a chart" });
    const run = gitops(ws, ["charts", "types", "--charts", path.join(ws, "repo")]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`charts types: ${path.join(ws, "repo", "metallb-0.16.1.tgz")}: not a readable chart archive (TAR_BAD_ARCHIVE: Unrecognized archive format)\n`);
    expect(existsSync(path.join(ws, CHART_TYPES_DIR))).toBe(false);
  });
});

describe.skipIf(skipWithoutUpstream("charts"))("the platform's chart values at run time (spreads and helpers escape the compiler's check)", () => {
  it("fit the type of each chart the repository holds at the pinned version, in every environment", async () => {
    const [{ loadWorkspace }, { loadChart }, { chartValuesType, valuesTypeProblems }, { FREE_FORM_PATHS }] = await Promise.all([
      import("../workspace/workspace.ts"),
      import("./chart-source.ts"),
      import("./values-types.ts"),
      import("./free-form.ts"),
    ]);
    const workspace = await loadWorkspace(REPO_ROOT);
    const problems: string[] = [];
    let checked = 0;
    for (const { component, source } of workspace.components) {
      const pin = component.chart;
      const file = pin && upstreamPath("charts", `${pin.chart}-${pin.version}.tgz`);
      if (!pin || !file || !existsSync(file)) continue;
      const { type } = chartValuesType(loadChart(file), FREE_FORM_PATHS);
      for (const environment of ["dev", "prod"] as const) {
        const values = pin.values(component.values[environment], { environment, namespace: component.namespace });
        problems.push(...valuesTypeProblems(values, type).map((p) => `${source} (${environment}): ${p}`));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it("GIVEN a key a closed object lacks, or a scalar of another type THEN each is a problem with its path", async () => {
    const { chartValuesType, valuesTypeProblems } = await import("./values-types.ts");
    const { type } = chartValuesType({ name: "demo", version: "1", valuesYaml: "controller:\n  minAvailable: 1\n  labels: {}\n", dependencies: [], subcharts: [] });
    expect(valuesTypeProblems({ controller: { podDisruptionBudget: { enabled: true }, minAvailable: "one", labels: { a: "b" } } }, type)).toEqual([
      "controller.podDisruptionBudget: no such key in the chart's values",
      "controller.minAvailable: string where the chart takes a number",
    ]);
  });
});
