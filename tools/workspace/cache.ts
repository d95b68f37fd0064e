/**
 * The toolchain's on-disk cache: compiled schema validators, memoised findings and type-check stamps, keyed by the content
 * of what they were made from, so a stale entry is never used (it is simply not found). Safe to delete at
 * any time. `GITOPS_CACHE_DIR` moves it (the benchmark uses an empty one to measure cold runs).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { threadId } from "node:worker_threads";

/** The repository holding this toolchain (tools/..). */
export const TOOLS_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `<root>/node_modules/.cache/gitops`, or `$GITOPS_CACHE_DIR`. */
export function gitopsCacheDir(root: string = TOOLS_REPO_ROOT): string {
  const override = process.env.GITOPS_CACHE_DIR;
  return override ? path.resolve(override) : path.join(root, "node_modules", ".cache", "gitops");
}

let counter = 0;

/** Writes a cache file through a temporary sibling and a rename, so that a concurrent reader sees all of it or nothing. */
export function writeCacheFile(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  // The thread too: the main thread and a worker thread (each with its own counter) may write one file at once.
  const tmp = `${file}.tmp-${process.pid}-${threadId}-${counter++}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** A memo file keeps at most this many entries. */
const MEMO_MAX_ENTRIES = 50_000;
/** An entry no process has used for this many days is let go when the file is next written. */
const MEMO_KEEP_DAYS = 7;
const DAY_MS = 24 * 3600 * 1000;

interface MemoFile<T> {
  readonly entries: Map<string, T>;
  /** The day (since the epoch) each entry was last used or added; 0 when the file does not say. */
  readonly days: Map<string, number>;
}

/**
 * A memo on disk: results of a pure function, keyed by a digest of everything the result depends on
 * (the caller's business: a key that misses an input would serve a stale result). Read when first
 * needed; written back by `flush`, merged with what other processes (other Nx tasks, the other thread)
 * wrote meanwhile, and when the process exits. Each entry carries the day it was last used: a process
 * writes the file when it added entries, or used some not yet marked today (so at most once a day when
 * it only reads), and entries nobody used for MEMO_KEEP_DAYS days are let go then, since every run reads
 * the whole file. Any failure to read or write it is a miss, never an error.
 */
export class CacheMemo<T> {
  private file_: MemoFile<T> | undefined;
  private readonly added = new Map<string, T>();
  /** Keys found in the file (hits): marked as used today when the file is written. */
  private readonly used = new Set<string>();
  /** Whether a hit was on an entry not yet marked today. */
  private staleHit = false;

  constructor(
    readonly file: string,
    private readonly format: number,
  ) {
    openMemos.add(this as CacheMemo<unknown>);
    if (!flushOnExit) {
      flushOnExit = true;
      process.on("exit", flushMemos);
    }
  }

  private read(): MemoFile<T> {
    try {
      const data = JSON.parse(readFileSync(this.file, "utf8")) as { format?: unknown; entries?: Record<string, T>; days?: Record<string, string[]> };
      if (data.format === this.format && data.entries && typeof data.entries === "object") {
        const days = new Map<string, number>();
        for (const [day, keys] of Object.entries(data.days ?? {})) if (Array.isArray(keys)) for (const key of keys) days.set(key, Number(day));
        return { entries: new Map(Object.entries(data.entries)), days };
      }
    } catch {
      // Missing or unreadable: nothing memoised.
    }
    return { entries: new Map(), days: new Map() };
  }

  get(key: string): T | undefined {
    if (this.added.has(key)) return this.added.get(key);
    if (!this.file_) this.file_ = this.read();
    const value = this.file_.entries.get(key);
    if (value !== undefined && !this.used.has(key)) {
      this.used.add(key);
      if ((this.file_.days.get(key) ?? 0) < today()) this.staleHit = true;
    }
    return value;
  }

  set(key: string, value: T): void {
    this.added.set(key, value);
  }

  /** Drops what is held in memory (unwritten entries included): the next `get` reads the file, as a new process would. */
  forget(): void {
    this.file_ = undefined;
    this.added.clear();
    this.used.clear();
    this.staleHit = false;
  }

  flush(): void {
    if (this.added.size === 0 && !this.staleHit) return;
    try {
      const now = today();
      const entries = new Map(this.added);
      const days = new Map<string, number>([...this.added.keys()].map((k) => [k, now]));
      for (const key of this.used) {
        if (entries.has(key) || !this.file_?.entries.has(key)) continue;
        entries.set(key, this.file_.entries.get(key)!);
        days.set(key, now);
      }
      // What the file holds now (other processes may have written it since it was read).
      const current = this.read();
      for (const [key, value] of current.entries) {
        if (entries.size >= MEMO_MAX_ENTRIES) break;
        const day = current.days.get(key) ?? 0;
        if (entries.has(key) || day < now - MEMO_KEEP_DAYS) continue;
        entries.set(key, value);
        days.set(key, day);
      }
      const byDay: Record<string, string[]> = {};
      for (const [key, day] of days) (byDay[day] ??= []).push(key);
      writeCacheFile(this.file, `${JSON.stringify({ format: this.format, entries: Object.fromEntries(entries), days: byDay })}\n`);
      this.file_ = { entries, days };
      this.added.clear();
      this.staleHit = false;
    } catch {
      // The memo is an optimisation: a failure to write it changes nothing else.
    }
  }
}

/** Days since the epoch. */
function today(): number {
  return Math.floor(Date.now() / DAY_MS);
}

const openMemos = new Set<CacheMemo<unknown>>();
let flushOnExit = false;

/** Writes every memo's new entries (done anyway when the process exits). */
export function flushMemos(): void {
  for (const memo of openMemos) memo.flush();
}

/** Drops every memo's in-memory state, as if the process started again (for tests). */
export function forgetMemos(): void {
  for (const memo of openMemos) memo.forget();
}

/**
 * A digest of a module's source and of every module it imports by a relative path, transitively: what a
 * memo of that module's pure function depends on. Null when a file cannot be read (then: no memo).
 */
export function sourceClosureDigest(entry: string | URL): string | null {
  try {
    const hash = createHash("sha256");
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, "utf8");
      hash.update(`${path.basename(file)} ${source.length}\n`).update(source);
      for (const match of source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+["'](\.{1,2}\/[^"']+)["']/gm)) visit(path.resolve(path.dirname(file), match[1]!));
    };
    visit(entry instanceof URL ? fileURLToPath(entry) : entry);
    return hash.digest("hex");
  } catch {
    return null;
  }
}

/** What a folder of large cache entries (templated chart output, serialised chart files) may hold. */
export const LARGE_CACHE_FOLDER_MAX_BYTES = 512 * 1024 * 1024;

/** Marks a cache entry as used now (its modification time), so that pruning keeps what runs use. */
export function touchCacheEntry(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Gone or read-only: pruning may take it sooner, nothing else changes.
  }
}

const pruned = new Set<string>();
/** When this process started (in a worker thread too), less a second for file systems with coarse times. */
const processStarted = Date.now() - process.uptime() * 1000 - 1000;

/**
 * Removes the least recently used files of a cache folder (by modification time: `touchCacheEntry`
 * marks a hit) while it holds more than `maxBytes`. Each new templated chart output or serialised chart
 * file adds megabytes, and every change of a chart's values makes one, so without this the folder would
 * only grow. Once per folder and process, after the process wrote into it; files this process wrote or
 * used are never removed. A file that vanishes meanwhile (another process pruning) is no error; a
 * reader that loses an entry has a miss.
 */
export function pruneCacheFolder(dir: string, maxBytes = LARGE_CACHE_FOLDER_MAX_BYTES): void {
  if (pruned.has(dir)) return;
  pruned.add(dir);
  try {
    const files = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.includes(".tmp-"))
      .flatMap((e) => {
        try {
          const stat = statSync(path.join(dir, e.name));
          return [{ file: path.join(dir, e.name), size: stat.size, time: stat.mtimeMs }];
        } catch {
          return [];
        }
      });
    let total = files.reduce((n, f) => n + f.size, 0);
    for (const f of files.sort((a, b) => a.time - b.time || a.file.localeCompare(b.file))) {
      if (total <= maxBytes || f.time >= processStarted) break;
      rmSync(f.file, { force: true });
      total -= f.size;
    }
  } catch {
    // An unreadable folder is left as it is.
  }
}
