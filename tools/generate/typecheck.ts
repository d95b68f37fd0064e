import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync, existsSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { GenerateError } from "./errors.ts";

/**
 * Type-checks the given files (and what they import) with the project's TypeScript, so that a type
 * error in a component stops `generate` with the compiler's own file:line message.
 */
export function typecheck(root: string, files: readonly string[]): void {
  if (files.length === 0) return;
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) throw new GenerateError("TypeScript is not installed: run `npm ci`");
  const dir = path.join(root, "node_modules", ".cache", "gitops");
  mkdirSync(dir, { recursive: true });
  const sorted = [...files].sort();
  const id = createHash("sha256").update(sorted.join("\n")).digest("hex").slice(0, 12);
  const config = path.join(dir, `tsconfig.${id}.json`);
  writeFileSync(
    config,
    JSON.stringify({ extends: path.relative(dir, path.join(root, "tsconfig.base.json")), files: sorted.map((f) => path.relative(dir, path.join(root, f))) }),
  );
  const result = spawnSync(process.execPath, [tsc, "-p", config, "--noEmit", "--pretty", "false"], { cwd: root, encoding: "utf8" });
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => line.replace(/^(\.\.\/)+/, ""))
      .join("\n");
    throw new GenerateError(`type errors:\n${output}`);
  }
}
