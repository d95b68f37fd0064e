/**
 * validate's check of chart values against each chart's values.schema.json, over a cluster's rendered
 * objects: every Argo CD Application chart source (`helm.valuesObject`) and every Flux HelmRelease
 * (`spec.values`) whose chart is available. A chart that is not available is not checked here (render
 * reports it). Findings point at the component.ts that set the values.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Finding } from "../findings/finding.ts";
import type { CheckSet } from "../pipeline/check-run.ts";
import type { CheckItem } from "../pipeline/checks.ts";
import { CacheMemo, gitopsCacheDir } from "../workspace/cache.ts";
import { defaultLocator, type ChartLocator, type ChartPin } from "./chart-types.ts";
import { loadChart, type ChartSource } from "./chart-source.ts";
import { FREE_FORM_PATHS } from "./free-form.ts";
import { chartValuesFindings, valuesLine } from "./values-schema.ts";
import { chartValuesType, valuesTypeProblems, type ValueType } from "./values-types.ts";

export const VALUES_TYPE_RULE = "chart/values-type";

interface ChartUse {
  readonly pin: ChartPin;
  readonly values: unknown;
  /** The Application or HelmRelease name (the component's name). */
  readonly name: string;
  readonly kind: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The chart sources an object deploys, with their values. */
export function chartUses(object: unknown): ChartUse[] {
  const o = record(object);
  const spec = record(o?.spec);
  const name = String(record(o?.metadata)?.name ?? "");
  if (!o || !spec) return [];
  if (o.kind === "Application" && String(o.apiVersion).startsWith("argoproj.io/")) {
    const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].map(record).filter((s) => s && typeof s.chart === "string");
    return sources.map((s) => ({
      pin: { chart: String(s!.chart), version: String(s!.targetRevision ?? ""), repoURL: String(s!.repoURL ?? ""), sources: [] },
      values: record(s!.helm)?.valuesObject ?? {},
      name,
      kind: "Application",
    }));
  }
  if (o.kind === "HelmRelease" && String(o.apiVersion).startsWith("helm.toolkit.fluxcd.io/")) {
    const chartSpec = record(record(spec.chart)?.spec);
    if (!chartSpec || typeof chartSpec.chart !== "string") return [];
    return [{ pin: { chart: chartSpec.chart, version: String(chartSpec.version ?? ""), repoURL: "", sources: [] }, values: spec.values ?? {}, name, kind: "HelmRelease" }];
  }
  return [];
}

export interface ChartValuesCheckOptions {
  readonly locate: ChartLocator;
  /** The component.ts (repo-relative) of a component, by name. */
  readonly sourceOf: (component: string) => string | undefined;
  /** Where the values apply, for the message (e.g. `cluster local`). */
  readonly where?: string;
  /** The toolchain cache the findings are memoised in (default: gitopsCacheDir()); false: none. */
  readonly cacheDir?: string | false;
}

const charts = new Map<string, ChartSource | undefined>();
const types = new Map<string, ValueType>();

/** Bump when the memoised findings' shape changes. */
const MEMO_FORMAT = 1;

let codeKey: string | null | undefined;
/**
 * What a chart's values findings depend on besides the chart and the values: the code of this folder
 * (schema check, type inference, free-form paths), finding.ts, and the versions of ajv and the YAML
 * parsers; null when one cannot be read (then nothing is memoised).
 */
function valuesCodeKey(): string | null {
  if (codeKey === undefined) {
    try {
      const require = createRequire(import.meta.url);
      const hash = createHash("sha256").update(`format ${MEMO_FORMAT}\n`);
      for (const pkg of ["ajv", "js-yaml", "yaml"]) hash.update(`${pkg} ${(require(`${pkg}/package.json`) as { version: string }).version}\n`);
      const dir = path.dirname(fileURLToPath(import.meta.url));
      const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort().map((f) => path.join(dir, f));
      for (const file of [...files, fileURLToPath(new URL("../findings/finding.ts", import.meta.url))]) hash.update(`${path.basename(file)}\n`).update(readFileSync(file));
      codeKey = hash.digest("hex").slice(0, 24);
    } catch {
      codeKey = null;
    }
  }
  return codeKey;
}

