/**
 * The toolchain's on-disk cache: compiled schema validators and type-check stamps, keyed by the content
 * of what they were made from, so a stale entry is never used (it is simply not found). Safe to delete at
 * any time. `GITOPS_CACHE_DIR` moves it (the benchmark uses an empty one to measure cold runs).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository holding this toolchain (tools/..). */
const TOOLS_REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** `<root>/node_modules/.cache/gitops`, or `$GITOPS_CACHE_DIR`. */
export function gitopsCacheDir(root: string = TOOLS_REPO_ROOT): string {
  const override = process.env.GITOPS_CACHE_DIR;
  return override ? path.resolve(override) : path.join(root, "node_modules", ".cache", "gitops");
}

let counter = 0;

/** Writes a cache file through a temporary sibling and a rename, so that a concurrent reader sees all of it or nothing. */
export function writeCacheFile(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${counter++}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
