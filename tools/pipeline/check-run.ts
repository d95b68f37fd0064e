/**
 * discover → build → check, for the validate, lint and all commands: which sets of objects are checked
 * together (a cluster, an overlay, an applied unit of a folder), and the findings of each. The commands
 * parse flags, call these functions and print.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Finding } from "../findings/finding.ts";
import { toJsonReport } from "../findings/report.ts";
import type { PolicySettings } from "../lint/settings.ts";
import { isEnvironment, type Environment } from "../model/environment.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { loadWorkspace, type LoadedCluster, type Workspace } from "../workspace/workspace.ts";
import { lintItems, objectCount, schemaValidator, validateItems, type CheckItem, type ClusterContext } from "./checks.ts";
import { clusterContext } from "./cluster-context.ts";
import { assertGeneratedFresh } from "./freshness.ts";
import { renderCluster, type ChartRender, type RenderedCluster } from "./render-cluster.ts";
import { crdObjects, renderCrdSchemaDir } from "./render-crds.ts";
import { renderComponent } from "./render-component.ts";
import { clusterRenderFiles, clusterRenderIndex, RENDER_DIR, writeRenderFolder, type RenderedFile } from "./render-output.ts";
import type { SchemaValidator } from "../validate/schema-validator.ts";
import { entryOf } from "../model/cluster.ts";
import { declaredPolicyExceptions, type DeclaredPolicyException } from "../model/policy-exception.ts";
import { flushMemos } from "../workspace/cache.ts";
import { serializeAll, type SerializedFile } from "./serialized.ts";

export type CheckKind = "validate" | "lint";

/** A set of documents checked together: one cluster, one overlay, one applied unit, or the files given. */
export interface CheckSet {
  readonly name: string;
  readonly items: CheckItem[];
  readonly files: number;
  readonly kubernetesVersion?: string;
  readonly environment?: Environment;
  readonly policy?: Omit<PolicySettings, "environment">;
  /** The typed policy exceptions of the set's components. */
  readonly exceptions?: readonly DeclaredPolicyException[];
  /** Components with a chart that was not rendered: their exceptions are not judged stale. */
  readonly partlyChecked?: ReadonlySet<string>;
  readonly loaded?: LoadedCluster;
  /** Findings made while reading and building (parse errors, build failures, unresolved substitutions). */
  readonly findings: Finding[];
  readonly context?: ClusterContext;
  /** Cross-references checked within this applied unit (Rollout services and workloadRef, HPA targets). */
  readonly unitReferences?: boolean;
  /** component name → component.ts, for findings about a component's chart values. */
  readonly componentSources?: ReadonlyMap<string, string>;
  /** For a cluster: each chart source, rendered or not. */
  readonly charts?: readonly ChartRender[];
  /** For a cluster: the schema folder of the CRDs its render installs (render-crds.ts), for validate. */
  readonly crdSchemaDir?: string;
}

/** Check items of objects held in memory, located in the file they are (or would be) written to. */
export function itemsOfObjects(
  file: string,
  objects: readonly KubeObject[],
  serialized: SerializedFile,
  meta: { app?: string; wave?: number; componentSource?: string } = {},
  chart?: { readonly chart: string; readonly templates: readonly string[] },
): CheckItem[] {
  return objects.map((value, index) => {
    const d = serialized.documents[index];
    return {
      // The text is read from `d` when asked for: one read back from the cache is decoded only then.
      doc: {
        file,
        index,
        line: d.line,
        get text() {
          return d.text;
        },
        digest: d.digest,
        value,
      },
      ...meta,
      ...(chart ? { chart: { chart: chart.chart, template: chart.templates[index] ?? "" } } : {}),
    };
  });
}

/**
 * A chart that could not be rendered is reported, never skipped in silence, at the component's chart: a
 * warning when its repository has no such chart or version (its objects go unchecked), and for a
 * repository that could not be reached (no network, no mirror) too, except under CI=true, where that
 * is an error. A refused digest and a failing `helm template` are errors. GITOPS_CHARTS=off is asked
 * for: no finding, the summary counts it.
 */
