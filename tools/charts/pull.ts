/**
 * Charts pulled with the real `helm pull` (HTTP and OCI repositories) into a content-addressed cache
 * outside git: `<cache>/charts/sha256/<digest>.tgz`. A chart is found by its locked digest (no network
 * once pulled); `GITOPS_CHART_MIRROR=<http url>` sends every pull to one mirror, as air-gapped platforms
 * do. A chart whose bytes differ from its locked sha256 is refused.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { engineBinary } from "../engines/binaries.ts";
import { runProcessesSync, type ProcessJob } from "../engines/processes.ts";
import { gitopsCacheDir, writeCacheFile } from "../workspace/cache.ts";
import { chartKey, chartLabel, LOCK_FILE, lockedDigest, normalizeRepo, type ChartLock, type ChartRef } from "./lock.ts";

export const MIRROR_ENV = "GITOPS_CHART_MIRROR";

/** not-found: the repository answered it has no such chart or version; unreachable: it did not answer. */
export type PullProblem = "not-found" | "unreachable" | "digest-mismatch";

export interface PulledChart {
  readonly ref: ChartRef;
  /** The package in the cache, when it is there. */
  readonly file?: string;
  readonly sha256?: string;
  /** Whether this call ran `helm pull` for it (false: found in the cache). */
  readonly pulled: boolean;
  readonly problem?: PullProblem;
  readonly message?: string;
}

export function chartsCacheDir(): string {
  return path.join(gitopsCacheDir(), "charts");
}

/** Helm's own state (repository indexes, registry config) kept inside the toolchain cache, away from $HOME. */
export function helmEnv(): Record<string, string> {
  const base = path.join(gitopsCacheDir(), "helm");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, HELM_CACHE_HOME: path.join(base, "cache"), HELM_CONFIG_HOME: path.join(base, "config"), HELM_DATA_HOME: path.join(base, "data") };
}

export function chartMirror(): string | undefined {
  const mirror = process.env[MIRROR_ENV]?.trim();
  return mirror ? normalizeRepo(mirror) : undefined;
}

function packagePath(digest: string): string {
  return path.join(chartsCacheDir(), "sha256", `${digest}.tgz`);
}

/** The digest this cache last pulled for a pin that is not (yet) locked. */
function refIndexPath(ref: ChartRef): string {
  return path.join(chartsCacheDir(), "refs", `${createHash("sha256").update(chartKey(ref)).digest("hex").slice(0, 32)}.txt`);
}

function cachedDigest(ref: ChartRef, lock: ChartLock): string | undefined {
  const locked = lockedDigest(lock, ref);
  if (locked) return existsSync(packagePath(locked)) ? locked : undefined;
  const index = refIndexPath(ref);
  if (!existsSync(index)) return undefined;
  const digest = readFileSync(index, "utf8").trim();
  return existsSync(packagePath(digest)) ? digest : undefined;
}

/** The cached package of a pin (under its locked digest, else the one last pulled), without pulling; undefined when not cached. */
export function cachedChart(ref: ChartRef, lock: ChartLock): string | undefined {
  const digest = cachedDigest(ref, lock);
  return digest ? packagePath(digest) : undefined;
}

/** Where a pull goes: the mirror, or the chart's own repository. */
export function pullSource(ref: ChartRef, mirror = chartMirror()): string {
  return mirror ?? normalizeRepo(ref.repoURL);
}

export function pullArgs(ref: ChartRef, destination: string, mirror: string | undefined): string[] {
  const common = ["--version", ref.version, "--destination", destination];
  if (mirror) return ["pull", ref.chart, "--repo", mirror, ...common];
  if (ref.repoURL.startsWith("oci://")) return ["pull", `${normalizeRepo(ref.repoURL)}/${ref.chart}`, ...common];
  return ["pull", ref.chart, "--repo", normalizeRepo(ref.repoURL), ...common];
}

/** Helm's message without its "Error: " prefix, on one line. */
function helmMessage(stderr: string, error?: string): string {
  const text = (error ?? stderr).trim().replace(/^Error: /gm, "");
  return text.split("\n").filter(Boolean).join("; ") || "helm pull failed without a message";
}

/**
 * Finds each chart in the cache, or pulls it (two `helm pull` at a time). Never throws for a chart that
 * cannot be had: its result says why, for the caller to report.
 */
export function pullCharts(refs: readonly ChartRef[], lock: ChartLock, options: { progress?: boolean; force?: boolean } = {}): PulledChart[] {
  const unique = [...new Map(refs.map((r) => [chartKey(r), r])).values()];
  const results = new Map<string, PulledChart>();
  const missing: ChartRef[] = [];
  for (const ref of unique) {
    const digest = options.force ? undefined : cachedDigest(ref, lock);
    if (digest) results.set(chartKey(ref), { ref, file: packagePath(digest), sha256: digest, pulled: false });
    else missing.push(ref);
  }
  if (missing.length) {
    const helm = engineBinary("helm");
    const mirror = chartMirror();
    const env = helmEnv();
    const tmpRoot = path.join(chartsCacheDir(), "tmp");
    mkdirSync(tmpRoot, { recursive: true });
    const dirs = missing.map(() => mkdtempSync(path.join(tmpRoot, "pull-")));
    try {
      const jobs: ProcessJob[] = missing.map((ref, i) => ({ command: helm.path, args: pullArgs(ref, dirs[i], mirror), env, label: `helm pull ${chartLabel(ref)} from ${pullSource(ref, mirror)}` }));
      const done = runProcessesSync(jobs, { progress: options.progress });
      missing.forEach((ref, i) => {
        const source = `${chartLabel(ref)} from ${normalizeRepo(ref.repoURL)}${mirror ? ` (mirror ${mirror})` : ""}`;
        const r = done[i];
        const files = r.status === 0 ? readdirSync(dirs[i]).filter((f) => f.endsWith(".tgz")) : [];
        if (r.status !== 0 || files.length !== 1) {
          const why = r.status === 0 ? `helm pull wrote ${files.length} packages` : helmMessage(r.stderr, r.error);
          // Helm says "not found in … repository" (HTTP) or "…: not found" (OCI) when the repository answered.
          const notFound = r.status !== 0 && /not found in .* repository|: not found\b|manifest unknown/i.test(r.stderr);
          results.set(chartKey(ref), { ref, pulled: true, problem: notFound ? "not-found" : "unreachable", message: `chart not available: ${source}: ${why}` });
          return;
        }
        const bytes = readFileSync(path.join(dirs[i], files[0]));
        const digest = createHash("sha256").update(bytes).digest("hex");
        const locked = lockedDigest(lock, ref);
        if (locked && locked !== digest) {
          results.set(chartKey(ref), {
            ref,
            pulled: true,
            sha256: digest,
            problem: "digest-mismatch",
            message: `chart ${source}: ${files[0]} has sha256 ${digest}, but ${LOCK_FILE} locks ${locked}: the chart changed under the same version; refused (if the change is expected, remove its entry from ${LOCK_FILE} and pull again)`,
          });
          return;
        }
        writeCacheFile(packagePath(digest), bytes);
        writeCacheFile(refIndexPath(ref), `${digest}\n`);
        results.set(chartKey(ref), { ref, file: packagePath(digest), sha256: digest, pulled: true });
      });
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  }
  return refs.map((r) => results.get(chartKey(r))!);
}
