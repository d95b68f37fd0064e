/**
 * The pipeline benchmark behind `gitops bench` (`npm run bench`): synthetic platforms of N components × M
 * clusters and the platform of this repository, each in a temporary workspace, measured stage by stage
 * with the real CLI, real Nx and real `kubectl kustomize`. Nothing here is asserted against a time:
 * machines vary; the figures are reported, beside the targets.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { compareWithKubectl, kubectlVersion, type KubectlComparison } from "./kubectl-compare.ts";
import { baseEnv, run, type Run } from "./measure.ts";
import { writeSyntheticWorkspace, type SyntheticPlatform } from "./synthetic.ts";

export interface BenchOptions {
  readonly repoRoot: string;
  /** Synthetic sizes (components); each is measured with `clusters` clusters. */
  readonly sizes: readonly number[];
  readonly clusters: number;
  /** Compare with kubectl kustomize (default true); `kubectlSample` times that many folders and extrapolates. */
  readonly kubectl: boolean;
  readonly kubectlSample?: number;
  readonly nx: boolean;
  /** Measure this repository's platform too. */
  readonly real: boolean;
  /** Repetitions of the fast measurements of the real platform (median reported). */
  readonly realRuns: number;
  /** Keep the temporary workspaces (their paths are printed). */
  readonly keep: boolean;
  /** The toolchain to measure (default: this repository's tools/), e.g. an older checkout's, for before/after figures. */
  readonly toolsDir?: string;
  readonly log: (line: string) => void;
}

export interface StageRow {
  readonly stage: string;
  readonly command: string;
  readonly seconds: number;
  readonly objects?: number;
  readonly objectsPerSecond?: number;
  readonly peakRssMb?: number;
  readonly note?: string;
  /** Every repetition's wall seconds, when repeated. */
  readonly runs?: readonly number[];
}

export interface AffectedCheck {
  readonly changed: string;
  readonly expected: readonly string[];
  readonly projects: readonly string[];
  readonly tasks: readonly string[];
  readonly ok: boolean;
}

export interface KubectlResult extends KubectlComparison {
  /** `gitops render` of every cluster, whole process (start-up, build, writing dist/render). */
  readonly renderCommandSeconds: number;
  /** kubectl total ÷ `gitops render` whole process. */
  readonly ratioWholeProcess: number;
  /** kubectl median per folder ÷ this renderer's median per folder, in process. */
  readonly ratioPerFolder: number;
}

export interface SizeResult {
  readonly name: string;
  readonly components: number;
  readonly clusters: number;
  readonly objects: number;
  readonly generatedFiles: number;
  readonly rows: StageRow[];
  readonly kubectl?: KubectlResult;
  readonly affected?: AffectedCheck;
  readonly workspace?: string;
}

export interface Machine {
  readonly cpu: string;
  readonly nproc: number;
  readonly memory: string;
  readonly node: string;
  readonly kubectl?: string;
  readonly nx?: string;
  readonly platform: string;
  readonly date: string;
}

export interface TargetCheck {
  readonly target: string;
  readonly figure: string;
  readonly ok: boolean | undefined;
}

export interface BenchReport {
  readonly machine: Machine;
  readonly sizes: SizeResult[];
  readonly real?: SizeResult;
  readonly scaling?: { readonly from: number; readonly to: number; readonly objectsRatio: number; readonly timeRatio: number; readonly stage: string };
  readonly targets: TargetCheck[];
}

const WHOLE_COLD = "whole pipeline, first run (empty caches)";
const WHOLE_WARM = "whole pipeline, cold process (warm toolchain caches)";
const WHOLE_AFTER_INSTALL = "whole pipeline, first run after npm ci (toolchain cache prepared by its postinstall, gitops warm)";
const CHARTS_PULL = "charts pull (empty chart cache)";
const CHARTS_COLD_RENDER = "render, charts cold (pulled, no templated output cached)";
const WARM_STAGE = "npm ci's postinstall: gitops warm (empty caches)";
const NX_SKIP_CACHE = "Nx, validate lint render, --skip-nx-cache";
const NX_TOOLS_AFFECTED = "Nx affected -t validate, after a tools/ change";
const VALIDATE_FILES = "validate files (dist/render)";
const VALIDATE_FILES_AGAIN = "validate files (dist/render), validators compiled";
const NX_AFFECTED_PREFIX = "Nx affected, ";

/** Nx as CI runs it: no daemon, no Nx Cloud, plain output. */
const NX_ENV = { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true" };

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function machine(repoRoot: string, kubectl?: string): Machine {
  let nx: string | undefined;
  try {
    nx = (JSON.parse(readFileSync(path.join(repoRoot, "node_modules/nx/package.json"), "utf8")) as { version: string }).version;
  } catch {
    nx = undefined;
  }
  return {
    cpu: os.cpus()[0]?.model ?? "unknown",
    nproc: os.availableParallelism(),
    memory: `${gib(os.totalmem())} total, ${gib(os.freemem())} free`,
    node: process.version,
    kubectl,
    nx,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    date: new Date().toISOString(),
  };
}

/** A fresh cache folder for the toolchain's on-disk caches (compiled schemas, type-check stamps). */
function freshCacheDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), "gitops-bench-cache-"));
}

function coldEnv(cacheDir: string): Record<string, string> {
  return { GITOPS_CACHE_DIR: cacheDir, TSX_DISABLE_CACHE: "1" };
}

function gitops(root: string, args: string[], env: Record<string, string | undefined>, expectStatus: number | null = 0): Run {
  return run(process.execPath, [path.join(root, "tools/bin/gitops.mjs"), ...args], { cwd: root, env, expectStatus });
}

function nxBin(repoRoot: string): string {
  return realpathSync(path.join(repoRoot, "node_modules/.bin/nx"));
}

/**
 * Nx as `npx nx` runs it: with node_modules/.bin first on the PATH, so that Nx and its tasks use the
 * project's pinned Node (Nx loads the plugin, a .ts file, with Node's type stripping).
 */
