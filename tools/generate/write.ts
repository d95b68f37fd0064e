import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { COMPONENT_FILE, COMPONENT_ROOTS, CLUSTER_FILE } from "../workspace/workspace.ts";
import { GenerateError } from "./errors.ts";
import type { GeneratePlan } from "./generate.ts";
import { formatYaml, generatedFileState, withHeader, type GeneratedFileState } from "./yaml-file.ts";

export interface WriteResult {
  readonly written: string[];
  readonly deleted: string[];
  readonly unchanged: number;
  /** YAML files in generated folders that generate did not write (Kustomize ignores them; a person may expect them applied). */
  readonly stray: string[];
}

function walk(root: string, rel: string, out: string[]): void {
  const abs = path.join(root, rel);
  if (!existsSync(abs)) return;
  if (statSync(abs).isFile()) {
    out.push(rel);
    return;
  }
  walkDir(abs, rel, out);
}

/** Files below a folder (links followed), in sorted order, without a stat per plain file or folder. */
function walkDir(abs: string, rel: string, out: string[]): void {
  const entries = readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childAbs = path.join(abs, entry.name);
    const childRel = `${rel}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      const target = statSync(childAbs, { throwIfNoEntry: false });
      if (target?.isDirectory()) walkDir(childAbs, childRel, out);
      else if (target) out.push(childRel);
    } else if (entry.isDirectory()) walkDir(childAbs, childRel, out);
    else out.push(childRel);
  }
}

function readIfExists(abs: string): string | undefined {
  try {
    return readFileSync(abs, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Generated files under `dirs` (files carrying our header), repo-relative. */
export function generatedFilesUnder(root: string, dirs: readonly string[]): string[] {
  const files: string[] = [];
  for (const dir of dirs) walk(root, dir, files);
  return files.filter((f) => f.endsWith(".yaml") && generatedFileState(readFileSync(path.join(root, f), "utf8")) !== "not-generated");
}

/** Folders left by removed components and clusters: their generated files are orphans too. */
export function abandonedDirs(root: string): string[] {
  const dirs: string[] = [];
  for (const top of [...COMPONENT_ROOTS, "clusters"]) {
    const abs = path.join(root, top);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs).sort()) {
      const dir = path.join(abs, name);
      if (!statSync(dir).isDirectory()) continue;
      const marker = top === "clusters" ? CLUSTER_FILE : COMPONENT_FILE;
      if (!existsSync(path.join(dir, marker))) dirs.push(`${top}/${name}`);
    }
  }
  return dirs;
}

function removeEmptyParents(root: string, rel: string, stopAt: readonly string[]): void {
  let dir = path.posix.dirname(rel);
  while (dir !== "." && !stopAt.includes(dir)) {
    const abs = path.join(root, dir);
    if (!existsSync(abs) || readdirSync(abs).length > 0) return;
    rmdirSync(abs);
    dir = path.posix.dirname(dir);
  }
}

/**
 * Writes a plan. Everything is computed and checked before the first write: hand-edited generated files
 * and foreign files in the way stop the run (unless `force`), so a failure leaves the tree as it was.
 * With `check`, nothing is written and the result lists what would change.
 */
export async function writePlan(
  root: string,
  plan: GeneratePlan,
  options: { force?: boolean; check?: boolean; format?: boolean; pruneAbandoned?: boolean } = {},
): Promise<WriteResult> {
  const contents = new Map<string, string>();
  for (const file of plan.files) {
    if (contents.has(file.path)) throw new GenerateError(`${file.source}: two generated files would be written to ${file.path}`);
    const body = options.format === false ? file.body : await formatYaml(file.body);
    contents.set(file.path, withHeader(file.source, body));
  }
  const ownedDirs = [...plan.ownedDirs, ...(options.pruneAbandoned ? abandonedDirs(root) : [])];
  // Generated files under the owned folders that the plan no longer has are orphans (generatedFilesUnder,
  // without reading the files the plan writes: those are read once, below).
  const listed: string[] = [];
  for (const dir of ownedDirs) walk(root, dir, listed);
  const orphanStates = new Map<string, GeneratedFileState>();
  const stray: string[] = [];
  for (const rel of listed) {
    if (!/\.ya?ml$/.test(rel) || contents.has(rel)) continue;
    const state = generatedFileState(readFileSync(path.join(root, rel), "utf8"));
    if (state !== "not-generated") orphanStates.set(rel, state);
    else if (plan.ownedDirs.some((d) => rel.startsWith(`${d}/`))) stray.push(rel);
  }
  const orphans = [...orphanStates.keys()];

  const problems: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [rel, content] of contents) {
    const current = readIfExists(path.join(root, rel));
    if (current === undefined) {
      changed.push(rel);
      continue;
    }
    if (current === content) {
      unchanged++;
      continue;
    }
    const state = generatedFileState(current);
    if (state === "hand-edited") problems.push(`${rel}: was edited by hand since it was generated; change the component instead, or run with --force to overwrite`);
    if (state === "not-generated") problems.push(`${rel}: exists and was not written by gitops generate; move it away, or run with --force to overwrite`);
    changed.push(rel);
  }
  for (const rel of orphans) {
    if (orphanStates.get(rel) === "hand-edited") {
      problems.push(`${rel}: is no longer generated but was edited by hand; delete it yourself, or run with --force`);
    }
  }
  if (problems.length && !options.force && !options.check) throw new GenerateError(problems.join("\n"));
  if (options.check) return { written: changed, deleted: orphans, unchanged, stray };

  // Write each file through a temporary sibling and a rename, so no file is ever half-written.
  const made = new Set<string>();
  for (const rel of changed) {
    const abs = path.join(root, rel);
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const tmp = `${abs}.tmp-${process.pid}`;
    writeFileSync(tmp, contents.get(rel)!);
    renameSync(tmp, abs);
  }
  const keep = [...ownedDirs.map((d) => path.posix.dirname(d)), ...COMPONENT_ROOTS, "clusters"];
  for (const rel of orphans) {
    unlinkSync(path.join(root, rel));
    removeEmptyParents(root, rel, keep);
  }
  return { written: changed, deleted: orphans, unchanged, stray };
}
