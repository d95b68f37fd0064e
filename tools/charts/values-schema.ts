/**
 * A component's chart values checked against the chart's own values.schema.json, as Helm does before it
 * templates: the chart's defaults coalesced with the values (a null deletes a default), the result
 * validated against the chart's schema, and each enabled subchart's part against the subchart's schema.
 * Findings name the component.ts that set the values and the line of its chart values.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2019 } from "ajv/dist/2019.js";
import { Ajv2020 } from "ajv/dist/2020.js";
import { load as loadYaml } from "js-yaml";
import { gitopsCacheDir } from "../workspace/cache.ts";
import { loadCompiledValidator, saveCompiledValidator } from "../validate/schema-validator.ts";
import type { Finding } from "../findings/finding.ts";
import type { ChartSource } from "./chart-source.ts";

export const VALUES_SCHEMA_RULE = "chart/values-schema";

type Values = Record<string, unknown>;

function isMap(value: unknown): value is Values {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Helm's coalescing: `values` over `defaults`, maps merged key by key, a null deleting the default. */
export function coalesce(defaults: unknown, values: unknown): unknown {
  if (!isMap(values)) return values === undefined ? defaults : values;
  if (!isMap(defaults)) return dropNulls(values);
  const out: Values = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete out[key];
    else out[key] = isMap(value) && isMap(defaults[key]) ? coalesce(defaults[key], value) : isMap(value) ? dropNulls(value) : value;
  }
  return out;
}

function dropNulls(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null).map(([k, v]) => [k, isMap(v) ? dropNulls(v) : v]));
}

/** A schema problem in a chart's values: where (path from the values root) and what. */
export interface ValuesProblem {
  /** The chart whose schema refused it: `argo-cd 10.1.1`, or `loki 18.11.0 > minio 5.4.0` for a subchart. */
  readonly chart: string;
  readonly path: readonly string[];
  readonly message: string;
}

const validators = new WeakMap<ChartSource, ValidateFunction | null>();
const localRequire = createRequire(import.meta.url);
const AJV_OPTIONS = { strict: false, allErrors: true, validateFormats: false, validateSchema: false, code: { source: true } } as const;

/**
 * The compiled schema of a chart, null when it has none. Compiling a large schema takes seconds (loki's
 * is 570 kB), so the compiled code is kept in the toolchain cache as ajv standalone code, named by a hash
 * of ajv's version, the options and the schema's bytes.
 */
function validatorOf(chart: ChartSource): ValidateFunction | null {
  if (validators.has(chart)) return validators.get(chart)!;
  let validate: ValidateFunction | null = null;
  if (chart.valuesSchema !== undefined) {
    const schema = JSON.parse(chart.valuesSchema) as Record<string, unknown>;
    const draft = String(schema.$schema ?? "");
    const { $schema: _drop, ...rest } = schema;
    const ajvVersion = (localRequire("ajv/package.json") as { version: string }).version;
    const key = createHash("sha256").update(`ajv ${ajvVersion}\n${JSON.stringify(AJV_OPTIONS)}\n${draft}\n`).update(chart.valuesSchema).digest("hex").slice(0, 24);
    const file = path.join(gitopsCacheDir(), "chart-schemas", `${key}.cjs`);
    validate = loadCompiledValidator(file) ?? null;
    if (!validate) {
      const ajv = /2020-12/.test(draft) ? new Ajv2020(AJV_OPTIONS) : /2019-09/.test(draft) ? new Ajv2019(AJV_OPTIONS) : new Ajv(AJV_OPTIONS);
      validate = ajv.compile(rest);
      saveCompiledValidator(file, ajv, validate);
    }
  }
  validators.set(chart, validate);
  return validate;
}

function defaultsOf(chart: ChartSource): Values {
  if (chart.valuesYaml === undefined) return {};
  // js-yaml: several times faster than \`yaml\` on large values files (argo-cd's is 180 kB); merge keys included.
  const parsed = loadYaml(chart.valuesYaml) as unknown;
  return isMap(parsed) ? parsed : {};
}