function nx(repoRoot: string, root: string, args: string[], env: Record<string, string | undefined> = {}): Run {
  const bin = path.join(repoRoot, "node_modules", ".bin");
  const node = existsSync(path.join(bin, "node")) ? path.join(bin, "node") : process.execPath;
  return run(node, [nxBin(repoRoot), ...args], { cwd: root, env: { ...NX_ENV, PATH: `${bin}${path.delimiter}${baseEnv().PATH}`, ...env } });
}

function git(root: string, args: string[]): void {
  run("git", args, { cwd: root, rss: false, env: { GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" } });
}

function commitAll(root: string, message: string): void {
  git(root, ["add", "-A"]);
  git(root, ["commit", "-qm", message, "--no-verify"]);
}

interface AllSummary {
  clusters: { cluster: string; objects: number; charts?: { rendered: number; total: number } }[];
  errors: number;
  warnings: number;
}

/** `charts rendered 57/58` from a `gitops all --json` run: how many chart sources the run templated (or found templated). */
function chartsRendered(r: Run): string {
  try {
    const clusters = (JSON.parse(r.stdout) as AllSummary).clusters;
    const rendered = clusters.reduce((n, c) => n + (c.charts?.rendered ?? 0), 0);
    const total = clusters.reduce((n, c) => n + (c.charts?.total ?? 0), 0);
    return `charts rendered ${rendered}/${total}`;
  } catch {
    return "charts: no JSON summary";
  }
}

function objectsOf(r: Run): { objects: number; summary: AllSummary } {
  const summary = JSON.parse(r.stdout) as AllSummary;
  return { objects: summary.clusters.reduce((n, c) => n + c.objects, 0), summary };
}

function row(stage: string, r: Run, objects: number | undefined, note?: string, runs?: number[]): StageRow {
  return {
    stage,
    command: r.command.replace(/^node \S*gitops\.mjs/, "gitops").replace(/^node \S*nx\.js/, "nx"),
    seconds: r.seconds,
    ...(objects !== undefined ? { objects, objectsPerSecond: objects / r.seconds } : {}),
    ...(r.peakRssMb !== undefined ? { peakRssMb: r.peakRssMb } : {}),
    ...(note ? { note } : {}),
    ...(runs && runs.length > 1 ? { runs } : {}),
  };
}

/** Removes everything `generate` writes and every render, so that the next run starts from the sources only. */
function removeGenerated(root: string, componentDirs: readonly string[], clusters: readonly string[]): void {
  for (const dir of componentDirs) {
    rmSync(path.join(root, dir, "base"), { recursive: true, force: true });
    rmSync(path.join(root, dir, "overlays"), { recursive: true, force: true });
  }
  for (const cluster of clusters) {
    const dir = path.join(root, "clusters", cluster);
    for (const name of readdirSync(dir)) if (name !== "cluster.ts") rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  rmSync(path.join(root, "dist"), { recursive: true, force: true });
}

function countFiles(root: string, rels: readonly string[]): number {
  let n = 0;
  const walk = (abs: string) => {
    if (!existsSync(abs)) return;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(abs, entry.name));
      else if (entry.name.endsWith(".yaml")) n++;
    }
  };
  for (const rel of rels) walk(path.join(root, rel));
  return n;
}

function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/** How many tasks Nx took from its cache, of how many. */
function nxCacheHits(r: Run): { hits: number; tasks: number } | undefined {
  const cached = /read the output from the cache instead of running the command for (\d+) out of (\d+) tasks/.exec(plain(r.stdout + r.stderr));
  return cached ? { hits: Number(cached[1]), tasks: Number(cached[2]) } : undefined;
}

/** The tasks of a run that did not come from the cache. */
function nxMisses(r: Run): string[] {
  return plain(r.stdout)
    .split("\n")
    .filter((line) => /^> nx run \S+/.test(line.trim()) && !/\[(local cache|remote cache|existing outputs match the cache, left as is)\]/.test(line))
    .map((line) => line.trim().replace(/^> nx run\s+/, "").split(/\s+/)[0]);
}

/** "31 projects, 124 tasks" and the cache line, shortened. */
function nxNote(r: Run): string {
  const text = plain(r.stdout + r.stderr);
  const ran = /Successfully ran targets? [^\n]*?for (\d+) projects?/.exec(text);
  const parts: string[] = [];
  if (ran) parts.push(`${ran[1]} projects`);
  const cache = nxCacheHits(r);
  parts.push(cache ? `${cache.hits}/${cache.tasks} from cache` : "no cache hits");
  return parts.join(", ");
}

function nxCachedAll(r: Run): boolean {
  const cache = nxCacheHits(r);
  return Boolean(cache && cache.hits === cache.tasks);
}

/** The projects `nx affected -t validate` would run tasks for, from Nx's own task graph. */
function affectedProjects(repoRoot: string, root: string): { tasks: string[]; projects: string[]; run: Run } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-bench-graph-")), "graph.json");
  const r = nx(repoRoot, root, ["affected", "-t", "validate", "--base=HEAD~1", "--head=HEAD", `--graph=${file}`]);
  const graph = JSON.parse(readFileSync(file, "utf8")) as { tasks: { tasks: Record<string, unknown> } };
  rmSync(path.dirname(file), { recursive: true, force: true });
  const tasks = Object.keys(graph.tasks.tasks).sort();
  // A cluster's render depends on the generate of every component it includes (cache hits when unchanged): the affected projects are those with other tasks.
  const checked = tasks.filter((t) => !t.endsWith(":generate"));
  return { tasks, projects: [...new Set(checked.map((t) => t.split(":")[0]))].sort(), run: r };
}

/** Nx's own default, overriding the workspace's .env (NX_ISOLATE_PLUGINS=false): each plugin in a worker process. */
const NX_ISOLATED_PLUGINS = { NX_ISOLATE_PLUGINS: "true" };

/** The run with the median wall time (the lower middle one of an even count). */
function median(runs: readonly Run[]): Run {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[(runs.length - 1) >> 1];
}

function cachedRuns(opts: BenchOptions, root: string, runs: number, env: Record<string, string>, label: string): { median: Run; all: Run[] } {
  const all: Run[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) {
    opts.log(`  nx run-many -t validate lint (${label})${runs > 1 ? ` ${i + 1}/${runs}` : ""}`);
    all.push(nx(opts.repoRoot, root, ["run-many", "-t", "validate", "lint", "--outputStyle=static"], env));
  }
  return { median: median(all), all };
}

/** A figure as a multiple of `gitops all` (npm start) measured in the same run. */
function ratio(seconds: number, allSeconds: number | undefined): string {
  return allSeconds ? `${(seconds / allSeconds).toFixed(1)}× npm start (${allSeconds.toFixed(2)} s in this run)` : "";
}

/**
 * `nx run-many -t validate lint` with empty Nx and toolchain caches, then again (every task a cache hit)
 * three ways: as CI runs Nx (no daemon; the plugin in Nx's own process, as the workspace's .env sets),
 * with Nx's default of a worker process per plugin, and with the Nx daemon. Then every validate, lint and
 * render task without the Nx cache, batched (the default: one process runs every task) and, with
 * `unbatched`, each task a process of its own (`--batch=false`). `allSeconds` is `gitops all`'s figure of
 * the same run, for the ratios.
 */
function measureNx(opts: BenchOptions, root: string, rows: StageRow[], objects: number, cacheDirs: string[], runs = 1, allSeconds?: number, unbatched = false): void {
  rmSync(path.join(root, ".nx"), { recursive: true, force: true });
  const cache = freshCacheDir();
  cacheDirs.push(cache);
  opts.log("  nx run-many -t validate lint (cold: empty Nx cache, empty toolchain caches)");
  const cold = nx(opts.repoRoot, root, ["run-many", "-t", "validate", "lint", "--outputStyle=static"], coldEnv(cache));
  rows.push(row("Nx, cold", cold, objects, `${nxNote(cold)}; batched: one process runs every task; ${ratio(cold.seconds, allSeconds)}`));
  const warm = { GITOPS_CACHE_DIR: cache };
  const variants: [string, string, Record<string, string>][] = [
    ["Nx, all cache hits (CI: no daemon)", "no daemon", warm],
    ["Nx, all cache hits (no daemon, NX_ISOLATE_PLUGINS=true)", "no daemon, a worker process per plugin", { ...warm, ...NX_ISOLATED_PLUGINS }],
    ["Nx, all cache hits (daemon)", "daemon", { ...warm, NX_DAEMON: "true" }],
  ];
  for (const [stage, label, env] of variants) {
    const daemon = env.NX_DAEMON === "true";
    // The daemon computes the project graph once; the first run starts it.
    if (daemon) nx(opts.repoRoot, root, ["run-many", "-t", "validate", "lint", "--outputStyle=static"], env);
    try {
      const { median: cached, all } = cachedRuns(opts, root, runs, env, label);
      const misses = all.filter((r) => !nxCachedAll(r)).map((r) => `run ${all.indexOf(r) + 1}: ${nxNote(r)}${nxMisses(r).length ? ` (${nxMisses(r).slice(0, 5).join(", ")})` : ""}`);
      rows.push(row(stage, cached, objects, `${nxNote(cached)}; ${ratio(cached.seconds, allSeconds)}${misses.length ? ` — NOT all cache hits: ${misses.join("; ")}` : ""}`, all.map((r) => r.seconds)));
    } finally {
      if (daemon) nx(opts.repoRoot, root, ["daemon", "--stop"], { NX_DAEMON: "true" });
    }
  }
  const skipArgs = ["run-many", "-t", "validate", "lint", "render", "--skip-nx-cache", "--outputStyle=static"];
  const skipped: Run[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) {
    opts.log(`  nx run-many -t validate lint render --skip-nx-cache (batched)${runs > 1 ? ` ${i + 1}/${runs}` : ""}`);
    skipped.push(nx(opts.repoRoot, root, skipArgs, warm));
  }
  const skip = median(skipped);
  rows.push(row(NX_SKIP_CACHE, skip, objects, `${nxNote(skip)}; batched: one process runs every task; ${ratio(skip.seconds, allSeconds)}`, skipped.map((r) => r.seconds)));
  if (unbatched) {
    opts.log("  nx run-many -t validate lint render --skip-nx-cache --batch=false (each task a process)");
    const each = nx(opts.repoRoot, root, [...skipArgs, "--batch=false"], warm);
    rows.push(row(`${NX_SKIP_CACHE}, --batch=false`, each, objects, `${nxNote(each)}; each task a process of its own, as before the batch executor; ${ratio(each.seconds, allSeconds)}`));
  }
}

/** `nx affected -t validate` after a change under tools/ (every task runs), then the change is undone. */
function measureToolsAffected(opts: BenchOptions, root: string, rows: StageRow[], env: Record<string, string>, allSeconds?: number): void {
  const file = path.join(root, "tools/model/environment.ts");
  const text = readFileSync(file, "utf8");
  writeFileSync(file, `${text}\n// a change under tools/\n`);
  commitAll(root, "a change under tools/");
  try {
    opts.log("  nx affected -t validate after a tools/ change");
    const r = nx(opts.repoRoot, root, ["affected", "-t", "validate", "--base=HEAD~1", "--head=HEAD", "--outputStyle=static"], env);
    rows.push(row(NX_TOOLS_AFFECTED, r, undefined, `${nxNote(r)}; no daemon; ${ratio(r.seconds, allSeconds)}`));
  } finally {
    writeFileSync(file, text);
    commitAll(root, "the tools/ change undone");
  }
}

/** Changes one value of a component no other component imports, regenerates, commits, and checks `nx affected`. */
function measureAffected(opts: BenchOptions, platform: SyntheticPlatform, rows: StageRow[], env: Record<string, string>): AffectedCheck {
  const { root } = platform;
  const file = path.join(root, platform.leafDir, "component.ts");
  const text = readFileSync(file, "utf8");
  const changed = text.replace("workerReplicas: 2,", "workerReplicas: 3,");
  if (changed === text) throw new Error(`${platform.leafDir}/component.ts: no value to change`);
  writeFileSync(file, changed);
  gitops(root, ["generate", "--component", platform.leaf], env);
  commitAll(root, `${platform.leaf}: three workers in prod`);
  const { tasks, projects } = affectedProjects(opts.repoRoot, root);
  const expected = [platform.leaf, ...platform.clusters].sort();
  const ok = JSON.stringify(projects) === JSON.stringify(expected);
  opts.log(`  nx affected -t validate after ${platform.leaf} changed: ${projects.join(", ")} ${ok ? "(as expected)" : `(EXPECTED ${expected.join(", ")})`}`);
  const r = nx(opts.repoRoot, root, ["affected", "-t", "validate", "lint", "--base=HEAD~1", "--head=HEAD", "--outputStyle=static"], env);
  rows.push(row(`${NX_AFFECTED_PREFIX}${platform.leaf} changed`, r, undefined, `${nxNote(r)}; projects: ${projects.join(", ")}; no daemon`));
  return { changed: platform.leaf, expected, projects, tasks, ok };
}

function measureKubectl(opts: BenchOptions, root: string, clusters: readonly string[], renderSeconds: number): KubectlResult {
  opts.log(`  kubectl kustomize of every folder the engines build${opts.kubectlSample ? ` (sample of ${opts.kubectlSample})` : ""}`);
  let last = 0;
  const comparison = compareWithKubectl(
    root,
    clusters.map((c) => `clusters/${c}`),
    {
      sample: opts.kubectlSample,
      onProgress: (done, total) => {
        if (done === total || performance.now() - last > 15_000) {
          last = performance.now();
          opts.log(`    ${done}/${total}`);
        }
      },
    },
  );
  return {
    ...comparison,
    renderCommandSeconds: renderSeconds,
    ratioWholeProcess: comparison.kubectlSeconds / renderSeconds,
    ratioPerFolder: comparison.kubectlMedianMs / comparison.oursMedianMs,
  };
}

const DIFF_STAGE = "diff of every cluster (base and head rendered)";
const DIFF_CHECKOUT_STAGE = "diff of every cluster, base checked out (--checkout)";

/**
 * `gitops diff` between the last commit and one that changes one thing, every cluster rendered at both:
 * the head from the (clean) working tree, the base from git over it (the files that differ read from git,
 * the others' builds reused); then once with --checkout (the base from a temporary git worktree), whose
 * output must be the same.
 */
function measureDiff(opts: BenchOptions, root: string, rows: StageRow[], objects: number, change: () => string, env: Record<string, string>, runs = 1): void {
  if (!existsSync(path.join(root, ".git"))) {
    git(root, ["init", "-q", "-b", "main"]);
    commitAll(root, "platform");
  }
  const what = change();
  commitAll(root, what);
  const all: Run[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) {
    opts.log(`  gitops diff --base HEAD~1 (${what})${runs > 1 ? ` ${i + 1}/${runs}` : ""}`);
    all.push(gitops(root, ["diff", "--base", "HEAD~1", "--output", "json"], env));
  }
  const r = median(all);
  const report = JSON.parse(r.stdout) as { clusters: { counts: { added: number; changed: number; removed: number }; risks: unknown[] }[] };
  const changed = report.clusters.reduce((n, c) => n + c.counts.added + c.counts.changed + c.counts.removed, 0);
  const risks = report.clusters.reduce((n, c) => n + c.risks.length, 0);
  rows.push(row(DIFF_STAGE, r, objects * 2, `${what}: ${changed} objects differ, ${risks} risks; objects/s counts both sides`, all.map((x) => x.seconds)));
  opts.log(`  gitops diff --base HEAD~1 --checkout (${what})`);
  const checkout = gitops(root, ["diff", "--base", "HEAD~1", "--checkout", "--output", "json"], env);
  const same = checkout.stdout === r.stdout;
  rows.push(row(DIFF_CHECKOUT_STAGE, checkout, objects * 2, `the base from a temporary git worktree; output ${same ? "identical to" : "DIFFERENT from"} the row above (${(checkout.seconds / r.seconds).toFixed(1)}× its time)`));
  if (!same) throw new Error(`gitops diff --checkout and gitops diff disagree on ${root} (${what}): the git view of the base is wrong`);
}

/** Changes the leaf service's worker replicas and regenerates it: what the synthetic diff measures. */
function changeLeaf(platform: SyntheticPlatform, env: Record<string, string>, from: number): string {
  const file = path.join(platform.root, platform.leafDir, "component.ts");
  const text = readFileSync(file, "utf8");
  const changed = text.replace(`workerReplicas: ${from},`, `workerReplicas: ${from + 1},`);
  if (changed === text) throw new Error(`${platform.leafDir}/component.ts: no workerReplicas: ${from} to change`);
  writeFileSync(file, changed);
  gitops(platform.root, ["generate", "--component", platform.leaf], env);
  return `${platform.leaf}: ${from + 1} workers in prod`;
}

export function benchSynthetic(opts: BenchOptions, components: number): SizeResult {
  const name = `${components}×${opts.clusters}`;
  opts.log(`synthetic ${name}: writing the workspace`);
  const platform = writeSyntheticWorkspace(opts.repoRoot, { components, clusters: opts.clusters }, { toolsDir: opts.toolsDir });
  const { root } = platform;
  const rows: StageRow[] = [];
  const cacheDirs: string[] = [];
  try {
    const cache = freshCacheDir();
    cacheDirs.push(cache);
    const cold = coldEnv(cache);

    opts.log("  gitops all (cold: nothing generated, empty caches)");
    const allCold = gitops(root, ["all", "--json"], cold);
    const { objects, summary } = objectsOf(allCold);
    rows.push(row(WHOLE_COLD, allCold, objects, `generate (type check, every file written) + render + validate + lint of ${opts.clusters} clusters; empty toolchain caches; ${summary.errors} errors, ${summary.warnings} warnings`));
    const generatedFiles = countFiles(root, [...platform.componentDirs, ...platform.clusters.map((c) => `clusters/${c}`)]);

    opts.log("  gitops all (warm: nothing changed)");
    const allWarm = gitops(root, ["all", "--json"], { GITOPS_CACHE_DIR: cache });
    rows.push(row(WHOLE_WARM, allWarm, objects, "gitops all again, a new process: generate writes nothing; toolchain caches warm"));

    // Stage by stage, from the sources only, each stage a process of its own, as CI without Nx runs them.
    removeGenerated(root, platform.componentDirs, platform.clusters);
    const stageCache = freshCacheDir();
    cacheDirs.push(stageCache);
    const stageEnv = coldEnv(stageCache);
    opts.log("  gitops generate (cold)");
    rows.push(row("generate (cold)", gitops(root, ["generate"], stageEnv), objects, `${generatedFiles} files written`));
    opts.log("  gitops render");
    const render = gitops(root, ["render"], stageEnv);
    rows.push(row("render", render, objects));
    opts.log("  gitops validate dist/render (files: discovered, parsed, checked per applied unit)");
    const files = gitops(root, ["validate", "--output", "json", "dist/render"], stageEnv, null);
    const fileObjects = (JSON.parse(files.stdout) as { summary: { objects: number } }).summary.objects;
    rows.push(row(VALIDATE_FILES, files, fileObjects, "whole process: the rendered YAML of every cluster read back from files (engine objects, CRs, Applications, many kinds); compiles the schema validators of its kinds"));
    // Again, as a user validates new files: compiled validators cached (npm ci's gitops warm compiles the
    // workspace's), but no memoised findings, so every object is really validated. Median of three.
    const again: Run[] = [];
    for (let i = 0; i < 3; i++) {
      for (const memo of ["schema-findings", "locations", "chart-values-findings"]) rmSync(path.join(stageCache, memo), { recursive: true, force: true });
      again.push(gitops(root, ["validate", "--output", "json", "dist/render"], stageEnv, null));
    }
    const medianRun = [...again].sort((a, b) => a.seconds - b.seconds)[1]!;
    rows.push(row(VALIDATE_FILES_AGAIN, medianRun, fileObjects, "the same, compiled validators cached, no memoised findings (every object validated)", again.map((r) => r.seconds)));
    opts.log("  gitops validate");
    rows.push(row("validate", gitops(root, ["validate"], stageEnv), objects, "renders every cluster itself"));
    opts.log("  gitops lint");
    rows.push(row("lint", gitops(root, ["lint"], stageEnv), objects, "renders every cluster itself"));

    const kubectl = opts.kubectl ? measureKubectl(opts, root, platform.clusters, render.seconds) : undefined;

    let affected: AffectedCheck | undefined;
    if (opts.nx) {
      git(root, ["init", "-q", "-b", "main"]);
      commitAll(root, "synthetic platform");
      measureNx(opts, root, rows, objects, cacheDirs, 1, allWarm.seconds);
      affected = measureAffected(opts, platform, rows, { GITOPS_CACHE_DIR: stageCache });
    }
    // After measureAffected the leaf has 3 workers in prod; without Nx it still has 2.
    const workers = opts.nx ? 3 : 2;
    measureDiff(opts, root, rows, objects, () => changeLeaf(platform, { GITOPS_CACHE_DIR: stageCache }, workers), { GITOPS_CACHE_DIR: stageCache }, 3);
    return { name, components, clusters: opts.clusters, objects, generatedFiles, rows, kubectl, affected, ...(opts.keep ? { workspace: root } : {}) };
  } finally {
    for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  }
}

const REPO_ENTRIES = [
  "nx.json",
  ".env",
  ".npmrc",
  "package.json",
  "package-lock.json",
  "charts.lock.json",
  "tsconfig.base.json",
  "tsconfig.json",
  ".gitignore",
  "tools",
  "schemas",
  "infrastructure",
  "apps",
  "clusters",
  "bootstrap",
  "docs",
];

/** A copy of this repository's platform (sources, generated files, tools, schemas) in a temporary git repository. */
export function copyRepository(repoRoot: string, toolsDir?: string): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "gitops-bench-repo-"));
  for (const entry of REPO_ENTRIES) {
    const from = entry === "tools" && toolsDir ? toolsDir : path.join(repoRoot, entry);
    if (!existsSync(from)) continue;
    cpSync(from, path.join(root, entry), { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
  }
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  git(root, ["init", "-q", "-b", "main"]);
  commitAll(root, "platform");
  return root;
}

export function benchReal(opts: BenchOptions): SizeResult {
  opts.log("this repository's platform: copying it to a temporary git repository");
  const root = copyRepository(opts.repoRoot, opts.toolsDir);
  const rows: StageRow[] = [];
  const cacheDirs: string[] = [];
  try {
    const checkCache = freshCacheDir();
    cacheDirs.push(checkCache);
    const check = gitops(root, ["generate", "--check", "--json"], coldEnv(checkCache), null);
    const upToDate = check.status === 0;

    const coldRuns: Run[] = [];
    for (let i = 0; i < opts.realRuns; i++) {
      opts.log(`  gitops all (cold: empty caches) ${i + 1}/${opts.realRuns}`);
      const cache = freshCacheDir();
      cacheDirs.push(cache);
      coldRuns.push(gitops(root, ["all", "--json"], coldEnv(cache), null));
    }
    const coldMedian = median(coldRuns);
    const { objects, summary } = objectsOf(coldMedian);
    const clusters = summary.clusters.length;
    const components = readdirSync(path.join(root, "infrastructure")).filter((n) => existsSync(path.join(root, "infrastructure", n, "component.ts"))).length +
      readdirSync(path.join(root, "apps")).filter((n) => existsSync(path.join(root, "apps", n, "component.ts"))).length;
    rows.push(row(WHOLE_COLD, coldMedian, objects, `gitops all: generate (nothing to write) + render + validate + lint; empty toolchain caches (first run after a clone); ${summary.errors} errors, ${summary.warnings} warnings`, coldRuns.map((r) => r.seconds)));

    // As after `git clone && npm ci`: the postinstall script (gitops warm) has prepared the cache.
    const warmCommandRuns: Run[] = [];
    const afterInstallRuns: Run[] = [];
    for (let i = 0; i < opts.realRuns; i++) {
      opts.log(`  gitops warm, then gitops all (first run after npm ci) ${i + 1}/${opts.realRuns}`);
      const cache = freshCacheDir();
      cacheDirs.push(cache);
      warmCommandRuns.push(gitops(root, ["warm", "--json"], coldEnv(cache)));
      afterInstallRuns.push(gitops(root, ["all", "--json"], { GITOPS_CACHE_DIR: cache }, null));
    }
    rows.push(row(WARM_STAGE, median(warmCommandRuns), undefined, "part of npm ci: strips the toolchain's TypeScript, type-checks, compiles the schema validators the workspace needs, pulls the charts, and renders, validates and lints every cluster without writing dist/render", warmCommandRuns.map((r) => r.seconds)));
    rows.push(row(WHOLE_AFTER_INSTALL, median(afterInstallRuns), objects, "gitops all in a new process after gitops warm", afterInstallRuns.map((r) => r.seconds)));

    const warmCache = freshCacheDir();
    cacheDirs.push(warmCache);
    gitops(root, ["all", "--json"], { GITOPS_CACHE_DIR: warmCache }, null);
    const warmRuns: Run[] = [];
    for (let i = 0; i < opts.realRuns; i++) {
      opts.log(`  gitops all (warm caches) ${i + 1}/${opts.realRuns}`);
      warmRuns.push(gitops(root, ["all", "--json"], { GITOPS_CACHE_DIR: warmCache }, null));
    }
    const warmMedian = median(warmRuns);
    rows.push(
      row(
        WHOLE_WARM,
        warmMedian,
        objects,
        `gitops all, a new process: no Nx; ${chartsRendered(warmMedian)}; memoised findings, compiled schema validators, type-check stamp, stripped TypeScript, pulled charts and templated chart output reused (no Helm process)`,
        warmRuns.map((r) => r.seconds),
      ),
    );

    // Charts: pulled into an empty chart cache, then every cluster rendered with no templated output
    // cached (every chart source templated, Helm two processes at a time).
    const chartsCache = freshCacheDir();
    cacheDirs.push(chartsCache);
    opts.log("  gitops charts pull (empty chart cache)");
    const pull = gitops(root, ["charts", "pull", "--json"], { GITOPS_CACHE_DIR: chartsCache }, null);
    const pulled = (() => {
      try {
        const charts = (JSON.parse(pull.stdout) as { charts: { problem: string | null }[] }).charts;
        return `${charts.filter((c) => !c.problem).length}/${charts.length} charts pulled`;
      } catch {
        return "no JSON summary";
      }
    })();
    rows.push(row(CHARTS_PULL, pull, undefined, `${pulled}${process.env.GITOPS_CHART_MIRROR ? " from GITOPS_CHART_MIRROR" : ""}; two helm pull at a time`));
    opts.log("  gitops render (charts cached, templated output not)");
    const coldRender = gitops(root, ["render", "--json"], { GITOPS_CACHE_DIR: chartsCache }, null);
    const templated = (() => {
      try {
        const targets = (JSON.parse(coldRender.stdout) as { targets: { charts?: { status: string }[] }[] }).targets;
        const charts = targets.flatMap((t) => t.charts ?? []);
        return `${charts.filter((c) => c.status === "rendered").length}/${charts.length} chart sources templated`;
      } catch {
        return "no JSON summary";
      }
    })();
    rows.push(row(CHARTS_COLD_RENDER, coldRender, objects, `${templated} across ${clusters} clusters; Helm two processes at a time; also strips TypeScript into the empty cache`));

    for (const [stage, args] of [
      ["generate", ["generate"]],
      ["render", ["render"]],
      ["validate", ["validate"]],
      ["lint", ["lint"]],
    ] as const) {
      opts.log(`  gitops ${stage} (warm caches)`);
      const r = gitops(root, [...args], { GITOPS_CACHE_DIR: warmCache }, null);
      rows.push(row(`${stage} (warm caches)`, r, objects, stage === "generate" ? "nothing to write" : stage === "render" ? undefined : "renders every cluster itself"));
    }
    if (opts.nx) {
      measureNx(opts, root, rows, objects, cacheDirs, opts.realRuns, warmMedian.seconds, true);
      measureToolsAffected(opts, root, rows, { GITOPS_CACHE_DIR: warmCache }, warmMedian.seconds);
    }
    measureDiff(
      opts,
      root,
      rows,
      objects,
      () => {
        // A chart value: both sides' charts are templated (the base's from the cache, the head's new values once).
        const file = path.join(root, "clusters/local/apps/application-argo-cd.yaml");
        const text = readFileSync(file, "utf8");
        const replicas = /(\n {10}controller:\n {12}replicas: )(\d+)/.exec(text);
        if (!replicas) throw new Error("clusters/local/apps/application-argo-cd.yaml: no controller replicas value to change");
        writeFileSync(file, text.replace(replicas[0], `${replicas[1]}${Number(replicas[2]) + 1}`));
        return "argo-cd chart value (controller replicas) on local";
      },
      { GITOPS_CACHE_DIR: warmCache },
      opts.realRuns,
    );
    return {
      name: "this repository",
      components,
      clusters,
      objects,
      generatedFiles: countFiles(root, ["infrastructure", "apps", "clusters"]),
      rows: [
        ...rows,
        {
          stage: "generate --check",
          command: "gitops generate --check",
          seconds: check.seconds,
          note: upToDate ? "committed files are up to date" : "committed files are OUT OF DATE",
        },
      ],
      ...(opts.keep ? { workspace: root } : {}),
    };
  } finally {
    for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
    if (!opts.keep) rmSync(root, { recursive: true, force: true });
  }
}

function stageSeconds(result: SizeResult | undefined, stage: string): number | undefined {
  return result?.rows.find((r) => r.stage === stage)?.seconds;
}

export function targetChecks(report: Omit<BenchReport, "targets">): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const fmt = (s: number | undefined) => (s === undefined ? "not measured" : `${s.toFixed(2)} s`);
  const real = report.real;
  for (const stage of [WHOLE_AFTER_INSTALL, WHOLE_WARM, WHOLE_COLD]) {
    const seconds = stageSeconds(real, stage);
    checks.push({
      target: `this repository: generate + render + validate + lint of every cluster < 3 s — ${stage.replace(/^whole pipeline, /, "")}`,
      figure: fmt(seconds),
      ok: seconds === undefined ? undefined : seconds < 3,
    });
  }
  // Charts (issue "Render what Argo CD and Flux apply"): a warm npm start with every chart cached, and
  // every cluster rendered with the charts pulled but nothing templated yet (Helm processes in parallel).
  const warmWithCharts = real?.rows.find((r) => r.stage === WHOLE_WARM);
  checks.push({
    target: "this repository: warm npm start (gitops all, a new process) with every chart cached ≤ 2.5 s",
    figure: warmWithCharts ? `${fmt(warmWithCharts.seconds)}${warmWithCharts.note?.includes("charts") ? ` (${/charts rendered [^;]*/.exec(warmWithCharts.note)?.[0] ?? ""})` : ""}` : "not measured",
    ok: warmWithCharts === undefined ? undefined : warmWithCharts.seconds <= 2.5,
  });
  const coldRender = stageSeconds(real, CHARTS_COLD_RENDER);
  checks.push({
    target: "this repository: cold render of every cluster (charts pulled, no templated output cached) < 20 s",
    figure: fmt(coldRender),
    ok: coldRender === undefined ? undefined : coldRender < 20,
  });
  for (const stage of ["Nx, all cache hits (CI: no daemon)", "Nx, all cache hits (daemon)"]) {
    const seconds = stageSeconds(real, stage);
    if (seconds === undefined && stage !== "Nx, all cache hits (CI: no daemon)") continue;
    checks.push({ target: `this repository: every Nx task a cache hit < 1 s — ${stage.replace(/^Nx, all cache hits /, "")}`, figure: fmt(seconds), ok: seconds === undefined ? undefined : seconds < 1 });
  }
  const skip = stageSeconds(real, NX_SKIP_CACHE);
  checks.push({ target: "this repository: nx run-many -t validate lint render --skip-nx-cache < 6 s", figure: fmt(skip), ok: skip === undefined ? undefined : skip < 6 });
  const tools = stageSeconds(real, NX_TOOLS_AFFECTED);
  checks.push({ target: "this repository: nx affected -t validate after a tools/ change < 6 s", figure: fmt(tools), ok: tools === undefined ? undefined : tools < 6 });
  const diff = stageSeconds(real, DIFF_STAGE);
  const start = stageSeconds(real, WHOLE_WARM);
  if (diff !== undefined || real) {
    checks.push({
      target: "this repository: gitops diff of every cluster (base and head rendered) < 2× one npm start (gitops all, cold process)",
      figure: diff === undefined || start === undefined ? "not measured" : `${diff.toFixed(2)} s = ${(diff / start).toFixed(2)}× ${start.toFixed(2)} s`,
      ok: diff === undefined || start === undefined ? undefined : diff < 2 * start,
    });
  }
  const big = report.sizes.find((s) => s.components === 400) ?? report.sizes[report.sizes.length - 1];
  if (big) {
    const nxChecks: [string, string, number][] = [
      ["Nx, all cache hits (CI: no daemon)", "every Nx task a cache hit, no daemon", 4],
      ["Nx, cold", "cold nx run-many -t validate lint", 30],
    ];
    for (const [stage, what, limit] of nxChecks) {
      const seconds = stageSeconds(big, stage);
      if (seconds !== undefined) checks.push({ target: `synthetic ${big.name}: ${what} < ${limit} s`, figure: fmt(seconds), ok: seconds < limit });
    }
    const affectedRow = big.rows.find((r) => r.stage.startsWith(NX_AFFECTED_PREFIX));
    if (affectedRow) checks.push({ target: `synthetic ${big.name}: nx affected -t validate lint after one component changed < 5 s`, figure: fmt(affectedRow.seconds), ok: affectedRow.seconds < 5 });
    const whole = stageSeconds(big, WHOLE_COLD);
    checks.push({ target: `synthetic ${big.name} (${big.objects} objects): whole pipeline, first run, < 20 s`, figure: fmt(whole), ok: whole === undefined ? undefined : whole < 20 });
    checks.push({ target: `synthetic ${big.name}: whole pipeline, first run, < 8 s`, figure: fmt(whole), ok: whole === undefined ? undefined : whole < 8 });
    const rss = Math.max(...big.rows.filter((r) => !r.stage.startsWith("Nx")).map((r) => r.peakRssMb ?? 0));
    checks.push({ target: `synthetic ${big.name}: peak RSS < 1 GB`, figure: `${rss.toFixed(0)} MB`, ok: rss < 1024 });
    for (const [stage, what] of [
      [VALIDATE_FILES, "first run, compiling its validators"],
      [VALIDATE_FILES_AGAIN, "validators compiled, no memoised findings"],
    ] as const) {
      const files = big.rows.find((r) => r.stage === stage);
      if (files?.objectsPerSecond === undefined) continue;
      checks.push({ target: `synthetic ${big.name}: validate from files ≥ 15,000 objects/s end to end — ${what}`, figure: `${Math.round(files.objectsPerSecond).toLocaleString("en-US")} objects/s (${files.objects} objects in ${files.seconds.toFixed(2)} s)`, ok: files.objectsPerSecond >= 15_000 });
    }
    const bigDiff = stageSeconds(big, DIFF_STAGE);
    if (bigDiff !== undefined) checks.push({ target: `synthetic ${big.name}: gitops diff of every cluster < 20 s`, figure: fmt(bigDiff), ok: bigDiff < 20 });
  }
  if (report.scaling) {
    const { timeRatio, objectsRatio, from, to } = report.scaling;
    checks.push({
      target: `time grows no worse than linearly from ${from} to ${to} components`,
      figure: `${objectsRatio.toFixed(1)}× the objects took ${timeRatio.toFixed(1)}× the time`,
      ok: timeRatio <= objectsRatio,
    });
  }
  for (const size of report.sizes) {
    if (!size.kubectl) continue;
    const k = size.kubectl;
    checks.push({
      target: `synthetic ${size.name}: render ≥ 20× faster than kubectl kustomize per folder`,
      figure: `${k.ratioPerFolder.toFixed(0)}× per folder (in process); ${k.ratioWholeProcess.toFixed(1)}× for the whole gitops render process`,
      ok: k.ratioPerFolder >= 20,
    });
    checks.push({
      target: `synthetic ${size.name}: render identical to kubectl kustomize`,
      figure: `${k.identical}/${k.compared} folders identical${k.sampled ? " (sample)" : ""}`,
      ok: k.identical === k.compared,
    });
  }
  for (const size of report.sizes) {
    if (!size.affected) continue;
    checks.push({
      target: `synthetic ${size.name}: nx affected after ${size.affected.changed} changed runs only its and its clusters' tasks`,
      figure: size.affected.projects.join(", "),
      ok: size.affected.ok,
    });
  }
  return checks;
}

