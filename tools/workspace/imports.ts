import { readFileSync } from "node:fs";
import path from "node:path";

const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Relative module specifiers a TypeScript file imports, resolved to repo-relative POSIX paths. */
export function relativeImports(root: string, source: string, text = readFileSync(path.join(root, source), "utf8")): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2];
    if (!spec || !spec.startsWith(".")) continue;
    let resolved = path.posix.normalize(path.posix.join(path.posix.dirname(source), spec));
    if (!/\.[cm]?[jt]s$/.test(resolved)) resolved += ".ts";
    out.add(resolved.replace(/\.js$/, ".ts"));
  }
  return [...out].sort();
}

/** The component folders (`apps/backend`) a file imports a component.ts from. */
export function importedComponentDirs(root: string, source: string, text?: string): string[] {
  return relativeImports(root, source, text)
    .filter((p) => /^(infrastructure|apps)\/[^/]+\/component\.ts$/.test(p))
    .map((p) => path.posix.dirname(p));
}

/** A cycle in the import graph of component files starting anywhere, as folder names, or undefined. */
export function findImportCycle(root: string, dirs: readonly string[]): string[] | undefined {
  const edges = new Map<string, string[]>();
  for (const dir of dirs) {
    try {
      edges.set(dir, importedComponentDirs(root, `${dir}/component.ts`));
    } catch {
      edges.set(dir, []);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];
  const visit = (dir: string): string[] | undefined => {
    if (state.get(dir) === "done") return undefined;
    if (state.get(dir) === "visiting") return [...stack.slice(stack.indexOf(dir)), dir];
    state.set(dir, "visiting");
    stack.push(dir);
    for (const next of edges.get(dir) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(dir, "done");
    return undefined;
  };
  for (const dir of [...dirs].sort()) {
    const cycle = visit(dir);
    if (cycle) return cycle.map((d) => path.posix.basename(d));
  }
  return undefined;
}

const DATA_URL = /new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;

/** Data files a module reads through `new URL("<relative>", import.meta.url)`, as repo-relative paths. */
export function referencedDataFiles(source: string, text: string): string[] {
  const out = new Set<string>();
  for (const match of text.matchAll(DATA_URL)) {
    if (!match[1].startsWith(".")) continue;
    out.add(path.posix.normalize(path.posix.join(path.posix.dirname(source), match[1])));
  }
  return [...out].sort();
}
