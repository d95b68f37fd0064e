/**
 * A Helm chart as the values-type generator needs it: its values.yaml, values.schema.json, the
 * dependencies Chart.yaml declares, and the subcharts vendored under charts/ (folders or packaged
 * .tgz, nested). Loaded from a packaged chart (.tgz) or an unpacked chart folder; everything else in
 * the chart is ignored.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Parser, type ReadEntry } from "tar";
import { parseAllDocuments, parse as parseYaml } from "yaml";

export interface ChartDependency {
  readonly name: string;
  readonly alias?: string;
  /** Comma-separated values paths, e.g. `redis-ha.enabled`. */
  readonly condition?: string;
  readonly tags?: readonly string[];
}

export interface ChartSource {
  readonly name: string;
  readonly version: string;
  /** values.yaml text, when the chart has one. */
  readonly valuesYaml?: string;
  /** values.schema.json text, when the chart has one. */
  readonly valuesSchema?: string;
  readonly dependencies: readonly ChartDependency[];
  /** Vendored subcharts, by chart name. */
  readonly subcharts: readonly ChartSource[];
  /** The chart's own CustomResourceDefinitions (not its subcharts'), when loaded with `{ crds: true }`. */
  readonly crds?: readonly ChartCrd[];
}

/** A CustomResourceDefinition a chart ships (in crds/, templates/ or elsewhere), read without templating. */
export interface ChartCrd {
  /** The file inside the chart. */
  readonly file: string;
  readonly crd: unknown;
}

export interface LoadChartOptions {
  /** Also read the CustomResourceDefinitions the chart ships. @default false */
  readonly crds?: boolean;
}

export class ChartSourceError extends Error {}

/** Reads a packaged chart (.tgz) or a chart folder. */
export function loadChart(file: string, options: LoadChartOptions = {}): ChartSource {
  const wanted = options.crds ? isWantedWithCrds : isWanted;
  const files = statSync(file).isDirectory() ? readFolder(file, "", wanted) : readArchive(readFileSync(file), file, wanted);
  return chartFromFiles(files, file, wanted);
}

/** The files of a chart folder, keyed by their path inside it. */
function readFolder(dir: string, rel = "", wanted: (rel: string) => boolean = isWanted): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    const child = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, child)).isDirectory()) {
      if (rel === "" && name !== "charts" && wanted === isWanted) continue;
      for (const [k, v] of readFolder(dir, child, wanted)) out.set(k, v);
    } else if (wanted(child)) {
      out.set(child, readFileSync(path.join(dir, child)));
    }
  }
  return out;
}

/** Only what the values type is made from: values, schema, Chart.yaml, and the same inside charts/. */
function isWanted(rel: string): boolean {
  const base = rel.split("/").pop()!;
  if (rel.includes("/templates/") || rel.startsWith("templates/")) return false;
  return base === "Chart.yaml" || base === "values.yaml" || base === "values.schema.json" || base.endsWith(".tgz");
}

/** The files of a packaged chart (gzip-compressed tar), keyed by their path below the chart's top folder. */
export function readArchive(bytes: Buffer, where: string, wanted: (rel: string) => boolean = isWanted): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let failure: Error | undefined;
  const parser = new Parser({
    strict: true,
    onReadEntry: (entry: ReadEntry) => {
      const rel = entry.path.split("/").slice(1).join("/");
      if (entry.type !== "File" || !wanted(rel)) {
        entry.resume();
        return;
      }
      const chunks: Buffer[] = [];
      entry.on("data", (chunk: Buffer) => chunks.push(chunk));
      entry.on("end", () => out.set(rel, Buffer.concat(chunks)));
    },
  });
  parser.on("error", (error: Error) => (failure = error));
  parser.on("warn", (_code: string, message: string | Error) => (failure ??= new Error(String(message))));
  parser.end(bytes);
  if (failure) throw new ChartSourceError(`${where}: not a readable chart archive (${failure.message})`);
  if (out.size === 0) throw new ChartSourceError(`${where}: not a readable chart archive (no Chart.yaml)`);
  return out;
}

/** With the CRDs: every YAML file too, wherever it is (crds/, templates/, a chart's own resources folder). */
function isWantedWithCrds(rel: string): boolean {
  return isWanted(rel) || /\.ya?ml$/.test(rel);
}

