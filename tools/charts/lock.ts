/**
 * The chart lock file (charts.lock.json, committed): each pinned chart's sha256, so that a chart whose
 * bytes changed under the same version is refused. Written by `gitops charts pull`; read by render.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GenerateError } from "../generate/errors.ts";
import { diskFiles, type FileSource } from "../render/file-source.ts";

export const LOCK_FILE = "charts.lock.json";

/** A chart as a component pins it: repository, name, exact version. */
export interface ChartRef {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

export interface LockedChart extends ChartRef {
  /** sha256 of the chart package (.tgz) as the repository serves it. */
  readonly sha256: string;
}

export interface ChartLock {
  readonly lockVersion: 1;
  readonly charts: readonly LockedChart[];
}

/** `argo-cd@10.1.1`. */
export function chartLabel(ref: ChartRef): string {
  return `${ref.chart}@${ref.version}`;
}

/** Identity of a pin: the same chart and version from another repository is another pin. */
export function chartKey(ref: ChartRef): string {
  return `${normalizeRepo(ref.repoURL)}|${ref.chart}|${ref.version}`;
}

export function normalizeRepo(url: string): string {
  return url.replace(/\/+$/, "");
}

export function compareRefs(a: ChartRef, b: ChartRef): number {
  return a.chart.localeCompare(b.chart) || a.version.localeCompare(b.version) || normalizeRepo(a.repoURL).localeCompare(normalizeRepo(b.repoURL));
}

/** Reads the lock file; an absent file is an empty lock, a broken one an error naming it. */
export function readLock(root: string, files: FileSource = diskFiles): ChartLock {
  const file = path.join(root, LOCK_FILE);
  if (files.signature(file) === undefined) return { lockVersion: 1, charts: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(files.read(file));
  } catch (error) {
    throw new GenerateError(`${LOCK_FILE}: not valid JSON: ${(error as Error).message}`);
  }
  const charts = (parsed as { charts?: unknown }).charts;
  if (!Array.isArray(charts)) throw new GenerateError(`${LOCK_FILE}: expected { "lockVersion": 1, "charts": [...] }`);
  charts.forEach((c, i) => {
    for (const field of ["repoURL", "chart", "version", "sha256"]) {
      if (typeof (c as Record<string, unknown>)?.[field] !== "string") throw new GenerateError(`${LOCK_FILE}: charts[${i}].${field}: expected a string`);
    }
    if (!/^[0-9a-f]{64}$/.test((c as LockedChart).sha256)) throw new GenerateError(`${LOCK_FILE}: charts[${i}].sha256: expected 64 lowercase hex digits`);
  });
  return { lockVersion: 1, charts: charts as LockedChart[] };
}

export function lockedDigest(lock: ChartLock, ref: ChartRef): string | undefined {
  const key = chartKey(ref);
  return lock.charts.find((c) => chartKey(c) === key)?.sha256;
}

/** The lock text for a set of charts: sorted, one entry per pin, stable bytes. */
export function lockText(charts: readonly LockedChart[]): string {
  const unique = new Map<string, LockedChart>();
  for (const c of charts) unique.set(chartKey(c), { repoURL: c.repoURL, chart: c.chart, version: c.version, sha256: c.sha256 });
  const sorted = [...unique.values()].sort(compareRefs);
  return `${JSON.stringify({ lockVersion: 1, charts: sorted }, null, 2)}\n`;
}

/** Writes the lock file when its content changes; returns whether it did. */
export function writeLock(root: string, charts: readonly LockedChart[]): boolean {
  const file = path.join(root, LOCK_FILE);
  const text = lockText(charts);
  if (existsSync(file) && readFileSync(file, "utf8") === text) return false;
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}
