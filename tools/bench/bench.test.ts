/**
 * The benchmark's parts, on a tiny synthetic platform: it is a real, clean platform (no findings), the
 * renderer and kubectl agree on every folder the engines build, `nx affected` sees exactly the changed
 * component and its clusters, and the report shows the targets. Nothing here looks at a time.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitops, REPO_ROOT, run } from "../testing/temp-workspace.ts";
import { targetChecks, toMarkdown, type BenchReport, type SizeResult } from "./bench.ts";
import { compareWithKubectl, engineFolders } from "./kubectl-compare.ts";
import { dependencyOf, syntheticFiles, writeSyntheticWorkspace, type SyntheticPlatform } from "./synthetic.ts";

const platforms: SyntheticPlatform[] = [];
afterAll(() => {
  for (const p of platforms) rmSync(p.root, { recursive: true, force: true });
});

function platform(components: number, clusters: number): SyntheticPlatform {
  const p = writeSyntheticWorkspace(REPO_ROOT, { components, clusters });
  platforms.push(p);
  return p;
}

describe("the synthetic platform", () => {
  it("has the requested components and clusters, dependencies and cluster-specific values", () => {
    const files = syntheticFiles({ components: 10, clusters: 3 });
    expect(Object.keys(files).filter((f) => f.endsWith("/component.ts"))).toHaveLength(11);
    expect(Object.keys(files).filter((f) => f.endsWith("/cluster.ts"))).toEqual(["clusters/cluster-1/cluster.ts", "clusters/cluster-2/cluster.ts", "clusters/cluster-3/cluster.ts"]);
    expect(dependencyOf(9)).toBe(8);
    expect(files["apps/svc-0009/component.ts"]).toContain('import upstream from "../../apps/svc-0008/component.ts"');
    expect(files["clusters/cluster-2/cluster.ts"]).toContain("withValues(s0000, { replicas: 5 })");
    expect(files["clusters/cluster-3/cluster.ts"]).toContain('delivery: "flux"');
    expect(() => writeSyntheticWorkspace(REPO_ROOT, { components: 0, clusters: 1 })).toThrow(/positive integer/);
  });

  it("GIVEN 3 components × 3 clusters WHEN gitops all runs THEN every object is generated, rendered, valid and clean", () => {
    const p = platform(3, 3);
    // The synthetic platform measures the Kustomize path; its chart pin is not in the chart mirror.
    const result = gitops(p.root, ["all", "--json"], { GITOPS_CHARTS: "off" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as { clusters: { cluster: string; objects: number }[]; errors: number; warnings: number };
    expect({ errors: summary.errors, warnings: summary.warnings }).toEqual({ errors: 0, warnings: 0 });
    expect(summary.clusters.map((c) => c.cluster)).toEqual(["cluster-1", "cluster-2", "cluster-3"]);
    // About twenty objects per service per cluster, the platform component and the engine's own objects.
    for (const c of summary.clusters) expect(c.objects).toBeGreaterThan(60);

    // Real Kustomize agrees on every folder the engines build (Argo CD apps, the Flux cluster's Kustomizations).
    const folders = p.clusters.flatMap((c) => engineFolders(p.root, `clusters/${c}`));
    expect(folders).toContain("clusters/cluster-1/apps");
    expect(folders).toContain("clusters/cluster-2/components/svc-0000");
    const comparison = compareWithKubectl(p.root, p.clusters.map((c) => `clusters/${c}`));
    expect(comparison.differences).toEqual([]);
    expect(comparison.identical).toBe(folders.length);
    expect(comparison.sampled).toBe(false);

    const sampled = compareWithKubectl(p.root, ["clusters/cluster-1"], { sample: 2 });
    expect({ compared: sampled.compared, sampled: sampled.sampled, identical: sampled.identical }).toEqual({ compared: 2, sampled: true, identical: 2 });
  });

  it("GIVEN a change to a component no other imports WHEN nx affected runs THEN only it and its clusters have tasks", () => {
    const p = platform(3, 2);
    const env = { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true" };
    expect(gitops(p.root, ["generate"]).status).toBe(0);
    run(p.root, "git", ["init", "-q", "-b", "main"]);
    const commit = (message: string) => {
      run(p.root, "git", ["add", "-A"]);
      run(p.root, "git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", message]);
    };
    commit("platform");
    const file = path.join(p.root, p.leafDir, "component.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("workerReplicas: 2,", "workerReplicas: 3,"));
    expect(gitops(p.root, ["generate", "--component", p.leaf]).status).toBe(0);
    commit("change");
    const graph = path.join(p.root, "dist", "graph.json");
    run(p.root, path.join(REPO_ROOT, "node_modules/.bin/nx"), ["affected", "-t", "validate", "--base=HEAD~1", "--head=HEAD", `--graph=${graph}`], env);
    const tasks = Object.keys((JSON.parse(readFileSync(graph, "utf8")) as { tasks: { tasks: Record<string, unknown> } }).tasks.tasks);
    // Beside the generate tasks the clusters' renders depend on (cache hits when unchanged), only the changed component and its clusters have tasks.
    const checked = tasks.filter((t) => !t.endsWith(":generate"));
    expect([...new Set(checked.map((t) => t.split(":")[0]))].sort()).toEqual([p.leaf, ...p.clusters].sort());
  });
});

describe("the report", () => {
  const size = (name: string, components: number, objects: number, whole: number): SizeResult => ({
    name,
    components,
    clusters: 3,
    objects,
    generatedFiles: components * 30,
    rows: [
      { stage: "whole pipeline, first run (empty caches)", command: "gitops all --json", seconds: whole, objects, objectsPerSecond: objects / whole, peakRssMb: 300 },
      { stage: "render", command: "gitops render", seconds: 1, objects, objectsPerSecond: objects, peakRssMb: 100 },
    ],
    kubectl: {
      overlays: 10,
      compared: 10,
      sampled: false,
      objects,
      kubectlSeconds: 10,
      kubectlMedianMs: 100,
      oursSeconds: 0.2,
      oursMedianMs: 2,
      identical: 9,
      differences: [{ cluster: "cluster-1", path: "apps/x/overlays/dev", objects: 3, kubectlMs: 100, oursMs: 2, difference: "object 1 differs" }],
      kubectlVersion: "kubectl v1",
      renderCommandSeconds: 1,
      ratioWholeProcess: 10,
      ratioPerFolder: 50,
    },
  });

  it("checks the targets: linear growth, the 20 s budget, the kubectl ratio and agreement", () => {
    const partial: Omit<BenchReport, "targets"> = {
      machine: { cpu: "cpu", nproc: 2, memory: "8 GiB", node: "v22", platform: "linux", date: "now" },
      sizes: [size("25×3", 25, 1500, 2), size("400×3", 400, 24000, 40)],
      scaling: { from: 25, to: 400, objectsRatio: 16, timeRatio: 20, stage: "whole pipeline, first run (empty caches)" },
    };
    const targets = targetChecks(partial);
    const byTarget = (text: string) => targets.filter((t) => t.target.includes(text));
    expect(byTarget("first run, < 20 s").map((t) => t.ok)).toEqual([false]);
    expect(byTarget("no worse than linearly").map((t) => t.ok)).toEqual([false]);
    expect(byTarget("20× faster").map((t) => t.ok)).toEqual([true, true]);
    expect(byTarget("identical to kubectl").map((t) => [t.ok, t.figure])).toEqual([
      [false, "9/10 folders identical"],
      [false, "9/10 folders identical"],
    ]);
    expect(byTarget("this repository").every((t) => t.ok === undefined)).toBe(true);
    const markdown = toMarkdown({ ...partial, targets });
    expect(markdown).toContain("## Synthetic platform: 400 components × 3 clusters (24,000 objects rendered, 12,000 generated files)");
    expect(markdown).toContain("| whole pipeline, first run (empty caches) | `gitops all --json` | 40.00 | 600 | 300 |");
    expect(markdown).toContain("**50×** faster per folder");
    expect(markdown).toContain("different: cluster-1:apps/x/overlays/dev (object 1 differs)");
    expect(markdown).toContain("| time grows no worse than linearly from 25 to 400 components | 16.0× the objects took 20.0× the time | **no** |");
  });

  it("refuses bad options", () => {
    const r = gitops(REPO_ROOT, ["bench", "--components", "0"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--components must be a positive integer");
    const tools = gitops(REPO_ROOT, ["bench", "--tools", "/nonexistent"]);
    expect(tools.status).toBe(2);
    expect(tools.stderr).toContain("holds no bin/gitops.mjs");
    expect(gitops(REPO_ROOT, ["bench", "--help"]).stdout).toContain("Usage: gitops bench");
  });
});
