import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitCommit, REPO_ROOT, run as runIn, workspaceRepo as copyRepo } from "../testing/temp-workspace.ts";

function nxEnv() {
  return { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true", NO_COLOR: "1" };
}

const nx = path.join(REPO_ROOT, "node_modules/.bin/nx");

function commit(dir: string, message: string) {
  gitCommit(dir, message);
}

const componentNames = () =>
  ["infrastructure", "apps"].flatMap((top) => readdirSync(path.join(REPO_ROOT, top)).filter((n) => existsSync(path.join(REPO_ROOT, top, n, "component.ts"))));
const clusterNames = () => readdirSync(path.join(REPO_ROOT, "clusters")).filter((n) => existsSync(path.join(REPO_ROOT, "clusters", n, "cluster.ts")));

/** The tasks `nx affected -t <targets>` would run, from Nx's own task graph. */
function affectedTasks(dir: string, targets: string[]): string[] {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-graph-")), "task-graph.json");
  run(dir, nx, ["affected", "-t", ...targets, "--base=main", "--head=HEAD", `--graph=${file}`]);
  const graph = JSON.parse(readFileSync(file, "utf8"));
  return Object.keys(graph.tasks.tasks).sort();
}

describe("nx affected", () => {
  let repo: string;
  beforeAll(() => {
    repo = copyRepo();
    run(repo, "git", ["checkout", "-qb", "change"]);
  });

  it("lists every component and cluster as a project", () => {
    const projects = run(repo, nx, ["show", "projects"]).trim().split("\n").sort();
    expect(projects).toEqual([...componentNames(), ...clusterNames(), "images", "schemas", "tools"].sort());
  });

  it("GIVEN backend's replicas change WHEN nx affected -t validate runs THEN only backend and the clusters that include it have tasks", () => {
    const file = path.join(repo, "apps/backend/component.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("min: 3, max: 10", "min: 4, max: 10"));
    commit(repo, "backend: 4 replicas in prod");
    const tasks = affectedTasks(repo, ["validate"]);
    // The clusters' renders depend on the generate of every component they include (cache hits when unchanged).
    const projects = [...new Set(tasks.filter((t) => !t.endsWith(":generate")).map((t) => t.split(":")[0]))].sort();
    // Every cluster runs the backend.
    expect(projects).toEqual(["backend", "doks", "homelab", "local"]);
    expect(tasks).toEqual(expect.arrayContaining(["backend:validate", "doks:validate", "homelab:validate", "local:validate"]));
    // And the tasks really run: validate passes on the changed component.
    const out = run(repo, nx, ["affected", "-t", "validate", "--base=main", "--head=HEAD", "--outputStyle=static"]);
    expect(out).toMatch(/Successfully ran target validate for 4 projects/);
    run(repo, "git", ["checkout", "-q", "main"]);
    run(repo, "git", ["branch", "-qD", "change"]);
    run(repo, "git", ["checkout", "-qb", "change"]);
    // Two real Nx runs, the second generating, rendering and validating four projects: slow on a busy machine.
  }, 300_000);

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

  it("GIVEN one chart's values change WHEN nx affected -t render runs THEN only that component and the clusters that deploy it are rendered again", () => {
    const file = path.join(repo, "infrastructure/metallb/component.ts");
    const before = readFileSync(file, "utf8");
    const after = before.replace("frr: { enabled: false } }", "frr: { enabled: false }, tolerateMaster: true }");
    expect(after).not.toBe(before);
    writeFileSync(file, after);
    commit(repo, "metallb: one chart value");
    const tasks = affectedTasks(repo, ["render"]);
    expect(tasks.filter((t) => t.endsWith(":render")).sort()).toEqual(["homelab:render", "local:render", "metallb:render"]);
    run(repo, "git", ["checkout", "-q", "main"]);
    run(repo, "git", ["branch", "-qD", "change"]);
    run(repo, "git", ["checkout", "-qb", "change"]);
  });

  it("GIVEN a chart's digest changes in charts.lock.json WHEN nx affected runs THEN every generate and the chart components' and clusters' checks are affected", () => {
    const file = path.join(repo, "charts.lock.json");
    const lock = JSON.parse(readFileSync(file, "utf8"));
    lock.charts.find((c: { chart: string }) => c.chart === "metallb").sha256 = "0".repeat(64);
    writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
    commit(repo, "re-pin metallb");
    const projects = run(repo, nx, ["show", "projects", "--affected", "--base=main", "--head=HEAD"]).trim().split("\n").sort();
    expect(projects).toEqual([...componentNames(), ...clusterNames()].sort());
    // The lock is an input of each generate; of validate only where the component pins a chart.
    const inputs = (project: string, target: string) => JSON.parse(run(repo, nx, ["show", "project", project, "--json"])).targets[target].inputs as unknown[];
    expect(inputs("metallb", "generate")).toContain("{workspaceRoot}/charts.lock.json");
    expect(inputs("backend", "generate")).toContain("{workspaceRoot}/charts.lock.json");
    expect(inputs("metallb", "validate")).toContain("{workspaceRoot}/charts.lock.json");
    expect(inputs("backend", "validate")).not.toContain("{workspaceRoot}/charts.lock.json");
    for (const target of ["render", "validate", "lint"]) expect(inputs("local", target)).toContain("{workspaceRoot}/charts.lock.json");
    // And the settings that decide whether a chart is rendered, where from, and whether one not rendered is an
    // error: a result made with GITOPS_CHARTS=off or without CI=true is not served from the cache to another run.
    const chartEnv = ["GITOPS_CHARTS", "GITOPS_CHART_MIRROR", "CI", "GITOPS_HELM", "GITOPS_KUBECTL"].map((env) => ({ env }));
    for (const target of ["render", "validate", "lint"]) expect(inputs("local", target)).toEqual(expect.arrayContaining(chartEnv));
    expect(inputs("metallb", "validate")).toEqual(expect.arrayContaining(chartEnv));
    expect(inputs("backend", "validate")).not.toContainEqual({ env: "GITOPS_CHARTS" });
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

function run(cwd: string, command: string, args: string[]): string {
  return runIn(cwd, command, args, nxEnv());
}
