/**
 * validate's check of chart values against each chart's values.schema.json, over a cluster's rendered
 * objects: every Argo CD Application chart source (`helm.valuesObject`) and every Flux HelmRelease
 * (`spec.values`) whose chart is available. A chart that is not available is not checked here (render
 * reports it). Findings point at the component.ts that set the values.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Finding } from "../findings/finding.ts";
import type { CheckSet } from "../pipeline/check-run.ts";
import type { CheckItem } from "../pipeline/checks.ts";
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
}

const charts = new Map<string, ChartSource | undefined>();
const types = new Map<string, ValueType>();

/** Findings for every chart's values in `items` whose chart is available. */
export function checkChartValues(items: readonly CheckItem[], root: string, options: ChartValuesCheckOptions): Finding[] {
  const findings: Finding[] = [];
  const texts = new Map<string, string>();
  for (const item of items) {
    for (const use of chartUses(item.doc.value)) {
      const file = options.locate(use.pin);
      if (!file) continue;
      if (!charts.has(file)) charts.set(file, loadChart(file));
      const chart = charts.get(file)!;
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
      findings.push(...chartValuesFindings(chart, use.values, { source, text: texts.get(source)!, where }));
      // The values as the cluster passes them (spreads, helpers, per-cluster values included) against the
      // chart's type: what the compiler could not see. A warning: a type inferred from defaults can miss a key.
      if (!types.has(file)) types.set(file, chartValuesType(chart, FREE_FORM_PATHS).type);
      for (const problem of valuesTypeProblems(use.values, types.get(file)!)) {
        const path = problem.slice(0, problem.indexOf(":"));
        findings.push({
          rule: VALUES_TYPE_RULE,
          severity: "warning",
          message: `chart values (${where}): ${problem} (${chart.name} ${chart.version})`,
          file: source,
          line: valuesLine(texts.get(source)!, path === "(root)" ? [] : path.split(".")),
          column: 1,
          hint: "a misspelled chart value is ignored by Helm; if the chart does read this key, open its map in tools/charts/free-form.ts",
        });
      }
    }
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