export function chartFindings(root: string, rendered: RenderedCluster, sourceByName: ReadonlyMap<string, string>): Finding[] {
  const ci = process.env.CI === "true" || process.env.CI === "1";
  const severity = (status: ChartRender["status"]): Finding["severity"] => (status === "refused" || status === "failed" || (status === "unreachable" && ci) ? "error" : "warning");
  return rendered.charts
    .filter((c) => c.status !== "rendered" && c.status !== "skipped")
    .map((c) => {
      const source = sourceByName.get(c.app) ?? sourceByName.get(c.app.replace(/-chart$/, ""));
      const location = (source ? chartLineOf(root, source) : undefined) ?? { file: `${RENDER_DIR}/${rendered.cluster}/index.json`, line: 1, column: 1 };
      return {
        rule: `render/chart-${c.status}`,
        severity: severity(c.status),
        message: `${c.ref.chart}@${c.ref.version} (app ${c.app}) is not rendered, so its objects are not validated or linted: ${c.message ?? c.status}`,
        file: location.file,
        line: location.line,
        column: location.column,
        ...(c.status === "unreachable" || c.status === "not-found"
          ? { hint: "pull it with `gitops charts pull` (set GITOPS_CHART_MIRROR to a chart mirror where the repository cannot be reached)" }
          : {}),
      };
    });
}

