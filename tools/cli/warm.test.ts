import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { devClusterSource } from "../testing/component-sources.ts";
import { gitops, REPO_ROOT, snapshotTree, tempWorkspace } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";
import { spawnSync } from "node:child_process";

const COMPONENT = `import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ greeting: string }>({
  name: "web",
  namespace: "web",
  values: { dev: { greeting: "hello" }, prod: { greeting: "bonjour" } },
  resources: (v) => [
    new ConfigMap({ metadata: { name: "settings" }, data: { greeting: v.greeting } }),
    new Service({ metadata: { name: "web" }, spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80 }] } }),
  ],
});
`;

const CLUSTER = devClusterSource({ web: "apps/web" });

// A component whose workloads come from a chart (with its CRDs) through the test mirror.
const METALLB = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<Record<string, never>>({
  name: "metallb",
  namespace: "metallb-system",
  podSecurity: "privileged",
  chart: { repoURL: "https://metallb.github.io/metallb", chart: "metallb", version: "0.16.1", values: () => ({}) },
  values: { dev: {}, prod: {} },
  resources: () => [],
});
`;

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) out.push(...files(path.join(dir, entry.name)).map((f) => `${entry.name}/${f}`));
    else out.push(entry.name);
  }
  return out.sort();
}

const compiledKinds = (cache: string): string[] =>
  files(cache)
    .filter((f) => f.startsWith("ajv-") && f.endsWith(".cjs"))
    .map((f) => f.replace(/^ajv-[^/]+\/[^_/]+\.json_definitions_/, "").replace(/\.cjs$/, ""))
    .sort();

describe("gitops warm", () => {
  it("fills an empty toolchain cache with everything the next run needs, and writes nothing in the workspace", () => {
    const ws = tempWorkspace({ "apps/web/component.ts": COMPONENT, "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"]).status).toBe(0);
    const tree = snapshotTree(ws);
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-cache-"));

    const warm = gitops(ws, ["warm"], { GITOPS_CACHE_DIR: cache });
    expect(warm.stderr).toBe("");
    expect(warm.status).toBe(0);
    expect(warm.stdout).toMatch(/^warm: toolchain cache ready in \d+\.\d\ds \(/);
    expect(snapshotTree(ws)).toEqual(tree);

    // A validator for each kind the workspace generates: the component's, and the cluster's own.
    expect(compiledKinds(cache)).toEqual([
      "ComGithubArgoprojArgoCdV3PkgApisApplicationV1alpha1AppProject",
      "ComGithubArgoprojArgoCdV3PkgApisApplicationV1alpha1Application",
      "IoK8sApiCoreV1ConfigMap",
      "IoK8sApiCoreV1Namespace",
      "IoK8sApiCoreV1Service",
    ]);
    expect(files(cache).filter((f) => f.startsWith("typecheck/"))).toHaveLength(1);
    expect(files(cache).filter((f) => f.startsWith("ts/")).length).toBeGreaterThan(20);

    // The whole pipeline afterwards finds everything there: the cache does not change (apart from the
    // findings and output it memoises, which are the pipeline's own results, and V8's code cache of the
    // modules a run loads, which Node keeps).
    const prepared = () => files(cache).filter((f) => !/^(schema-findings|chart-values-findings|locations|api-rules|formatted|serialized|v8)\//.test(f));
    const before = prepared();
    const all = gitops(ws, ["all"], { GITOPS_CACHE_DIR: cache });
    // (The Service selects no pods: a finding, exit 1. What matters here is that the run completed.)
    expect(all.stdout).toMatch(/^dev1 /m);
    expect(prepared()).toEqual(before);
  });

  it.skipIf(skipWithoutUpstream("charts"))("GIVEN a component with a chart THEN warm renders and checks the clusters without writing dist/render, and the next gitops all templates nothing and compiles nothing", () => {
    const ws = tempWorkspace({ "infrastructure/metallb/component.ts": METALLB, "clusters/dev1/cluster.ts": devClusterSource({ metallb: "infrastructure/metallb" }) });
    expect(gitops(ws, ["generate"]).status).toBe(0);
    const tree = snapshotTree(ws);
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-cache-"));
    const warm = gitops(ws, ["warm", "--json"], { GITOPS_CACHE_DIR: cache, CI: "" });
    expect(warm.status).toBe(0);
    const report = JSON.parse(warm.stdout) as { clusters: { count: number; prepared: boolean; objects: number } };
    expect(report.clusters).toMatchObject({ count: 1, prepared: true });
    expect(report.clusters.objects).toBeGreaterThan(20);
    // Nothing but the chart's values type (.gitops/chart-types/, gitignored, as `gitops charts types` writes it).
    const withoutTypes = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([f]) => !f.startsWith(".gitops/")));
    expect(withoutTypes(snapshotTree(ws))).toEqual(withoutTypes(tree));
    expect(Object.keys(snapshotTree(ws)).filter((f) => f.startsWith(".gitops/"))).toEqual([".gitops/chart-types/metallb.d.ts", ".gitops/chart-types/metallb.resources.d.ts"]);
    expect(existsSync(path.join(ws, "dist"))).toBe(false);
    // What a run prepares for the next (templated charts, CRD schemas, compiled validators) is all there.
    const prepared = () => files(cache).filter((f) => /^(charts\/templates|crd-schemas|ajv-|serialized)/.test(f));
    const before = prepared();
    expect(before.some((f) => f.startsWith("charts/templates/"))).toBe(true);
    expect(before.some((f) => f.startsWith("crd-schemas/"))).toBe(true);
    const all = gitops(ws, ["all", "--output", "json"], { GITOPS_CACHE_DIR: cache, CI: "" });
    expect(all.stderr).toBe("");
    expect((JSON.parse(all.stdout) as { clusters: { charts: unknown }[] }).clusters[0].charts).toEqual({ rendered: 1, total: 1 });
    expect(prepared()).toEqual(before);
  }, 120_000);

  it("GIVEN a chart repository out of reach THEN warm does not render the clusters and says why, unless charts are off (GITOPS_CHARTS=off)", () => {
    const ws = tempWorkspace({ "infrastructure/metallb/component.ts": METALLB, "clusters/dev1/cluster.ts": devClusterSource({ metallb: "infrastructure/metallb" }) });
    expect(gitops(ws, ["generate"]).status).toBe(0);
    // Port 1 on loopback: nothing listens there.
    const offline = { GITOPS_CHART_MIRROR: "http://127.0.0.1:1/charts", CI: "" };
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-cache-"));
    const warm = gitops(ws, ["warm", "--json"], { ...offline, GITOPS_CACHE_DIR: cache });
    expect(warm.status).toBe(0);
    expect(JSON.parse(warm.stdout).clusters).toEqual({ count: 1, prepared: false, reason: "a chart repository could not be reached" });
    const off = gitops(ws, ["warm", "--json"], { ...offline, GITOPS_CACHE_DIR: cache, GITOPS_CHARTS: "off" });
    expect(off.status).toBe(0);
    expect(JSON.parse(off.stdout).clusters).toMatchObject({ count: 1, prepared: true });
    expect(existsSync(path.join(ws, "dist"))).toBe(false);
  }, 60_000);

  it("GIVEN generated files that are not up to date THEN warm prepares the rest and says why the clusters were not rendered", () => {
    const ws = tempWorkspace({ "apps/web/component.ts": COMPONENT, "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"]).status).toBe(0);
    writeFileSync(path.join(ws, "apps/web/component.ts"), COMPONENT.replace('greeting: "hello"', 'greeting: "hi"'));
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-cache-"));
    const warm = gitops(ws, ["warm"], { GITOPS_CACHE_DIR: cache });
    expect(warm.status).toBe(0);
    expect(warm.stdout).toMatch(/; clusters not rendered: the generated files are not up to date \(run `gitops generate`\)\)\n$/);
  });

  it("reports a type error with exit 1, or as a warning with exit 0 under --best-effort (as npm ci runs it)", () => {
    const ws = tempWorkspace({ "apps/web/component.ts": COMPONENT.replace('greeting: "hello"', "greeting: 42"), "clusters/dev1/cluster.ts": CLUSTER });
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-cache-"));
    const strict = gitops(ws, ["warm"], { GITOPS_CACHE_DIR: cache });
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain("warm: the toolchain cache is only partly ready: type errors:");
    expect(strict.stderr).toContain("apps/web/component.ts(");
    const lenient = gitops(ws, ["warm", "--best-effort"], { GITOPS_CACHE_DIR: cache });
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toContain("warm: the toolchain cache is only partly ready: type errors:");
  });

  // Only meaningful where no folder above the temporary directory holds an nx.json.
  const outside = mkdtempSync(path.join(os.tmpdir(), "gitops-warm-outside-"));
  const insideSomeWorkspace = (() => {
    for (let dir = outside; path.dirname(dir) !== dir; dir = path.dirname(dir)) if (existsSync(path.join(dir, "nx.json"))) return true;
    return false;
  })();

  it.skipIf(insideSomeWorkspace)("outside a workspace: exit 2, or 0 with --best-effort; npm's postinstall script exits 0 too", () => {
    writeFileSync(path.join(outside, "README"), "not a workspace");
    const strict = gitops(outside, ["warm"]);
    expect(strict.status).toBe(2);
    expect(strict.stderr).toContain("no nx.json found");
    const lenient = gitops(outside, ["warm", "--best-effort"]);
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toContain("no nx.json found");
    const postinstall = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/postinstall.mjs")], { cwd: outside, encoding: "utf8" });
    expect(postinstall.status).toBe(0);
    expect(postinstall.stderr).toContain("no nx.json found");
  });

  it("--help says what it prepares", () => {
    const help = gitops(os.tmpdir(), ["warm", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: gitops warm");
    expect(help.stdout).toContain("--best-effort");
  });
});