/** Whether a dependency is enabled: its first condition path that holds a boolean decides; enabled otherwise. */
function enabled(values: Values, condition: string | undefined): boolean {
  for (const path of (condition ?? "").split(",").map((c) => c.trim()).filter(Boolean)) {
    let node: unknown = values;
    for (const key of path.split(".")) node = isMap(node) ? node[key] : undefined;
    if (typeof node === "boolean") return node;
  }
  return true;
}

/** The schema problems of `values` for `chart` and its enabled subcharts. */
export function valuesProblems(chart: ChartSource, values: unknown, label = `${chart.name} ${chart.version}`, globals: Values = {}): ValuesProblem[] {
  const own = coalesce(defaultsOf(chart), values) as Values;
  const merged = Object.keys(globals).length ? { ...own, global: coalesce(own.global ?? {}, globals) } : own;
  const problems: ValuesProblem[] = [];
  const validate = validatorOf(chart);
  if (validate && !validate(merged)) {
    for (const error of validate.errors ?? []) problems.push({ chart: label, ...describe(error) });
  }
  const byName = new Map(chart.subcharts.map((s) => [s.name, s]));
  for (const dep of chart.dependencies) {
    const sub = byName.get(dep.name);
    if (!sub || !enabled(merged, dep.condition)) continue;
    const key = dep.alias ?? dep.name;
    const global = isMap(merged.global) ? merged.global : {};
    for (const problem of valuesProblems(sub, merged[key] ?? {}, `${label} > ${sub.name} ${sub.version}`, global)) {
      problems.push({ ...problem, path: [key, ...problem.path] });
    }
  }
  return problems;
}

function describe(error: ErrorObject): { path: string[]; message: string } {
  const path = error.instancePath
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  let message = error.message ?? "is invalid";
  if (error.keyword === "additionalProperties") {
    const extra = String((error.params as { additionalProperty: string }).additionalProperty);
    return { path: [...path, extra], message: `unknown key "${extra}" (the chart's schema does not allow it)` };
  }
  if (error.keyword === "enum") message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(", ")}`;
  return { path, message };
}

/**
 * The line (1-based) in a component.ts of the chart values that set `path`: from the chart's `values:`
 * (the values function), each key of `path` looked for after the previous one's line; the line of the
 * last key found, else that `values:` line, else 1.
 */
export function valuesLine(componentText: string, path: readonly string[]): number {
  const lines = componentText.split("\n");
  const chartLine = lines.findIndex((l) => /^\s*chart:\s*[{(]/.test(l) || /^\s*chart:\s*helmChart\(/.test(l));
  const start = chartLine < 0 ? -1 : lines.findIndex((l, i) => i > chartLine && /^\s*values:/.test(l));
  if (start < 0) return 1;
  let line = start;
  for (const key of path) {
    const pattern = new RegExp(`(^|[\\s{,])(${escape(key)}|"${escape(key)}"|'${escape(key)}')\\s*:`);
    const found = lines.findIndex((l, i) => i >= line && pattern.test(l));
    if (found < 0) break;
    line = found;
  }
  return line + 1;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Findings for one component's chart values, located in its component.ts. */
export function chartValuesFindings(chart: ChartSource, values: unknown, component: { source: string; text: string; where: string }): Finding[] {
  return valuesProblems(chart, values).map((problem) => {
    const path = problem.path.join(".");
    return {
      rule: VALUES_SCHEMA_RULE,
      severity: "error" as const,
      message: `chart values${component.where ? ` (${component.where})` : ""}: ${path ? `${path}: ` : ""}${problem.message} (${problem.chart} values.schema.json)`,
      file: component.source,
      line: valuesLine(component.text, problem.path),
      column: 1,
      path: problem.path,
    };
  });
}