/** The line of `chart: {` in a component.ts. */
function chartLineOf(root: string, source: string): { file: string; line: number; column: number } | undefined {
  try {
    const lines = readFileSync(path.join(root, source), "utf8").split("\n");
    const index = lines.findIndex((l) => /^\s*chart:\s*\{/.test(l));
    return index >= 0 ? { file: source, line: index + 1, column: lines[index].search(/\S/) + 1 } : undefined;
  } catch {
    return undefined;
  }
}

/** The schema folder of the CRDs among the items (keyed by their serialised text's digests). */
function crdSchemaDirOf(items: readonly CheckItem[]): string | undefined {
  const crdItems = items.filter((i) => crdObjects([i.doc.value]).length === 1);
  const digests = crdItems.map((i) => i.doc.digest);
  return renderCrdSchemaDir(
    crdItems.map((i) => i.doc.value),
    digests.every((d) => d !== undefined) ? (digests as string[]) : undefined,
  );
}

/** Renders each cluster (writing dist/render/<cluster>/ as an output) and returns its objects to check. */
export async function clusterSets(root: string, names?: readonly string[], options: { generated?: boolean; kind?: CheckKind } = {}): Promise<CheckSet[]> {
  const workspace: Workspace = await loadWorkspace(root, names?.length ? { clusters: [...names], components: [] } : {});
  // Never a green on stale files: what is checked is what the sources generate (unless just generated).
  if (!options.generated) await assertGeneratedFresh(root, workspace);
  const sourceByName = new Map(workspace.components.map((c) => [c.component.name, c.source]));
  const cache = new Map<string, unknown>();
  return workspace.clusters.map((loaded) => clusterSet(root, loaded, sourceByName, cache, options.kind));
}

/** Renders one cluster (writing dist/render/<cluster>/ as an output, unless `write` is false) and returns its objects to check. */
function clusterSet(root: string, loaded: LoadedCluster, sourceByName: ReadonlyMap<string, string>, cache: Map<string, unknown>, kind?: CheckKind, write = true): CheckSet {
  // Helm's progress lines go to stderr when it is a terminal (never into a pipe a machine reads).
  const rendered = renderCluster(root, loaded.dir, cache, { kubernetesVersion: loaded.cluster.kubernetesVersion, progress: Boolean(process.stderr.isTTY) });
  const files = clusterRenderFiles(rendered);
  const serialized = serializeAll(files);
  if (write) writeRenderFolder(root, `${RENDER_DIR}/${rendered.cluster}`, files, clusterRenderIndex(rendered, files), new Map([...serialized].map(([f, s]) => [f, s.content])));
  // On Flux a chart's Kustomization is `<component>-chart`.
  // The root and the Applications (apps.yaml) come from cluster.ts.
  const sourceOf = (app: string | undefined) => (app && app !== "root" ? sourceByName.get(app) ?? sourceByName.get(app.replace(/-chart$/, "")) : loaded.source);
  const items = files.flatMap((f) =>
    itemsOfObjects(f.file, f.objects, serialized.get(f.file)!, { app: f.app, wave: f.wave, componentSource: sourceOf(f.app) }, f.chart ? { chart: f.chart, templates: f.templates ?? [] } : undefined),
  );
  return {
    name: loaded.cluster.name,
    items,
    files: files.length,
    kubernetesVersion: loaded.cluster.kubernetesVersion,
    environment: loaded.cluster.environment,
    policy: loaded.cluster.policy,
    exceptions: declaredPolicyExceptions(loaded.cluster.components.map((e) => entryOf(e).component)),
    // On Flux a chart's Kustomization is `<component>-chart`.
    partlyChecked: new Set(rendered.charts.filter((c) => c.status !== "rendered").map((c) => c.app.replace(/-chart$/, ""))),
    loaded,
    findings: chartFindings(root, rendered, sourceByName),
    context: clusterContext(loaded, rendered),
    componentSources: sourceByName,
    charts: rendered.charts,
    crdSchemaDir: kind === "lint" ? undefined : crdSchemaDirOf(items),
  };
}

/** What `gitops all` reports of one cluster: rendered, validated (chart values included) and linted. */
export interface ClusterResult {
  readonly cluster: string;
  readonly environment: string;
  readonly kubernetes: string;
  readonly components: number;
  readonly objects: number;
  readonly charts: { readonly rendered: number; readonly total: number };
  readonly validate: Finding[];
  readonly lint: Finding[];
  /** Wall seconds of this cluster's render and checks. */
  readonly seconds: number;
}

/** Validates and lints one rendered cluster. */
function checkOneCluster(root: string, set: CheckSet, chartValues: (set: CheckSet, root: string) => Finding[], started: number): ClusterResult {
  const schemas = schemaValidator(set.crdSchemaDir ? [set.crdSchemaDir] : []);
  const validate = [...set.findings, ...validateItems(set.items, root, { kubernetesVersion: set.kubernetesVersion, cluster: set.context, schemas }), ...chartValues(set, root)];
  const lint = lintItems(set.items, root, { ...(set.policy ?? {}), environment: set.environment ?? "prod" }, { exceptions: set.exceptions, partlyChecked: set.partlyChecked });
  return {
    cluster: set.name,
    environment: set.environment ?? "",
    kubernetes: set.kubernetesVersion ?? "",
    components: set.loaded?.cluster.components.length ?? 0,
    objects: objectCount(set.items),
    charts: { rendered: (set.charts ?? []).filter((c) => c.status === "rendered").length, total: (set.charts ?? []).length },
    validate,
    lint,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * Renders, validates and lints the clusters `claim` hands out (indices into the workspace's clusters),
 * one after the other in this thread, until it hands out no more.
 */
async function checkClaimed(root: string, workspace: Workspace, claim: () => number | undefined, done: (index: number, result: ClusterResult) => void, write = true): Promise<void> {
  const sourceByName = new Map(workspace.components.map((c) => [c.component.name, c.source]));
  const cache = new Map<string, unknown>();
  // Chart values against each chart's values.schema.json and type (the charts render just pulled).
  const chartValues = await (await import("../charts/values-check.ts")).chartValuesCheck(root, { chartDirs: [] });
  for (let index = claim(); index !== undefined; index = claim()) {
    const started = performance.now();
    done(index, checkOneCluster(root, clusterSet(root, workspace.clusters[index], sourceByName, cache, undefined, write), chartValues, started));
  }
}

/**
 * Renders, validates and lints every cluster as `gitops all` does, writing nothing in the workspace and
 * keeping no result: what it leaves is the toolchain cache of such a run (templated chart output, the
 * schemas of the clusters' CRDs, compiled validators, memoised findings), for `gitops warm`. One cluster
 * at a time: Helm already runs two templates at a time, and a second thread measured slower.
 */
export async function warmClusters(root: string): Promise<{ clusters: number; objects: number }> {
  const workspace = await loadWorkspace(root);
  let objects = 0;
  let index = 0;
  await checkClaimed(
    root,
    workspace,
    () => (index < workspace.clusters.length ? index++ : undefined),
    (_, result) => {
      objects += result.objects;
    },
    false,
  );
  flushMemos();
  return { clusters: workspace.clusters.length, objects };
}

/** Worker threads `checkClusters` uses beside the main one: GITOPS_WORKERS, else one on a machine with two cores or more. */
export function clusterWorkers(): number {
  const setting = process.env.GITOPS_WORKERS;
  if (setting !== undefined && /^\d+$/.test(setting)) return Number(setting);
  return availableParallelism() >= 2 ? 1 : 0;
}

/** A cluster checked by a worker thread. */
export interface ClusterWorkerMessage {
  readonly index: number;
  readonly result: ClusterResult;
}

/**
 * Renders, validates and lints every cluster of the workspace (after generate: `generated` skips the
 * freshness check), in cluster order. The clusters are shared out between this thread and `workers`
 * worker threads (each takes the next cluster when it is free), so a two-core machine checks two
 * clusters at a time. A cluster a worker did not finish, whatever the reason, is checked here, so its
 * error (a render that fails) is raised as it would be without workers; results do not depend on which
 * thread made them.
 */
export async function checkClusters(root: string, options: { generated?: boolean; workers?: number } = {}): Promise<ClusterResult[]> {
  const workspace = await loadWorkspace(root);
  if (!options.generated) await assertGeneratedFresh(root, workspace);
  const count = workspace.clusters.length;
  const results: (ClusterResult | undefined)[] = new Array(count).fill(undefined);
  const workers = Math.max(0, Math.min(options.workers ?? clusterWorkers(), count - 1));
  // The next cluster to take, shared with the workers.
  const next = new Int32Array(new SharedArrayBuffer(4));
  const threads: Promise<void>[] = [];
  const started: Worker[] = [];
  for (let i = 0; i < workers; i++) {
    threads.push(
      new Promise<void>((resolve) => {
        const worker = new Worker(new URL("./cluster-worker.mjs", import.meta.url), { workerData: { root, next } });
        started.push(worker);
        worker.on("message", (message: ClusterWorkerMessage) => {
          results[message.index] = message.result;
        });
        // A worker that fails leaves its cluster without a result: checked below, in this thread.
        worker.on("error", () => undefined);
        worker.on("exit", () => resolve());
      }),
    );
  }
  const claim = () => {
    const index = Atomics.add(next, 0, 1);
    return index < count ? index : undefined;
  };
  try {
    await checkClaimed(root, workspace, claim, (index, result) => {
      results[index] = result;
    });
  } catch (error) {
    // This run fails: the workers' clusters are not waited for.
    await Promise.all(started.map((w) => w.terminate()));
    throw error;
  }
  await Promise.all(threads);
  const missing = results.flatMap((r, i) => (r ? [] : [i]));
  await checkClaimed(root, workspace, () => missing.shift(), (index, result) => {
    results[index] = result;
  });
  return results as ClusterResult[];
}

/** A worker thread's part of `checkClusters` (cluster-worker.mjs): the clusters it takes, each posted when done. */
export async function runClusterWorker(data: { root: string; next: Int32Array }, post: (message: ClusterWorkerMessage) => void): Promise<void> {
  const workspace = await loadWorkspace(data.root);
  const count = workspace.clusters.length;
  const claim = () => {
    const index = Atomics.add(data.next, 0, 1);
    return index < count ? index : undefined;
  };
  await checkClaimed(data.root, workspace, claim, (index, result) => post({ index, result }));
  // This thread's new memo entries, before it ends (its end is not the process's exit).
  flushMemos();
}

/** Builds each overlay of the named components (writing dist/render/components/<name>/), one set per overlay. */
export async function componentSets(root: string, names: readonly string[]): Promise<CheckSet[]> {
  const workspace = await loadWorkspace(root, { components: [...names], clusters: [] });
  await assertGeneratedFresh(root, workspace);
  const cache = new Map<string, unknown>();
  const sets: CheckSet[] = [];
  for (const name of names) {
    const loaded = workspace.components.find((c) => c.component.name === name)!;
    const { files, index } = renderComponent(root, loaded.dir, cache);
    const serialized = serializeAll(files);
    writeRenderFolder(root, `${RENDER_DIR}/components/${name}`, files, index, new Map([...serialized].map(([f, s]) => [f, s.content])));
    for (const f of files) {
      const overlay = path.posix.basename(f.file, ".yaml");
      sets.push({
        name: `${name}/${overlay}`,
        items: itemsOfObjects(f.file, f.objects, serialized.get(f.file)!, { componentSource: loaded.source }),
        files: 1,
        environment: isEnvironment(overlay) ? overlay : undefined,
        exceptions: declaredPolicyExceptions([loaded.component]),
        findings: [],
      });
    }
  }
  return sets;
}

export interface CheckOptions {
  readonly kubernetesVersion?: string;
  readonly environment?: Environment;
  readonly schemas?: SchemaValidator;
  /** The folders `schemas` was made from (--schemas): a cluster's own CRD schemas are added after them. */
  readonly extraSchemaDirs?: readonly string[];
  /** validate: the chart values a set deploys, against each chart's values.schema.json (tools/charts/values-check.ts). */
  readonly chartValues?: (set: CheckSet, root: string) => Finding[];
}

export interface CheckRun {
  readonly findings: Finding[];
  readonly summary: { files: number; objects: number; skipped?: number };
}

/** Runs validate or lint over every set; each set's duplicates and references are its own. */
export function checkSets(kind: CheckKind, sets: readonly CheckSet[], root: string, options: CheckOptions = {}): CheckRun {
  const findings: Finding[] = [];
  let objects = 0;
  let files = 0;
  const append = (list: readonly Finding[]) => {
    // A loop, not push(...list): spreading 120k+ arguments overflows the stack.
    for (const f of list) findings.push(f);
  };
  for (const set of sets) {
    append(set.findings);
    if (kind === "validate") {
      // A cluster's own CRDs come last: what the cluster installs wins over bundled and --schemas schemas.
      const schemas = set.crdSchemaDir ? schemaValidator([...(options.extraSchemaDirs ?? []), set.crdSchemaDir]) : options.schemas;
      append(validateItems(set.items, root, { kubernetesVersion: options.kubernetesVersion ?? set.kubernetesVersion, cluster: set.context, schemas, unitReferences: set.unitReferences }));
      if (options.chartValues) append(options.chartValues(set, root));
    } else {
      append(lintItems(set.items, root, { ...(set.policy ?? {}), environment: options.environment ?? set.environment ?? "prod" }, { exceptions: set.exceptions, partlyChecked: set.partlyChecked }));
    }
    objects += objectCount(set.items);
    files += set.files;
  }
  return { findings, summary: { files, objects } };
}

/** For Nx: a run's findings as a cached output, dist/findings/<kind>/<name>.json. */
export function writeFindingsReport(root: string, kind: CheckKind, name: string, run: CheckRun): void {
  const reportFile = path.join(root, "dist/findings", kind, `${name}.json`);
  mkdirSync(path.dirname(reportFile), { recursive: true });
  writeFileSync(reportFile, `${JSON.stringify(toJsonReport(kind, run.summary, run.findings), null, 2)}\n`);
}
