/** `gitops charts pull` as a user runs it, against the chart mirror the test run serves (global-setup.ts). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gitops, REPO_ROOT, tempWorkspace } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";

const COMPONENT = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "rollouts",
  namespace: "argo-rollouts",
  chart: {
    repoURL: "https://argoproj.github.io/argo-helm",
    chart: "argo-rollouts",
    version: "2.41.0",
    values: (v) => ({ controller: { replicas: v.replicas } }),
  },
  values: { dev: { replicas: 1 }, prod: { replicas: 2 } },
});
`;

describe.skipIf(skipWithoutUpstream("charts"))("gitops charts pull", () => {
  it("GIVEN a pinned chart WHEN pulled THEN the lock records its sha256; a second pull is a cache hit; changed bytes are refused", () => {
    const ws = tempWorkspace({ "infrastructure/rollouts/component.ts": COMPONENT });
    const env = { GITOPS_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), "gitops-charts-pull-cache-")) };
    const first = gitops(ws, ["charts", "pull", "--json"], env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const summary = JSON.parse(first.stdout) as { charts: { chart: string; sha256: string; pulled: boolean }[]; lockChanged: boolean };
    expect(summary.charts).toEqual([expect.objectContaining({ chart: "argo-rollouts", version: "2.41.0", pulled: true, problem: null, components: ["rollouts"] })]);
    expect(summary.lockChanged).toBe(true);
    const lock = JSON.parse(readFileSync(path.join(ws, "charts.lock.json"), "utf8"));
    expect(lock).toEqual({ lockVersion: 1, charts: [{ repoURL: "https://argoproj.github.io/argo-helm", chart: "argo-rollouts", version: "2.41.0", sha256: summary.charts[0].sha256 }] });

    const second = gitops(ws, ["charts", "pull"], env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^charts pull: 1 charts \(0 pulled, 1 cached\) in \d+\.\d\ds; charts\.lock\.json unchanged\n$/);

    writeFileSync(path.join(ws, "charts.lock.json"), JSON.stringify({ ...lock, charts: [{ ...lock.charts[0], sha256: "f".repeat(64) }] }));
    const refused = gitops(ws, ["charts", "pull", "--force"], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`error: chart argo-rollouts@2.41.0 from https://argoproj.github.io/argo-helm (mirror ${process.env.GITOPS_CHART_MIRROR}): argo-rollouts-2.41.0.tgz has sha256 ${summary.charts[0].sha256}, but charts.lock.json locks ${"f".repeat(64)}`);
    // The lock keeps what it said: a refused chart does not rewrite it.
    expect(JSON.parse(readFileSync(path.join(ws, "charts.lock.json"), "utf8")).charts[0].sha256).toBe("f".repeat(64));
  });

  it("has --help", () => {
    const r = gitops(REPO_ROOT, ["charts", "pull", "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gitops charts pull \[options\]/);
  });
});