function chartFromFiles(files: Map<string, Buffer>, where: string, wanted: (rel: string) => boolean = isWanted): ChartSource {
  const chartYaml = files.get("Chart.yaml");
  if (!chartYaml) throw new ChartSourceError(`${where}: no Chart.yaml`);
  let meta: { name?: unknown; version?: unknown; dependencies?: unknown };
  try {
    meta = (parseYaml(chartYaml.toString("utf8")) ?? {}) as typeof meta;
  } catch (error) {
    throw new ChartSourceError(`${where}: Chart.yaml is not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  if (typeof meta.name !== "string") throw new ChartSourceError(`${where}: Chart.yaml has no name`);
  const dependencies = (Array.isArray(meta.dependencies) ? meta.dependencies : []).flatMap((d: Record<string, unknown>): ChartDependency[] =>
    typeof d?.name === "string"
      ? [
          {
            name: d.name,
            ...(typeof d.alias === "string" && d.alias ? { alias: d.alias } : {}),
            ...(typeof d.condition === "string" && d.condition ? { condition: d.condition } : {}),
            ...(Array.isArray(d.tags) && d.tags.length ? { tags: d.tags.map(String) } : {}),
          },
        ]
      : [],
  );
  // Subcharts: each folder charts/<dir>/ (its files re-rooted) and each charts/<file>.tgz.
  const subcharts: ChartSource[] = [];
  const folders = new Map<string, Map<string, Buffer>>();
  for (const [rel, bytes] of files) {
    const match = /^charts\/([^/]+)\/(.+)$/.exec(rel);
    if (match) {
      if (!folders.has(match[1])) folders.set(match[1], new Map());
      folders.get(match[1])!.set(match[2], bytes);
    } else if (/^charts\/[^/]+\.tgz$/.test(rel)) {
      subcharts.push(chartFromFiles(readArchive(bytes, `${where}: ${rel}`, wanted), `${where}: ${rel}`, wanted));
    }
  }
  for (const [dir, sub] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    if (sub.has("Chart.yaml")) subcharts.push(chartFromFiles(sub, `${where}: charts/${dir}`, wanted));
  }
  subcharts.sort((a, b) => a.name.localeCompare(b.name));
  return {
    name: meta.name,
    version: String(meta.version ?? ""),
    ...(files.has("values.yaml") ? { valuesYaml: files.get("values.yaml")!.toString("utf8") } : {}),
    ...(files.has("values.schema.json") ? { valuesSchema: files.get("values.schema.json")!.toString("utf8") } : {}),
    dependencies,
    subcharts,
    ...(wanted === isWantedWithCrds ? { crds: crdsOf(files) } : {}),
  };
}

/**
 * The CustomResourceDefinitions among a chart's own YAML files (outside charts/), read as Helm would find
 * them before templating: a line that is only a template action (`{{- if .Values.crds.create }}`) is
 * dropped and an inline one (`namespace: {{ .Release.Namespace }}`) becomes a placeholder, which only
 * touches metadata and webhook settings, never a schema. A file that still does not parse is left out.
 */
function crdsOf(files: Map<string, Buffer>): ChartCrd[] {
  const out: ChartCrd[] = [];
  const seen = new Set<string>();
  for (const [rel, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    if (!/\.ya?ml$/.test(rel) || rel.startsWith("charts/")) continue;
    const text = bytes.toString("utf8");
    if (!text.includes("CustomResourceDefinition")) continue;
    const plain = text
      .split("\n")
      .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line))
      .map((line) => line.replace(/\{\{-?.*?-?\}\}/g, "templated"))
      .join("\n");
    let documents: unknown[];
    try {
      documents = parseAllDocuments(plain).map((d) => (d.errors.length ? undefined : d.toJS()));
    } catch {
      continue;
    }
    for (const crd of documents) {
      const o = crd as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } } | undefined;
      if (o?.kind !== "CustomResourceDefinition" || o.apiVersion !== "apiextensions.k8s.io/v1" || typeof o.metadata?.name !== "string") continue;
      if (seen.has(o.metadata.name)) continue;
      seen.add(o.metadata.name);
      out.push({ file: rel, crd });
    }
  }
  return out;
}
