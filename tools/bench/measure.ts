/** Runs a command as a user would and measures it: wall seconds and the peak RSS of its Node processes. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), "rss-probe.mjs");

export interface Run {
  readonly command: string;
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** Peak RSS of the largest Node process the command ran (MB), when measured. */
  readonly peakRssMb?: number;
  /** How many Node processes reported. */
  readonly processes: number;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env?: Record<string, string | undefined>;
  /** Measure the peak RSS of Node processes (adds a preloaded module to each). @default true */
  readonly rss?: boolean;
  /** Throw when the command exits with another status. @default 0 */
  readonly expectStatus?: number | null;
}

/** The environment every measured command gets: `node` on the PATH is the Node running the benchmark. */
export function baseEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const nodeDir = path.dirname(process.execPath);
  return {
    ...process.env,
    PATH: `${nodeDir}${path.delimiter}${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
    FORCE_COLOR: "0",
    ...extra,
  };
}

let probeDir: string | undefined;
let probes = 0;

/**
 * A new file for one command's processes to report to. The folder is removed when the benchmark exits:
 * a process that outlives its command (an Nx plugin worker) may still write to it.
 */
function probeFileFor(): string {
  if (!probeDir) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-bench-probe-"));
    probeDir = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }));
  }
  return path.join(probeDir, `run-${++probes}.jsonl`);
}

export function run(command: string, args: readonly string[], options: RunOptions): Run {
  const measureRss = options.rss !== false;
  const probeFile = measureRss ? probeFileFor() : undefined;
  const env = { ...baseEnv(), ...(options.env ?? {}) };
  if (probeFile) {
    env.GITOPS_BENCH_PROBE = probeFile;
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --import=${pathToFileURL(PROBE).href}`.trim();
  }
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: options.cwd, env, encoding: "utf8", maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  let peakRssMb: number | undefined;
  let processes = 0;
  if (probeFile && existsSync(probeFile)) {
    for (const line of readFileSync(probeFile, "utf8").split("\n")) {
      if (!line.trim()) continue;
      processes++;
      const kb = (JSON.parse(line) as { maxRssKb: number }).maxRssKb;
      peakRssMb = Math.max(peakRssMb ?? 0, kb / 1024);
    }
  }
  const shown = `${path.basename(command)} ${args.join(" ")}`;
  if (result.error) throw new Error(`${shown}: ${result.error.message}`);
  const status = result.status ?? -1;
  const expected = options.expectStatus === undefined ? 0 : options.expectStatus;
  if (expected !== null && status !== expected) {
    throw new Error(`${shown} (in ${options.cwd}) exited ${status}, expected ${expected}:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  }
  return { command: shown, status, stdout: result.stdout, stderr: result.stderr, seconds, peakRssMb, processes };
}

function tail(text: string, lines = 40): string {
  return text.split("\n").slice(-lines).join("\n");
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `times` times; returns the run with the median wall time (and every time). */
export function runMedian(times: number, once: () => Run): { run: Run; all: number[] } {
  const runs = Array.from({ length: Math.max(1, times) }, once);
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { run: sorted[(sorted.length - 1) >> 1], all: runs.map((r) => r.seconds) };
}