const chartDigests = new Map<string, string | null>();
/** A digest of a chart package's bytes; null for what cannot be read as a file (then nothing is memoised). */
function chartDigest(file: string): string | null {
  let digest = chartDigests.get(file);
  if (digest === undefined) {
    try {
      digest = createHash("sha256").update(readFileSync(file)).digest("hex");
    } catch {
      digest = null;
    }
    chartDigests.set(file, digest);
  }
  return digest;
}

const memos = new Map<string, CacheMemo<Finding[]>>();
/**
 * The findings of one chart use, memoised in the toolchain cache by a digest of all they depend on:
 * the chart's bytes, the values, the component.ts (its path and text, for lines) and where they apply.
 * A warm run then neither unpacks the chart nor infers its values type.
 */
function memoised(cacheDir: string | false, file: string, values: unknown, source: string, text: string, where: string, compute: () => Finding[]): Finding[] {
  const code = cacheDir === false ? null : valuesCodeKey();
  const chart = code ? chartDigest(file) : null;
  if (cacheDir === false || !code || !chart) return compute();
  const memoFile = path.join(cacheDir, "chart-values-findings", `${code}.json`);
  let memo = memos.get(memoFile);
  if (!memo) memos.set(memoFile, (memo = new CacheMemo<Finding[]>(memoFile, MEMO_FORMAT)));
  const valuesText = JSON.stringify(values, (_key, value: unknown) => (value === undefined ? "\u0000undefined" : value));
  const key = createHash("sha256").update(JSON.stringify([chart, source, where, text])).update("\n").update(valuesText ?? "undefined").digest("base64url");
  const known = memo.get(key);
  if (known) return known;
  const findings = compute();
  memo.set(key, findings);
  return findings;
}

/** Findings for every chart's values in `items` whose chart is available. */
export function checkChartValues(items: readonly CheckItem[], root: string, options: ChartValuesCheckOptions): Finding[] {
  const findings: Finding[] = [];
  const texts = new Map<string, string>();
  for (const item of items) {
    for (const use of chartUses(item.doc.value)) {
      const file = options.locate(use.pin);
      if (!file) continue;
      const source = options.sourceOf(use.name) ?? item.doc.file;
      if (!texts.has(source)) {
        let text = "";
        try {
          text = readFileSync(path.join(root, source), "utf8");
        } catch {
          // The rendered file is named instead; line 1.
        }
        texts.set(source, text);
      }
      const where = [options.where, `${use.kind} ${use.name}`].filter(Boolean).join(", ");
      const text = texts.get(source)!;
      for (const finding of memoised(options.cacheDir ?? gitopsCacheDir(), file, use.values, source, text, where, () => useFindings(file, use.values, source, text, where))) findings.push(finding);
    }
  }
  return findings;
}

/** The findings of one chart's values: against the chart's values.schema.json, and against its values type. */
function useFindings(file: string, values: unknown, source: string, text: string, where: string): Finding[] {
  if (!charts.has(file)) charts.set(file, loadChart(file));
  const chart = charts.get(file)!;
  const findings = chartValuesFindings(chart, values, { source, text, where });
  // The values as the cluster passes them (spreads, helpers, per-cluster values included) against the
  // chart's type: what the compiler could not see. A warning: a type inferred from defaults can miss a key.
  if (!types.has(file)) types.set(file, chartValuesType(chart, FREE_FORM_PATHS).type);
  for (const problem of valuesTypeProblems(values, types.get(file)!)) {
    const path = problem.slice(0, problem.indexOf(":"));
    findings.push({
      rule: VALUES_TYPE_RULE,
      severity: "warning",
      message: `chart values (${where}): ${problem} (${chart.name} ${chart.version})`,
      file: source,
      line: valuesLine(text, path === "(root)" ? [] : path.split(".")),
      column: 1,
      hint: "a misspelled chart value is ignored by Helm; if the chart does read this key, open its map in tools/charts/free-form.ts",
    });
  }
  return findings;
}

/**
 * validate's chart-values check over a set: the charts read from the given folders of packages, then
 * from the chart cache (render has pulled them); each Application's component.ts found through the
 * set's components.
 */
export async function chartValuesCheck(root: string, options: { chartDirs: readonly string[] }): Promise<(set: CheckSet, root: string) => Finding[]> {
  const locate = await defaultLocator(root, options.chartDirs);
  return (set, setRoot) =>
    checkChartValues(set.items, setRoot, {
      locate,
      sourceOf: (name) => set.componentSources?.get(name),
      where: set.loaded ? `cluster ${set.loaded.cluster.name}` : undefined,
    });
}
