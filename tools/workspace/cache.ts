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
/** An entry no process has used for this many hours (a week) is let go when the file is next written. */
const MEMO_KEEP_HOURS = 7 * 24;
/** Entries used in the last day are always kept (another process's, such as the other thread's or lint's beside validate's, or a wider run's). */
const MEMO_ALWAYS_KEEP_HOURS = 24;
/** Entries used earlier in the week are kept while the file holds fewer than this many, or twice what its writer used and added. */
const MEMO_MIN_KEEP = 5_000;
const HOUR_MS = 3600 * 1000;

interface MemoFile<T> {
  readonly entries: Map<string, T>;
  /** The hour (since the epoch) each entry was last used or added; 0 when the file does not say. */
  readonly hours: Map<string, number>;
}

/**
 * A memo on disk: results of a pure function, keyed by a digest of everything the result depends on
 * (the caller's business: a key that misses an input would serve a stale result). Read when first
 * needed; written back by `flush`, merged with what other processes (other Nx tasks, the other thread)
 * wrote meanwhile, and when the process exits. Each entry carries the hour it was last used: a process
 * writes the file when it added entries, or used some not marked this hour (so at most once an hour
 * when it only reads), and then lets go of entries nobody used for a week, and of entries not used in
 * the last day beyond MEMO_MIN_KEEP (or twice its own), since every run reads the whole file. Any
 * failure to read or write it is a miss, never an error.
 */
export class CacheMemo<T> {
  private file_: MemoFile<T> | undefined;
  private readonly added = new Map<string, T>();
  /** Keys found in the file (hits): marked as used now when the file is written. */
  private readonly used = new Set<string>();
  /** Whether a hit was on an entry not marked this hour. */
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
      const data = JSON.parse(readFileSync(this.file, "utf8")) as { format?: unknown; entries?: Record<string, T>; hours?: Record<string, string[]> };
      if (data.format === this.format && data.entries && typeof data.entries === "object") {
        const hours = new Map<string, number>();
        for (const [hour, keys] of Object.entries(data.hours ?? {})) if (Array.isArray(keys)) for (const key of keys) hours.set(key, Number(hour));
        return { entries: new Map(Object.entries(data.entries)), hours };
      }
    } catch {
      // Missing or unreadable: nothing memoised.
    }
    return { entries: new Map(), hours: new Map() };
  }

  get(key: string): T | undefined {
    if (this.added.has(key)) return this.added.get(key);
    if (!this.file_) this.file_ = this.read();
    const value = this.file_.entries.get(key);
    if (value !== undefined && !this.used.has(key)) {
      this.used.add(key);
      if ((this.file_.hours.get(key) ?? 0) < thisHour()) this.staleHit = true;
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
      const now = thisHour();
      const entries = new Map(this.added);
      const hours = new Map<string, number>([...this.added.keys()].map((k) => [k, now]));
      for (const key of this.used) {
        if (entries.has(key) || !this.file_?.entries.has(key)) continue;
        entries.set(key, this.file_.entries.get(key)!);
        hours.set(key, now);
      }
      const limit = Math.max(MEMO_MIN_KEEP, 2 * entries.size);
      // What the file holds now (other processes may have written it since it was read), most recently
      // used first: the last day's entries all, then the week's while there is room. An entry without a
      // stamp (a file of an earlier toolchain) counts as used an hour ago.
      const current = this.read();
      const byHourRead = new Map<number, string[]>();
      for (const key of current.entries.keys()) {
        if (entries.has(key)) continue;
        const hour = current.hours.get(key) ?? now - 1;
        if (hour < now - MEMO_KEEP_HOURS) continue;
        let list = byHourRead.get(hour);
        if (!list) byHourRead.set(hour, (list = []));
        list.push(key);
      }
      walk: for (const hour of [...byHourRead.keys()].sort((a, b) => b - a)) {
        for (const key of byHourRead.get(hour)!) {
          if (entries.size >= MEMO_MAX_ENTRIES || (hour < now - MEMO_ALWAYS_KEEP_HOURS && entries.size >= limit)) break walk;
          entries.set(key, current.entries.get(key)!);
          hours.set(key, hour);
        }
      }
      const byHour: Record<string, string[]> = {};
      for (const [key, hour] of hours) (byHour[hour] ??= []).push(key);
      writeCacheFile(this.file, `${JSON.stringify({ format: this.format, entries: Object.fromEntries(entries), hours: byHour })}\n`);
      // Memo files of the same kind named after other code or schemas (an earlier toolchain's) that no
      // run has written for a week: a file in use is written at least once in each hour it is used.
      removeUnusedFiles(path.dirname(this.file), MEMO_KEEP_HOURS * HOUR_MS);
      this.file_ = { entries, hours };
      this.added.clear();
      this.staleHit = false;
    } catch {
      // The memo is an optimisation: a failure to write it changes nothing else.
    }
  }
}

/** Hours since the epoch. */
function thisHour(): number {
  return Math.floor(Date.now() / HOUR_MS);
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
const swept = new Set<string>();

/**
 * Removes the files of a cache folder not modified for `ageMs` (once per folder and process): files
 * named after inputs no run has had since. A file that vanishes meanwhile is no error.
 */
export function removeUnusedFiles(dir: string, ageMs: number): void {
  if (swept.has(dir)) return;
  swept.add(dir);
  const before = Date.now() - ageMs;
  try {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const file = path.join(dir, entry.name);
      try {
        if (statSync(file).mtimeMs < before) rmSync(file, { force: true });
      } catch {
        // Gone already.
      }
    }
  } catch {
    // An unreadable folder is left as it is.
  }
}
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
