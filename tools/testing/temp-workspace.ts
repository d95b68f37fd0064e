import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository this test runs in. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * A throwaway workspace: nx.json and the TypeScript config copied, tools/ and node_modules/ linked to
 * this repository's, plus the given files.
 */
export function tempWorkspace(files: Record<string, string> = {}, options: { copyTools?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-ws-"));
  for (const file of ["nx.json", ".env", "tsconfig.base.json", "tsconfig.json", "package.json"]) {
    cpSync(path.join(REPO_ROOT, file), path.join(dir, file));
  }
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  if (options.copyTools) {
    cpSync(path.join(REPO_ROOT, "tools"), path.join(dir, "tools"), { recursive: true });
    cpSync(path.join(REPO_ROOT, "schemas"), path.join(dir, "schemas"), { recursive: true });
  } else {
    symlinkSync(path.join(REPO_ROOT, "tools"), path.join(dir, "tools"));
    symlinkSync(path.join(REPO_ROOT, "schemas"), path.join(dir, "schemas"));
  }
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
}

/** Runs the gitops CLI in `cwd` as a user would; returns exit code and output. */
export function gitops(cwd: string, args: string[], env: Record<string, string> = {}): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir` (skipping links and node_modules) with its content: a snapshot to prove nothing changed. */
export function snapshotTree(dir: string, rel = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (["node_modules", "tools", "schemas", ".git", ".nx", "dist"].includes(name) && rel === "") continue;
    const child = rel ? `${rel}/${name}` : name;
    const stat = statSync(path.join(dir, child));
    if (stat.isDirectory()) Object.assign(out, snapshotTree(dir, child));
    else out[child] = readFileSync(path.join(dir, child), "utf8");
  }
  return out;
}

/** Runs a command; throws with its output when it fails. */
export function run(cwd: string, command: string, args: string[], env: Record<string, string> = {}): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A git repository (branch main, one commit) holding a copy of this workspace's sources, tools and schemas. */
export function workspaceRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-repo-"));
  for (const entry of ["nx.json", ".env", "package.json", "tsconfig.base.json", "tsconfig.json", ".gitignore", "charts.lock.json", "tools", "schemas", "infrastructure", "apps", "clusters", "bootstrap", "docs"]) {
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  }
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  run(dir, "git", ["init", "-q", "-b", "main"]);
  gitCommit(dir, "base");
  return dir;
}

export function gitCommit(dir: string, message: string): void {
  run(dir, "git", ["add", "-A"]);
  run(dir, "git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", message]);
}