export function runBench(opts: BenchOptions): BenchReport {
  const kubectl = opts.kubectl ? kubectlVersion() : undefined;
  const sizes: SizeResult[] = [];
  for (const n of opts.sizes) sizes.push(benchSynthetic(opts, n));
  const real = opts.real ? benchReal(opts) : undefined;
  let scaling: BenchReport["scaling"];
  if (sizes.length >= 2) {
    const small = sizes[0];
    const large = sizes[sizes.length - 1];
    const a = stageSeconds(small, WHOLE_COLD);
    const b = stageSeconds(large, WHOLE_COLD);
    if (a && b) scaling = { from: small.components, to: large.components, objectsRatio: large.objects / small.objects, timeRatio: b / a, stage: WHOLE_COLD };
  }
  const partial = { machine: machine(opts.repoRoot, kubectl), sizes, real, scaling };
  return { ...partial, targets: targetChecks(partial) };
}

// --- report ---------------------------------------------------------------------------------------------

function n(value: number | undefined, digits = 2): string {
  return value === undefined ? "" : value.toFixed(digits);
}

function int(value: number | undefined): string {
  return value === undefined ? "" : Math.round(value).toLocaleString("en-US");
}

function stageTable(result: SizeResult): string {
  const lines = ["| stage | command | wall s | objects/s | peak RSS MB | note |", "| --- | --- | ---: | ---: | ---: | --- |"];
  for (const r of result.rows) {
    const runs = r.runs ? ` (runs: ${r.runs.map((s) => s.toFixed(2)).join(", ")})` : "";
    lines.push(`| ${r.stage} | \`${r.command}\` | ${n(r.seconds)} | ${int(r.objectsPerSecond)} | ${int(r.peakRssMb)} | ${(r.note ?? "") + runs} |`);
  }
  return lines.join("\n");
}

