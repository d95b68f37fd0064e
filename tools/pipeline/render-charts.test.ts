/**
 * Charts in a cluster's render, end to end through the CLI: the chart pulled from the mirror that the
 * test run serves (tools/testing/global-setup.ts), templated with the pinned Helm, its objects and CRDs
 * in dist/render, its custom resources validated against the CRD the chart installs.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gitops, tempWorkspace } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";

const component = (podLogsSpec: string, version = "1.11.1") => `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "alloy",
  namespace: "alloy",
  podSecurity: "privileged",
  chart: {
    repoURL: "https://grafana.github.io/helm-charts",
    chart: "alloy",
    version: "${version}",
    values: (v) => ({ controller: { type: "deployment", replicas: v.replicas } }),
  },
  values: { dev: { replicas: 1 }, prod: { replicas: 2 } },
  resources: (_v, { namespace }) => [
    { apiVersion: "monitoring.grafana.com/v1alpha2", kind: "PodLogs", metadata: { name: "web", namespace }, spec: ${podLogsSpec} },
  ],
});
`;

const CLUSTER = `import alloy from "../../infrastructure/alloy/component.ts";
import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({
  name: "dev1",
  environment: "dev",
  kubernetesVersion: "1.34",
  distribution: "kind",
  repo: { url: "https://git.example.com/platform.git", revision: "main" },
  components: [alloy],
});
`;

describe.skipIf(skipWithoutUpstream("charts"))("a chart in a cluster's render", () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-render-charts-cache-"));
  const env = { GITOPS_CACHE_DIR: cache, CI: "" };

  it("GIVEN a component with a chart WHEN rendered THEN the chart's objects and CRDs are in dist/render, and a misspelled field in a chart-installed custom resource fails validate naming the field and the chart's CRD", () => {
    const ws = tempWorkspace({ "infrastructure/alloy/component.ts": component("{ selector: {}, namespaceSelector: {} }"), "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"], env).status).toBe(0);
    const render = gitops(ws, ["render", "--json"], env);
    expect(render.stderr).toBe("");
    expect(render.status).toBe(0);
    const summary = JSON.parse(render.stdout) as { targets: { charts: { app: string; status: string; objects: number }[] }[] };
    expect(summary.targets[0].charts).toEqual([{ app: "alloy", chart: "alloy", version: "1.11.1", status: "rendered", objects: expect.any(Number) }]);
    const text = readFileSync(path.join(ws, "dist/render/dev1/charts/alloy.yaml"), "utf8");
    expect(text).toMatch(/kind: CustomResourceDefinition\nmetadata:\n(  .*\n)*  name: podlogs\.monitoring\.grafana\.com\n/);
    expect(text).toMatch(/kind: Deployment\nmetadata:\n  name: alloy\n  namespace: alloy/);
    expect(JSON.parse(readFileSync(path.join(ws, "dist/render/dev1/index.json"), "utf8")).files).toContainEqual(
      expect.objectContaining({ file: "dist/render/dev1/charts/alloy.yaml", app: "alloy", chartStatus: "rendered" }),
    );
    const ok = gitops(ws, ["validate", "--cluster", "dev1"], env);
    expect(ok.stdout).not.toContain("PodLogs");

    // The same custom resource with a misspelled field: the chart's CRD catches it.
    const bad = tempWorkspace({ "infrastructure/alloy/component.ts": component("{ selector: {}, namespaceSelector: {}, relabelings: [], selectr: {} }"), "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(bad, ["generate"], env).status).toBe(0);
    const v = gitops(bad, ["validate", "--cluster", "dev1"], env);
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/^dist\/render\/dev1\/apps\/alloy\.yaml:\d+:\d+  error  schema\/unknown-field  PodLogs alloy\/web  spec: unknown field "selectr"$/m);
  });

  it("GIVEN a chart version the mirror does not hold THEN it is one clear finding, a warning, and the summary counts charts 0/1", () => {
    const ws = tempWorkspace({ "infrastructure/alloy/component.ts": component("{ selector: {}, namespaceSelector: {} }", "9.9.9"), "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"], env).status).toBe(0);
    const all = gitops(ws, ["all"], env);
    expect(all.stdout).toMatch(/^infrastructure\/alloy\/component\.ts:6:3  warning  render\/chart-not-found  -  alloy@9\.9\.9 \(app alloy\) is not rendered, so its objects are not validated or linted: chart not available: alloy@9\.9\.9 from https:\/\/grafana\.github\.io\/helm-charts \(mirror http:\/\/127\.0\.0\.1:\d+\): chart "alloy" version "9\.9\.9" not found in http:\/\/127\.0\.0\.1:\d+ repository$/m);
    expect(all.stdout).toMatch(/^dev1 +dev +1\.34 +1 +\d+ +0\/1 /m);
    expect(existsSync(path.join(ws, "dist/render/dev1/charts"))).toBe(false);
    // And the custom resource whose CRD the chart would have installed has none in this cluster.
    expect(all.stdout).toContain('error  cluster/missing-crd  PodLogs alloy/web');
  });

  it("GIVEN no mirror and an unreachable repository under CI=true THEN the chart not rendered is an error", () => {
    const ws = tempWorkspace({ "infrastructure/alloy/component.ts": component("{ selector: {}, namespaceSelector: {} }").replace("https://grafana.github.io/helm-charts", "http://127.0.0.1:1/charts"), "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"], env).status).toBe(0);
    const v = gitops(ws, ["validate", "--cluster", "dev1"], { ...env, GITOPS_CHART_MIRROR: "", CI: "true" });
    expect(v.status).toBe(1);
    expect(v.stdout).toMatch(/^infrastructure\/alloy\/component\.ts:6:3  error  render\/chart-unreachable  -  alloy@1\.11\.1 \(app alloy\) is not rendered/m);
  });
  it("GIVEN the ingress-nginx chart, whose admission hook Job creates the controller's webhook Secret at install time THEN validate finds no dangling reference, and none is excused by the namespace", () => {
    const ingress = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "ingress-nginx",
  namespace: "ingress-nginx",
  podSecurity: "baseline",
  chart: {
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    version: "4.15.1",
    values: (v) => ({ controller: { replicaCount: v.replicas } }),
  },
  values: { dev: { replicas: 1 }, prod: { replicas: 2 } },
});
`;
    const cluster = CLUSTER.replace('import alloy from "../../infrastructure/alloy/component.ts";', 'import ingress from "../../infrastructure/ingress-nginx/component.ts";').replace("components: [alloy]", "components: [ingress]");
    const ws = tempWorkspace({ "infrastructure/ingress-nginx/component.ts": ingress, "clusters/dev1/cluster.ts": cluster });
    expect(gitops(ws, ["generate"], env).status).toBe(0);
    const v = gitops(ws, ["validate", "--cluster", "dev1"], env);
    expect(readFileSync(path.join(ws, "dist/render/dev1/charts/ingress-nginx.yaml"), "utf8")).toContain("secretName: ingress-nginx-admission");
    expect(v.stdout).not.toContain("cluster/dangling-reference");
    expect(v.status).toBe(0);
  });
});

