import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { chartTypeFiles } from "../charts/chart-types-dir.ts";
import { gitopsCacheDir, writeCacheFile } from "../workspace/cache.ts";
import { GenerateError } from "./errors.ts";

/**
 * Type-checks the given files (and what they import) with the project's TypeScript, so that a type
 * error in a component stops `generate` with the compiler's own file:line message. The compiler is a
 * child process: the returned promise settles when it exits, so the caller can plan meanwhile and
 * must await it before writing anything.
 *
 * A successful check leaves a stamp in the toolchain cache, named by a hash of everything the result
 * depends on: the TypeScript configuration, package-lock.json (the installed type packages and the
 * compiler), the list of files, and the content of every file they import, transitively, inside the
 * repository. The same inputs give the same result, so a stamp that exists means the check passed; any
 * change to a file, an import or a dependency gives another hash and the compiler runs again.
 */
export async function typecheck(root: string, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) throw new GenerateError("TypeScript is not installed: run `npm ci`");
  // The generated chart-values declarations (`gitops charts types`), when present, type the components' chart values.
  const sorted = [...files, ...chartTypeFiles(root)].sort();
  const stamp = typecheckStamp(root, sorted);
  const stampFile = stamp ? path.join(gitopsCacheDir(root), "typecheck", stamp) : undefined;
  if (stampFile && existsSync(stampFile)) return;
  const dir = path.join(root, "node_modules", ".cache", "gitops");
  mkdirSync(dir, { recursive: true });
  const id = createHash("sha256").update(sorted.join("\n")).digest("hex").slice(0, 12);
  const config = path.join(dir, `tsconfig.${id}.json`);
  writeFileSync(
    config,
    JSON.stringify({ extends: path.relative(dir, path.join(root, "tsconfig.base.json")), files: sorted.map((f) => path.relative(dir, path.join(root, f))) }),
  );
  const result = await run(process.execPath, [tsc, "-p", config, "--noEmit", "--pretty", "false"], root);
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => line.replace(/^(\.\.\/)+/, ""))
      .join("\n");
    throw new GenerateError(`type errors:\n${output}`);
  }
  if (stampFile) {
    try {
      writeCacheFile(stampFile, `${sorted.join("\n")}\n`);
    } catch {
      // Only an optimisation.
    }
  }
}

function run(command: string, args: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", (error) => reject(new GenerateError(`could not run the TypeScript compiler: ${error.message}`)));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Module specifiers of a TypeScript file: static and dynamic imports, re-exports, side-effect imports, references. */
const SPECIFIERS =
  /\b(?:import|export)\s+(?:type\s+)?(?:[^;'"]*?\bfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)|\/\/\/\s*<reference\s+path\s*=\s*["']([^"']+)["']/g;

const EXTENSIONS = ["", ".ts", ".tsx", ".d.ts", ".mts", ".cts", "/index.ts", "/index.tsx", "/index.d.ts"];

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where TypeScript would find a specifier's file, inside the repository; undefined outside it (packages). */
function resolveSpecifier(root: string, from: string, spec: string): { file?: string; unresolved?: string } | undefined {
  let base: string | undefined;
  if (spec.startsWith(".") || spec.startsWith("/")) {
    base = path.resolve(path.dirname(from), spec);
  } else {
    // A workspace package (node_modules/<name> linked into the repository) is repository code too.
    const parts = spec.split("/");
    const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
    const linked = path.join(root, "node_modules", name);
    let real: string;
    try {
      if (!lstatSync(linked).isSymbolicLink()) return undefined;
      real = realpathSync(linked);
    } catch {
      return undefined;
    }
    if (path.relative(root, real).startsWith("..")) return undefined;
    base = path.join(real, ...parts.slice(spec.startsWith("@") ? 2 : 1));
  }
  const candidates = EXTENSIONS.map((ext) => base + ext);
  if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/\.([cm]?)js$/, ".$1ts"), base.replace(/\.js$/, ".tsx"));
  const file = candidates.find(isFile);
  return file ? { file } : { unresolved: path.relative(root, base) };
}

/**
 * A hash of what a type check of `files` depends on, or undefined when it cannot be worked out (then the
 * compiler always runs).
 */
export function typecheckStamp(root: string, files: readonly string[]): string | undefined {
  try {
    const hash = createHash("sha256");
    hash.update(`files\n${files.join("\n")}\n`);
    for (const config of ["tsconfig.base.json", "package-lock.json"]) {
      const file = path.join(root, config);
      hash.update(`${config}\n`);
      if (existsSync(file)) hash.update(readFileSync(file));
    }
    const texts = new Map<string, string>();
    const unresolved = new Set<string>();
    const pending = files.map((f) => path.resolve(root, f));
    while (pending.length) {
      const file = pending.pop()!;
      if (texts.has(file)) continue;
      const text = readFileSync(file, "utf8");
      texts.set(file, text);
      if (!/\.[cm]?tsx?$/.test(file)) continue;
      for (const match of text.matchAll(SPECIFIERS)) {
        const spec = match[1] ?? match[2] ?? match[3] ?? match[4];
        if (!spec) continue;
        const resolved = resolveSpecifier(root, file, spec);
        if (resolved?.file) pending.push(resolved.file);
        else if (resolved?.unresolved) unresolved.add(resolved.unresolved);
      }
    }
    for (const rel of [...unresolved].sort()) hash.update(`unresolved ${rel}\n`);
    for (const file of [...texts.keys()].sort()) {
      hash.update(`file ${path.relative(root, file)} ${texts.get(file)!.length}\n`);
      hash.update(texts.get(file)!);
    }
    return hash.digest("hex").slice(0, 32);
  } catch {
    return undefined;
  }
}