function kubectlSection(k: KubectlResult): string {
  const sample = k.sampled ? ` **Sampled: kubectl ran on ${k.compared} of ${k.overlays} folders; its total is extrapolated from their mean.**` : "";
  return [
    `Real Kustomize on the same input (${k.kubectlVersion}): \`kubectl kustomize\` once per folder per cluster, as the GitOps engines build them — ${k.overlays} folders, ${int(k.objects)} objects.${sample}`,
    "",
    "| | total s | median per folder ms |",
    "| --- | ---: | ---: |",
    `| kubectl kustomize, one process per folder | ${n(k.kubectlSeconds)} | ${n(k.kubectlMedianMs, 1)} |`,
    `| this renderer, in process | ${n(k.oursSeconds)} | ${n(k.oursMedianMs, 2)} |`,
    `| \`gitops render\`, whole process (start-up, every cluster, writing dist/render) | ${n(k.renderCommandSeconds)} | |`,
    "",
    `Ratio: **${k.ratioPerFolder.toFixed(0)}×** faster per folder; ${k.ratioWholeProcess.toFixed(1)}× for the whole \`gitops render\` process against kubectl over every folder. ` +
      `Outputs identical object by object (key order included): **${k.identical}/${k.compared}** folders${k.differences.length ? `; different: ${k.differences.map((d) => `${d.cluster}:${d.path} (${d.difference})`).join("; ")}` : ""}.`,
  ].join("\n");
}

