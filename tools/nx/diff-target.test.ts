import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gitCommit, REPO_ROOT, run, workspaceRepo } from "../testing/temp-workspace.ts";

// Charts off: the bumped version is in no chart repository here, and what is measured is which projects diff.
const env = { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true", NO_COLOR: "1", GITOPS_CHARTS: "off" };
const nx = path.join(REPO_ROOT, "node_modules/.bin/nx");

describe("nx affected -t diff", () => {
  it("GIVEN a chart bump in cluster local's Applications WHEN nx affected -t diff runs THEN only local is diffed, against main", () => {
    const repo = workspaceRepo();
    run(repo, "git", ["checkout", "-qb", "change"]);
    const file = path.join(repo, "clusters/local/apps/application-argo-cd.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("targetRevision: 10.1.1", "targetRevision: 10.4.0"));
    gitCommit(repo, "argo-cd chart 10.4.0 on local");
    const graph = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-graph-")), "task-graph.json");
    run(repo, nx, ["affected", "-t", "diff", "--base=main", "--head=HEAD", `--graph=${graph}`], env);
    expect(Object.keys(JSON.parse(readFileSync(graph, "utf8")).tasks.tasks)).toEqual(["local:diff"]);
    const out = run(repo, nx, ["affected", "-t", "diff", "--base=main", "--head=HEAD", "--outputStyle=static"], env);
    expect(out).toContain("cluster local: 0 added, 1 changed, 0 removed, 1 risk");
    expect(out).toContain("! supply chain spec.sources[].targetRevision: chart argo-cd 10.1.1 → 10.4.0;");
    expect(out).toMatch(/Successfully ran target diff for project local/);
  });
});
