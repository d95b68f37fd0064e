/**
 * The toolchain cache is an optimisation only: `gitops all` on a warm cache reports exactly what it
 * reports on an empty one, a changed object is checked again, and a change to one chart's values
 * re-templates that chart only.
 */
import { afterAll, describe, expect, it } from "vitest";
import { alloyComponent, devClusterSource, podLogs } from "../testing/component-sources.ts";
import { gitops, tempDirs, tempWorkspace, writeFiles } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";
import { renderCluster } from "./render-cluster.ts";

const temps = tempDirs();
afterAll(temps.removeAll);

const alloy = (replicas: number, podLogsSpec: string) =>
  alloyComponent({ replicas, resources: [podLogs(podLogsSpec), '{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace }, data: { level: "info" } }'] });

// A misspelled chart value, caught by the chart's values type.
const METALLB = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<Record<string, never>>({
  name: "metallb",
  namespace: "metallb-system",
  podSecurity: "privileged",
  chart: {
    repoURL: "https://metallb.github.io/metallb",
    chart: "metallb",
    version: "0.16.1",
    values: () => ({ speakr: { enabled: true } }),
  },
  values: { dev: {}, prod: {} },
  resources: () => [],
});
`;

const CLUSTER = devClusterSource({ alloy: "infrastructure/alloy", metallb: "infrastructure/metallb" });

const GOOD_LOGS = "{ selector: {}, namespaceSelector: {} }";
const BAD_LOGS = "{ selector: {}, namespaceSelector: {}, selectr: {} }";

/** `gitops all --output json` without its timings. */
function all(ws: string, cacheDir: string): { status: number; report: unknown } {
  const run = gitops(ws, ["all", "--output", "json"], { GITOPS_CACHE_DIR: cacheDir, CI: "" });
  const report = JSON.parse(run.stdout) as { seconds?: number; clusters: { seconds?: number }[] };
  delete report.seconds;
  for (const c of report.clusters) delete c.seconds;
  return { status: run.status, report };
}

describe.skipIf(skipWithoutUpstream("charts"))("gitops all on a warm cache", () => {
  it("GIVEN a run that filled the cache WHEN run again, and after an object changes THEN the findings equal those of a run on an empty cache", () => {
    const ws = temps.track(tempWorkspace({ "infrastructure/alloy/component.ts": alloy(1, GOOD_LOGS), "infrastructure/metallb/component.ts": METALLB, "clusters/dev1/cluster.ts": CLUSTER }));
    const cache = temps.make("gitops-warm-cache-");
    const cold = all(ws, cache);
    expect(JSON.stringify(cold.report)).toContain("speakr");
    expect(all(ws, cache)).toEqual(cold);

    // A custom resource with a misspelled field: found on the warm cache as on an empty one.
    writeFiles(ws, { "infrastructure/alloy/component.ts": alloy(1, BAD_LOGS) });
    const warm = all(ws, cache);
    expect(JSON.stringify(warm.report)).toContain('spec: unknown field \\"selectr\\"');
    expect(warm).toEqual(all(ws, temps.make("gitops-cold-cache-")));
  }, 240_000);

  it("GIVEN rendered charts WHEN one chart's values change THEN only that chart is templated again", () => {
    const ws = temps.track(tempWorkspace({ "infrastructure/alloy/component.ts": alloy(1, GOOD_LOGS), "infrastructure/metallb/component.ts": METALLB, "clusters/dev1/cluster.ts": CLUSTER }));
    const cache = temps.make("gitops-retemplate-cache-");
    const env = { GITOPS_CACHE_DIR: cache, CI: "" };
    expect(gitops(ws, ["generate"], env).status).toBe(0);
    expect(gitops(ws, ["render"], env).status).toBe(0);
    const saved = process.env.GITOPS_CACHE_DIR;
    process.env.GITOPS_CACHE_DIR = cache;
    try {
      const cached = () => Object.fromEntries(renderCluster(ws, "clusters/dev1").charts.map((c) => [c.app, `${c.status} ${c.cached ? "cached" : "templated"}`]));
      expect(cached()).toEqual({ alloy: "rendered cached", metallb: "rendered cached" });
      writeFiles(ws, { "infrastructure/alloy/component.ts": alloy(3, GOOD_LOGS) });
      expect(gitops(ws, ["generate"], env).status).toBe(0);
      expect(cached()).toEqual({ alloy: "rendered templated", metallb: "rendered cached" });
      expect(cached()).toEqual({ alloy: "rendered cached", metallb: "rendered cached" });
    } finally {
      if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
      else process.env.GITOPS_CACHE_DIR = saved;
    }
  }, 240_000);
});
