import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { diffRendered } from "../diff/diff.ts";
import type { DiffReport } from "../diff/model.ts";
import { GenerateError } from "../generate/errors.ts";
import { KustomizeError } from "../render/kustomize.ts";
import { DocumentParseError } from "../workspace/documents.ts";
import { fileURLToPath } from "node:url";
import { planWorkspace } from "../generate/generate.ts";
import { writePlan } from "../generate/write.ts";
import { CLUSTER_FILE, clusterDirs, loadWorkspace } from "../workspace/workspace.ts";
import { diskFiles, NotOnDiskError, type FileSource } from "../render/file-source.ts";
import { gitTreeView } from "./git-tree-view.ts";
import { generatedObjectChecker } from "./checks.ts";
import { renderCluster, type RenderedCluster } from "./render-cluster.ts";

/** A diff that cannot be made: a ref that does not exist, a side that does not render (exit 2). */
export class DiffInputError extends Error {}

export interface DiffRequest {
  /** The repository root (where nx.json is). */
  readonly root: string;
  /** Base ref. @default $NX_BASE, else origin/main, else main */
  readonly base?: string;
  /** Head ref. @default HEAD */
  readonly head?: string;
  /** Render the working tree as it is, instead of a commit. */
  readonly worktree?: boolean;
  readonly clusters?: readonly string[];
  readonly showNoise?: boolean;
  /**
   * Regenerate each side from its component.ts and cluster.ts with this toolchain before rendering,
   * instead of rendering its committed generated files. @default false
   */
  readonly generate?: boolean;
  /**
   * Check each commit out into a temporary git worktree, instead of reading the files that differ from
   * the working tree from git (the same output, slower). @default false, except with `generate`
   */
  readonly checkout?: boolean;
  /** Progress lines (what was rendered, how long it took). */
  readonly progress?: (line: string) => void;
}

interface Git {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

function git(cwd: string, args: string[]): Git {
  const r = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (r.error) throw new DiffInputError(`gitops diff: cannot run git: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout.trim(), stderr: r.stderr.trim() };
}

/** The commit a ref names; a clear error when it is not in this clone (and why, for a shallow one). */
export function resolveRef(root: string, ref: string, side: "base" | "head"): string {
  const found = git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]);
  if (found.status === 0 && found.stdout) return found.stdout;
  if (git(root, ["rev-parse", "--is-shallow-repository"]).stdout === "true") {
    throw new DiffInputError(
      `gitops diff: ${side} ref "${ref}" is not in this clone, which is shallow: fetch it first (\`git fetch --unshallow\`, or \`git fetch origin ${ref}\`; in GitHub Actions, actions/checkout with fetch-depth: 0)`,
    );
  }
  throw new DiffInputError(`gitops diff: ${side} ref "${ref}" does not exist (not a branch, tag or commit of this repository)`);
}

function defaultBase(root: string): string {
  if (process.env.NX_BASE) return process.env.NX_BASE;
  for (const ref of ["origin/main", "main"]) {
    if (git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).status === 0) return ref;
  }
  throw new DiffInputError("gitops diff: no base to compare with: neither origin/main nor main exists; pass --base <ref>");
}

/** Temporary worktrees alive in this process, removed on exit and on Ctrl-C. */
const alive = new Map<string, { repo: string; tree: string }>();
let handlersInstalled = false;

function removeWorktree(dir: string): void {
  const entry = alive.get(dir);
  if (!entry) return;
  alive.delete(dir);
  spawnSync("git", ["worktree", "remove", "--force", entry.tree], { cwd: entry.repo, stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
  spawnSync("git", ["worktree", "prune"], { cwd: entry.repo, stdio: "ignore" });
}

function removeAll(): void {
  for (const dir of [...alive.keys()]) removeWorktree(dir);
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", removeAll);
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]] as const) {
    process.on(signal, () => {
      removeAll();
      process.stderr.write(`gitops diff: interrupted (${signal}); temporary worktrees removed\n`);
      process.exit(code);
    });
  }
}

/** Checks a commit out into a temporary worktree; returns the repository root inside it and a remover. */
function checkout(root: string, commit: string): { root: string; remove: () => void } {
  const top = git(root, ["rev-parse", "--show-toplevel"]).stdout;
  const prefix = path.relative(realpathSync(top), realpathSync(root));
  installHandlers();
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-diff-"));
  const tree = path.join(dir, "tree");
  alive.set(dir, { repo: top, tree });
  const added = git(top, ["worktree", "add", "--detach", "--quiet", tree, commit]);
  if (added.status !== 0) {
    removeWorktree(dir);
    throw new DiffInputError(`gitops diff: cannot check out ${commit.slice(0, 12)}: ${added.stderr}`);
  }
  return { root: path.join(tree, prefix), remove: () => removeWorktree(dir) };
}

