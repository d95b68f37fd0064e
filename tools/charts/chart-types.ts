/**
 * `gitops charts types`: a TypeScript declaration of each pinned chart's values, written into the
 * gitignored folder CHART_TYPES_DIR, where the type check (tsconfig.json, `generate`) finds them.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { GenerateError } from "../generate/errors.ts";
import { writeCacheFile } from "../workspace/cache.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { CHART_TYPES_DIR } from "./chart-types-dir.ts";
import { ChartSourceError, loadChart, type ChartCrd, type ChartSource } from "./chart-source.ts";
import { customResourceDeclaration, customResourceTypes } from "./crd-types.ts";
import { FREE_FORM_PATHS } from "./free-form.ts";
import { chartDeclaration, chartValuesType, GENERATED_HEADER, type FreeFormPath } from "./values-types.ts";

/** The registry the declarations augment, from the repository root. */
export const REGISTRY_MODULE = "tools/model/chart-values.ts";
/** The registry of custom resource types the CRD declarations augment, from the repository root. */
export const RESOURCE_REGISTRY_MODULE = "tools/model/custom-resources.ts";

/** A chart a component pins. */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  readonly repoURL: string;
  /** component.ts files that pin it, repo-relative. */
  readonly sources: readonly string[];
}

export interface ChartTypesEntry {
  readonly chart: string;
  readonly version: string;
  readonly sources: readonly string[];
  /** typed: declaration written; missing: the chart is not available (its values stay loose). */
  readonly status: "typed" | "missing";
  /** The declaration, repo-relative, when typed. */
  readonly file?: string;
  /** The custom resource types of the chart's CRDs (`<group>/<version>/<Kind>`), and their declaration. */
  readonly resources?: { readonly file: string; readonly kinds: readonly string[] };
  readonly notes: readonly string[];
}

export interface ChartTypesResult {
  readonly entries: readonly ChartTypesEntry[];
  /** Declarations to write: repo-relative path → text. */
  readonly files: ReadonlyMap<string, string>;
}

/** Finds a pinned chart's package or folder; undefined when it is not available. */
export type ChartLocator = (pin: ChartPin) => string | undefined;

/** The charts the workspace's components pin, by chart name; two versions of one chart is an error. */
export function chartPins(workspace: Workspace): { pins: ChartPin[]; errors: string[] } {
  const byName = new Map<string, ChartPin>();
  const errors: string[] = [];
  for (const { component, source } of workspace.components) {
    const chart = component.chart;
    if (!chart) continue;
    const known = byName.get(chart.chart);
    if (!known) byName.set(chart.chart, { chart: chart.chart, version: chart.version, repoURL: chart.repoURL, sources: [source] });
    else if (known.version !== chart.version) errors.push(`${source}: chart ${chart.chart} ${chart.version} differs from ${known.version} in ${known.sources[0]}; its values type can follow only one version`);
    else byName.set(chart.chart, { ...known, sources: [...known.sources, source] });
  }
  return { pins: [...byName.values()].sort((a, b) => a.chart.localeCompare(b.chart)), errors };
}

/** Whether an npm package already models a kind (the bundled schemas know it): its CRD is not typed again. */
export type ModelledKind = (apiVersion: string, kind: string) => boolean;

/** A chart's CRDs and its subcharts', nearest first. */
function chartCrds(chart: ChartSource): ChartCrd[] {
  return [...(chart.crds ?? []), ...chart.subcharts.flatMap(chartCrds)];
}

/**
 * The declarations of the pinned charts that `load` finds: each chart's values type, and the types of
 * the custom resources its CRDs define (those `modelled` does not know; a kind two charts define is typed
 * from the first, in chart order). Pure apart from what `load` reads.
 */
export function chartTypes(
  pins: readonly ChartPin[],
  load: (pin: ChartPin) => ChartSource | undefined,
  freeForm: readonly FreeFormPath[] = FREE_FORM_PATHS,
  modelled: ModelledKind = () => false,
): ChartTypesResult {
  const files = new Map<string, string>();
  const entries: ChartTypesEntry[] = [];
  const registry = path.posix.relative(CHART_TYPES_DIR, REGISTRY_MODULE);
  const resourceRegistry = path.posix.relative(CHART_TYPES_DIR, RESOURCE_REGISTRY_MODULE);
  const typedKinds = new Set<string>();
  for (const pin of pins) {
    const source = load(pin);
    if (!source) {
      entries.push({ chart: pin.chart, version: pin.version, sources: pin.sources, status: "missing", notes: [`chart ${pin.chart} ${pin.version} is not available: its values stay untyped (run \`gitops charts pull\`)`] });
      continue;
    }
    const { type, notes } = chartValuesType(source, freeForm);
    const file = `${CHART_TYPES_DIR}/${pin.chart}.d.ts`;
    files.set(file, chartDeclaration(pin.chart, pin.version, type, registry));
    const resourceTypes = customResourceTypes(chartCrds(source).map((c) => c.crd)).filter((t) => {
      const key = `${t.apiVersion}/${t.kind}`;
      if (modelled(t.apiVersion, t.kind) || typedKinds.has(key)) return false;
      typedKinds.add(key);
      return true;
    });
    let resources: ChartTypesEntry["resources"];
    if (resourceTypes.length) {
      resources = { file: `${CHART_TYPES_DIR}/${pin.chart}.resources.d.ts`, kinds: resourceTypes.map((t) => `${t.apiVersion}/${t.kind}`) };
      files.set(resources.file, customResourceDeclaration(pin.chart, pin.version, resourceTypes, resourceRegistry));
    }
    entries.push({ chart: pin.chart, version: pin.version, sources: pin.sources, status: "typed", file, ...(resources ? { resources } : {}), notes });
  }
  return { entries, files };
}