export function toMarkdown(report: BenchReport): string {
  const m = report.machine;
  const out: string[] = [
    "# gitops bench",
    "",
    `Machine: ${m.cpu}, nproc ${m.nproc}, memory ${m.memory}, Node ${m.node}, Nx ${m.nx ?? "?"}${m.kubectl ? `, ${m.kubectl}` : ""}; ${m.platform}; ${m.date}.`,
    "Wall seconds of whole processes as a user runs them (`node tools/bin/gitops.mjs …` with the Node above; Nx with node_modules/.bin first on the PATH, as `npx nx` runs it).",
    "Peak RSS is the largest Node process of the command (for Nx, of any process it started). objects/s = objects rendered across the clusters ÷ wall seconds.",
    "First run = a new process, nothing generated yet (synthetic platforms) and empty toolchain caches (type-check stamps, compiled schema validators, stripped TypeScript: node_modules/.cache/gitops), as after a fresh clone.",
    "Cold process = a new process without Nx, toolchain caches warm: what `npm start` costs after editing components. Nx cold = empty Nx cache and empty toolchain caches.",
  ];
  for (const size of [...report.sizes, ...(report.real ? [report.real] : [])]) {
    const title = size === report.real ? `This repository: ${size.components} components × ${size.clusters} clusters` : `Synthetic platform: ${size.components} components × ${size.clusters} clusters`;
    out.push("", `## ${title} (${int(size.objects)} objects rendered, ${int(size.generatedFiles)} generated files)`, "", stageTable(size));
    if (size.kubectl) out.push("", kubectlSection(size.kubectl));
    if (size.affected) {
      const a = size.affected;
      out.push(
        "",
        `\`nx affected -t validate\` after ${a.changed} changed: projects in the task graph: ${a.projects.join(", ")} — ${a.ok ? "exactly that component and its clusters" : `EXPECTED ${a.expected.join(", ")}`} (${a.tasks.length} tasks).`,
      );
    }
    if (size.workspace) out.push("", `Workspace kept at ${size.workspace}.`);
  }
  if (report.scaling) {
    const s = report.scaling;
    out.push("", `Scaling (${s.stage}): ${s.from} → ${s.to} components is ${s.objectsRatio.toFixed(1)}× the objects and took ${s.timeRatio.toFixed(1)}× the time.`);
  }
  out.push("", "## Targets", "", "| target | figure | met |", "| --- | --- | --- |");
  for (const t of report.targets) out.push(`| ${t.target} | ${t.figure} | ${t.ok === undefined ? "—" : t.ok ? "yes" : "**no**"} |`);
  return `${out.join("\n")}\n`;
}

export function writeReport(report: BenchReport, outDir: string): { markdown: string; json: string } {
  mkdirSync(outDir, { recursive: true });
  const markdown = path.join(outDir, "bench.md");
  const json = path.join(outDir, "bench.json");
  writeFileSync(markdown, toMarkdown(report));
  writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}