/** The toolchain this process runs: tools/ (this file is tools/pipeline/diff-refs.ts) and the workspace around it. */
const TOOLS_DIR = fileURLToPath(new URL("../", import.meta.url));

/** Puts this toolchain (tools/, schemas/, node_modules/) into a checked-out side, so that it generates as the head does. */
function linkToolchain(sideRoot: string, toolchainRoot: string): void {
  for (const entry of ["tools", "schemas", "node_modules"]) {
    rmSync(path.join(sideRoot, entry), { recursive: true, force: true });
    symlinkSync(entry === "tools" ? TOOLS_DIR.replace(/\/$/, "") : path.join(toolchainRoot, entry), path.join(sideRoot, entry));
  }
}

/** A copy of the working tree (tracked and untracked files, not ignored ones) in a temporary folder. */
function copyWorkingTree(root: string): { root: string; remove: () => void } {
  installHandlers();
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-diff-"));
  alive.set(dir, { repo: root, tree: path.join(dir, "tree") });
  const files = git(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).stdout.split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(root, file);
    const to = path.join(dir, "tree", file);
    let stat;
    try {
      stat = lstatSync(from);
    } catch {
      // A file deleted in the working tree but still in the index is not part of it.
      continue;
    }
    mkdirSync(path.dirname(to), { recursive: true });
    // Links stay links (a linked node_modules is one entry here); a folder is a submodule, left out.
    if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isFile()) copyFileSync(from, to);
  }
  return { root: path.join(dir, "tree"), remove: () => removeWorktree(dir) };
}

async function generateSide(root: string, what: string): Promise<void> {
  try {
    const workspace = await loadWorkspace(root);
    const plan = planWorkspace(workspace, { check: generatedObjectChecker() });
    await writePlan(root, plan, { force: true, pruneAbandoned: true });
  } catch (error) {
    if (error instanceof GenerateError) throw new DiffInputError(`gitops diff: ${what} does not generate: ${error.message}`);
    throw error;
  }
}

function isRenderError(error: unknown): error is Error {
  return error instanceof GenerateError || error instanceof KustomizeError || error instanceof DocumentParseError;
}

/** Lets a signal handler run (Ctrl-C removes the worktrees) between clusters. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The cluster folders (clusters/<name> with a cluster.ts), as the files show them. */
function clusterDirsIn(root: string, files: FileSource): string[] {
  if (files.onDisk) return clusterDirs(root);
  const clusters = path.join(root, "clusters");
  return (files.list(clusters) ?? [])
    .filter((name) => files.signature(path.join(clusters, name, CLUSTER_FILE))?.startsWith("f:"))
    .map((name) => `clusters/${name}`);
}

async function renderAll(root: string, names: readonly string[] | undefined, what: string, cache: Map<string, unknown>, files: FileSource = diskFiles): Promise<RenderedCluster[]> {
  const dirs = clusterDirsIn(root, files).filter((d) => !names?.length || names.includes(path.posix.basename(d)));
  try {
    const out: RenderedCluster[] = [];
    for (const dir of dirs) {
      await turn();
      out.push(renderCluster(root, dir, cache, { files }));
    }
    return out;
  } catch (error) {
    if (isRenderError(error)) throw new DiffInputError(`gitops diff: ${what} does not render: ${error.message}`);
    throw error;
  }
}

function clean(root: string): boolean {
  return git(root, ["status", "--porcelain", "--untracked-files=normal", "--", "."]).stdout === "";
}