/** A locator over folders of packaged charts named `<chart>-<version>.tgz` (a Helm repository's layout). */
export function folderLocator(dirs: readonly string[]): ChartLocator {
  return (pin) => {
    for (const dir of dirs) {
      const file = path.join(dir, `${pin.chart}-${pin.version}.tgz`);
      if (existsSync(file)) return file;
    }
    return undefined;
  };
}

/** A locator over the chart cache that `gitops charts pull` fills (by the digests in charts.lock.json); it never pulls. */
export async function cacheLocator(root: string): Promise<ChartLocator> {
  const [{ readLock }, { cachedChart }] = await Promise.all([import("./lock.ts"), import("./pull.ts")]);
  const lock = readLock(root);
  return (pin) => cachedChart({ repoURL: pin.repoURL, chart: pin.chart, version: pin.version }, lock);
}

/** The first locator that finds the chart. */
export function firstOf(...locators: readonly ChartLocator[]): ChartLocator {
  return (pin) => {
    for (const locate of locators) {
      const file = locate(pin);
      if (file) return file;
    }
    return undefined;
  };
}

/** Where the pinned charts are read from: the given folders of packages, then the chart cache. */
export async function defaultLocator(root: string, chartDirs: readonly string[] = []): Promise<ChartLocator> {
  return firstOf(folderLocator(chartDirs), await cacheLocator(root));
}

/** Loads a located chart; an unreadable one is an error naming the file. */
export function locatedLoader(locate: ChartLocator): (pin: ChartPin) => ChartSource | undefined {
  return (pin) => {
    const file = locate(pin);
    if (!file) return undefined;
    const chart = loadChart(file, { crds: true });
    if (chart.name !== pin.chart || chart.version !== pin.version) {
      throw new ChartSourceError(`${file}: holds chart ${chart.name} ${chart.version}, not ${pin.chart} ${pin.version}`);
    }
    return chart;
  };
}

/**
 * Writes the declarations into CHART_TYPES_DIR and removes the ones it wrote before for charts no
 * longer pinned (only files that carry the generated header: nothing a person wrote is touched).
 * Returns the repo-relative paths removed.
 */
export function writeChartTypes(root: string, result: ChartTypesResult): string[] {
  const dir = path.join(root, CHART_TYPES_DIR);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of result.files) {
    const target = path.join(root, file);
    if (existsSync(target) && readFileSync(target, "utf8") === text) continue;
    writeCacheFile(target, text);
  }
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const rel = `${CHART_TYPES_DIR}/${name}`;
    const file = path.join(dir, name);
    if (result.files.has(rel) || !name.endsWith(".d.ts") || !statSync(file).isFile()) continue;
    if (!readFileSync(file, "utf8").startsWith(GENERATED_HEADER)) continue;
    rmSync(file);
    removed.push(rel);
  }
  return removed;
}

export interface RunChartTypesOptions {
  /** Folders of packaged charts (`<chart>-<version>.tgz`) to look in before the chart cache. */
  readonly chartDirs: readonly string[];
}

export interface RunChartTypesResult extends ChartTypesResult {
  readonly removed: readonly string[];
  /** Errors that stopped the run (nothing was written). */
  readonly errors: readonly string[];
}

/** The kinds the bundled schemas (schemas/kubernetes, built from npm packages) know. */
function bundledKinds(root: string): ModelledKind {
  const file = path.join(root, "schemas/kubernetes/index.json");
  if (!existsSync(file)) return () => false;
  const index = JSON.parse(readFileSync(file, "utf8")) as { kinds?: Record<string, Record<string, string>> };
  return (apiVersion, kind) => index.kinds?.[apiVersion]?.[kind] !== undefined;
}

/** Loads the workspace's components, types every pinned chart that is available, writes the declarations. */
export async function runChartTypes(root: string, options: RunChartTypesOptions): Promise<RunChartTypesResult> {
  const { loadWorkspace } = await import("../workspace/workspace.ts");
  const workspace = await loadWorkspace(root);
  const { pins, errors } = chartPins(workspace);
  if (errors.length) return { entries: [], files: new Map(), removed: [], errors };
  let result: ChartTypesResult;
  try {
    result = chartTypes(pins, locatedLoader(await defaultLocator(root, options.chartDirs)), FREE_FORM_PATHS, bundledKinds(root));
  } catch (error) {
    // An unreadable package, or a broken charts.lock.json (GenerateError, naming the file).
    if (error instanceof ChartSourceError || error instanceof GenerateError) return { entries: [], files: new Map(), removed: [], errors: [error.message] };
    throw error;
  }
  const removed = writeChartTypes(root, result);
  return { ...result, removed, errors: [] };
}
