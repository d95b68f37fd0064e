import { spawnSync } from "node:child_process";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

function run(cwd: string, command: string, args: string[]) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", NX_SKIP_NX_CACHE: "false", CI: "true", NO_COLOR: "1" },
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

const nx = path.join(REPO_ROOT, "node_modules/.bin/nx");

/** A git repository holding a copy of this workspace's components, clusters, tools and schemas. */
function workspaceRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-affected-"));
  for (const entry of ["nx.json", "package.json", "tsconfig.base.json", "tsconfig.json", ".gitignore", "tools", "schemas", "infrastructure", "apps", "clusters"]) {
    cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}node_modules`) && !src.endsWith(".tmp"),
    });
  }
  symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  run(dir, "git", ["init", "-q", "-b", "main"]);
  run(dir, "git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A"]);
  run(dir, "git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base"]);
  run(dir, "git", ["checkout", "-qb", "change"]);
  return dir;
}

function commit(dir: string, message: string) {
  run(dir, "git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", message]);
}

const componentNames = () =>
  ["infrastructure", "apps"].flatMap((top) => readdirSync(path.join(REPO_ROOT, top)).filter((n) => existsSync(path.join(REPO_ROOT, top, n, "component.ts"))));
const clusterNames = () => readdirSync(path.join(REPO_ROOT, "clusters")).filter((n) => existsSync(path.join(REPO_ROOT, "clusters", n, "cluster.ts")));

/** The tasks `nx affected -t <targets>` would run, from Nx's own task graph. */
function affectedTasks(dir: string, targets: string[]): string[] {
  const file = path.join(dir, "task-graph.json");
  run(dir, nx, ["affected", "-t", ...targets, "--base=main", "--head=HEAD", `--graph=${file}`]);
  const graph = JSON.parse(readFileSync(file, "utf8"));
  return Object.keys(graph.tasks.tasks).sort();
}

describe("nx affected", () => {
  let repo: string;
  beforeAll(() => {
    repo = workspaceRepo();
  });

  it("lists every component and cluster as a project", () => {
    const projects = run(repo, nx, ["show", "projects"]).trim().split("\n").sort();
    expect(projects).toEqual([...componentNames(), ...clusterNames(), "images", "schemas", "tools"].sort());
  });

  it("GIVEN backend's replicas change WHEN nx affected -t validate runs THEN only backend and the clusters that include it have tasks", () => {
    const file = path.join(repo, "apps/backend/component.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("replicas: 3,", "replicas: 4,"));
    commit(repo, "backend: 4 replicas in prod");
    const tasks = affectedTasks(repo, ["validate"]);
    const projects = [...new Set(tasks.map((t) => t.split(":")[0]))].sort();
    // Every cluster runs the backend.
    expect(projects).toEqual(["backend", "doks", "homelab", "local"]);
    expect(tasks).toEqual(expect.arrayContaining(["backend:validate", "doks:validate", "homelab:validate", "local:validate"]));
    // And the tasks really run: validate passes on the changed component.
    const out = run(repo, nx, ["affected", "-t", "validate", "--base=main", "--head=HEAD", "--outputStyle=static"]);
    expect(out).toMatch(/Successfully ran target validate for 4 projects/);
    run(repo, "git", ["checkout", "-q", "main"]);
    run(repo, "git", ["branch", "-qD", "change"]);
    run(repo, "git", ["checkout", "-qb", "change"]);
  });

  it("GIVEN a promotion in the images file WHEN nx affected runs THEN the apps, Kargo and the clusters are affected", () => {
    const file = path.join(repo, "apps/images/images.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace('prod: "1.4.2"', 'prod: "1.4.3"'));
    commit(repo, "promote backend to prod");
    const projects = run(repo, nx, ["show", "projects", "--affected", "--base=main", "--head=HEAD"]).trim().split("\n").sort();
    expect(projects).toEqual(["backend", "doks", "frontend", "homelab", "images", "kargo", "local"]);
    run(repo, "git", ["checkout", "-q", "main"]);
    run(repo, "git", ["branch", "-qD", "change"]);
    run(repo, "git", ["checkout", "-qb", "change"]);
  });

  it("GIVEN a change under tools/ WHEN nx affected runs THEN every component and cluster is affected", () => {
    appendFileSync(path.join(repo, "tools/model/environment.ts"), "\n// a comment\n");
    commit(repo, "tools change");
    const projects = run(repo, nx, ["show", "projects", "--affected", "--base=main", "--head=HEAD"]).trim().split("\n").sort();
    expect(projects).toEqual([...componentNames(), ...clusterNames(), "tools"].sort());
    run(repo, "git", ["checkout", "-q", "main"]);
  });
});