/** Renders base and head (the same toolchain: this one) and compares them per cluster. */
export async function diffRefs(request: DiffRequest): Promise<DiffReport> {
  const { root } = request;
  const progress = request.progress ?? (() => {});
  if (git(root, ["rev-parse", "--is-inside-work-tree"]).stdout !== "true") {
    throw new DiffInputError(`gitops diff: ${root} is not in a git repository: the diff compares git refs`);
  }
  if (request.worktree && request.head) throw new DiffInputError("gitops diff: --head and --worktree exclude each other");
  const baseRef = request.base ?? defaultBase(root);
  const baseCommit = resolveRef(root, baseRef, "base");
  const headRef = request.worktree ? "working tree" : (request.head ?? "HEAD");
  const headCommit = request.worktree ? undefined : resolveRef(root, headRef, "head");
  const cache = new Map<string, unknown>();
  const removers: (() => void)[] = [];
  const top = git(root, ["rev-parse", "--show-toplevel"]).stdout;
  const rootInTop = path.join(top, path.relative(realpathSync(top), realpathSync(root)));
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);
  /** A chart that could not be rendered leaves that Application's chart objects out of this side. */
  const reportCharts = (label: string, rendered: readonly RenderedCluster[]) => {
    for (const c of rendered.flatMap((r) => r.charts.map((chart) => ({ cluster: r.cluster, chart })))) {
      if (c.chart.status !== "rendered" && c.chart.status !== "skipped") {
        progress(`diff: warning: ${label}: cluster ${c.cluster}, Application ${c.chart.app}: chart ${c.chart.ref.chart} ${c.chart.ref.version} not rendered (${c.chart.status}): its objects are not compared`);
      }
    }
  };
  try {
    const side = async (label: string, commit: string | undefined) => {
      const started = performance.now();
      let where = root;
      // HEAD with nothing changed is the working tree: no checkout needed (unless it is to be regenerated).
      const inPlace = !request.generate && (commit === undefined || (commit === git(root, ["rev-parse", "HEAD"]).stdout && clean(root)));
      if (!inPlace && commit !== undefined && !request.generate && !request.checkout) {
        // The commit's files over the working tree: what did not change is read (and its builds reused) from the working tree.
        const view = gitTreeView(top, commit);
        if (view) {
          try {
            const rendered = await renderAll(rootInTop, request.clusters, label, cache, view.files);
            reportCharts(label, rendered);
            progress(`diff: rendered ${label} (${rendered.length} clusters, ${view.changed.length} files read from git) in ${seconds(started)}s`);
            return rendered;
          } catch (error) {
            if (!(error instanceof NotOnDiskError)) throw error;
            progress(`diff: ${label}: ${error.message}: checking the commit out`);
          }
        }
      }
      if (!inPlace) {
        const snapshot = commit === undefined ? copyWorkingTree(root) : checkout(root, commit);
        removers.push(snapshot.remove);
        where = snapshot.root;
      }
      if (request.generate) {
        linkToolchain(where, root);
        await generateSide(where, label);
      }
      const rendered = await renderAll(where, request.clusters, label, cache);
      reportCharts(label, rendered);
      progress(`diff: ${request.generate ? "generated and " : ""}rendered ${label} (${rendered.length} clusters${inPlace ? ", from the working tree" : ", from a checkout"}) in ${seconds(started)}s`);
      return rendered;
    };
    const base = await side(`base ${baseRef} (${baseCommit.slice(0, 12)})`, baseCommit);
    const head = await side(request.worktree ? "head (working tree)" : `head ${headRef} (${headCommit!.slice(0, 12)})`, headCommit);
    for (const name of request.clusters ?? []) {
      if (!base.some((c) => c.cluster === name) && !head.some((c) => c.cluster === name)) {
        throw new DiffInputError(`gitops diff: no cluster named "${name}" in base or head (looked in clusters/)`);
      }
    }
    const clusters = diffRendered(base, head, { showNoise: request.showNoise });
    return { base: { ref: baseRef, commit: baseCommit }, head: { ref: headRef, ...(headCommit ? { commit: headCommit } : {}) }, clusters };
  } finally {
    for (const remove of removers) remove();
  }
}

/** Lists what `writeDiffOutputs` wrote into a folder, so that the next run replaces only its own files. */
const OUTPUTS_STAMP = ".gitops-diff";

/**
 * Writes the diff's files into `dir`: files an earlier run wrote there are replaced, and those this run does
 * not write (comment parts of a longer diff) removed; any other file of the same name is refused.
 */
export function writeDiffOutputs(dir: string, files: Record<string, string>): string[] {
  const stamp = path.join(dir, OUTPUTS_STAMP);
  const ours = new Set(existsSync(stamp) ? readFileSync(stamp, "utf8").split("\n").filter(Boolean) : []);
  for (const name of Object.keys(files)) {
    if (existsSync(path.join(dir, name)) && !ours.has(name)) {
      throw new DiffInputError(`gitops diff: --out-dir ${dir}: ${name} exists and was not written by gitops diff; not overwriting it (remove it, or choose another folder)`);
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(dir, name);
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
    }
    for (const name of ours) if (!(name in files) && !name.includes("/")) rmSync(path.join(dir, name), { force: true });
    writeFileSync(stamp, `${Object.keys(files).join("\n")}\n`);
  } catch (error) {
    throw new DiffInputError(`gitops diff: --out-dir ${dir}: cannot write: ${(error as Error).message}`);
  }
  return Object.keys(files);
}
