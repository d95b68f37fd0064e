/**
 * A chart version bump in a real git series, both versions pulled with the real `helm pull` from a chart
 * repository on loopback and templated with the pinned Helm. The upstream mirror holds one version of each
 * chart, so the second version is made here, in a temporary folder: the upstream alloy chart packaged again
 * by `helm package` with the next patch version and app version (alloy's image tag follows the chart's
 * app version, so the chart's objects change as they do in a real release).
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineBinary } from "../engines/binaries.ts";
import { startChartMirror, UPSTREAM_CHARTS, type ChartMirror } from "../testing/chart-mirror.ts";
import { gitCommit, gitops, REPO_ROOT, run, tempWorkspace } from "../testing/temp-workspace.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";

const component = (version: string) => `import { defineComponent } from "../../tools/model/index.ts";
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

interface Report {
  clusters: {
    cluster: string;
    risks: { class: string; rule: string; title: string; field: string; reason: string; app: string }[];
    apps: { name: string; chart?: { before?: { version: string }; after?: { version: string } }; objects: { kind: string; name: string; change: string; diff: string[] }[] }[];
  }[];
}

describe.skipIf(skipWithoutUpstream("charts"))("gitops diff: a chart version bump, charts rendered from a chart repository", () => {
  let mirror: ChartMirror;
  let repo: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const helm = engineBinary("helm").path;
    const charts = mkdtempSync(path.join(os.tmpdir(), "gitops-diff-charts-"));
    const unpacked = mkdtempSync(path.join(os.tmpdir(), "gitops-diff-chart-src-"));
    copyFileSync(path.join(UPSTREAM_CHARTS, "alloy-1.11.1.tgz"), path.join(charts, "alloy-1.11.1.tgz"));
    run(unpacked, "tar", ["-xzf", path.join(UPSTREAM_CHARTS, "alloy-1.11.1.tgz")]);
    run(unpacked, helm, ["package", "alloy", "--version", "1.11.2", "--app-version", "v1.18.2", "--destination", charts]);
    run(charts, helm, ["repo", "index", "."]);
    mirror = await startChartMirror(charts);
    env = { GITOPS_CHART_MIRROR: mirror.url, GITOPS_CACHE_DIR: mkdtempSync(path.join(os.tmpdir(), "gitops-diff-charts-cache-")), CI: "" };

    repo = tempWorkspace({ "infrastructure/alloy/component.ts": component("1.11.1"), "clusters/dev1/cluster.ts": CLUSTER });
    writeFileSync(path.join(repo, ".gitignore"), readFileSync(path.join(REPO_ROOT, ".gitignore"), "utf8"));
    expect(gitops(repo, ["generate"], env).status).toBe(0);
    run(repo, "git", ["init", "-q", "-b", "main"]);
    gitCommit(repo, "alloy 1.11.1");
    writeFileSync(path.join(repo, "infrastructure/alloy/component.ts"), component("1.11.2"));
    expect(gitops(repo, ["generate"], env).status).toBe(0);
    gitCommit(repo, "alloy 1.11.2");
  });

  afterAll(async () => {
    await mirror?.close();
  });

  it("lists the version change with the chart's app version, and the chart's changed objects", () => {
    const result = gitops(repo, ["diff", "--base", "HEAD~1", "--output", "json", "--exit-code"], env);
    expect(result.stderr).not.toContain("warning");
    expect(result.status).toBe(1);
    const cluster = (JSON.parse(result.stdout) as Report).clusters[0];
    const alloy = cluster.apps.find((a) => a.name === "alloy")!;
    expect(alloy.chart).toMatchObject({ before: { version: "1.11.1" }, after: { version: "1.11.2" } });
    expect(cluster.risks).toContainEqual(
      expect.objectContaining({
        class: "supply-chain",
        rule: "supply-chain/chart-version",
        field: "spec.sources[].targetRevision",
        reason: "chart alloy 1.11.1 → 1.11.2; app version v1.18.1 → v1.18.2.",
      }),
    );
    // The chart's own objects: the Deployment's image follows the app version.
    const deployment = alloy.objects.find((o) => o.kind === "Deployment" && o.name === "alloy")!;
    expect(deployment.change).toBe("changed");
    expect(deployment.diff.join("\n")).toMatch(/-\s+image: docker\.io\/grafana\/alloy:v1\.18\.1\n\+\s+image: docker\.io\/grafana\/alloy:v1\.18\.2/);
    expect(cluster.risks).toContainEqual(expect.objectContaining({ rule: "supply-chain/image-changed", title: "Deployment alloy/alloy" }));
    // Only the version and what follows from it changed: the labels naming the chart version are noise.
    expect(result.stdout).not.toContain("helm.sh/chart");
  });

  it("names the chart change on the Application in text", () => {
    const result = gitops(repo, ["diff", "--base", "HEAD~1"], env);
    expect(result.stdout).toContain("  Application alloy (chart alloy 1.11.1 → 1.11.2)\n  ~ Deployment alloy/alloy [apps/v1] changed\n");
  });

  it("shows the bump in the Markdown comment", () => {
    const result = gitops(repo, ["diff", "--base", "HEAD~1", "--output", "markdown"], env);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("chart alloy 1.11.1 → 1.11.2; app version v1.18.1 → v1.18.2.");
    expect(result.stdout).toContain("<summary><b>dev1</b> / alloy (chart alloy 1.11.1 → 1.11.2): 0 added, 1 changed, 0 removed, ⚠️ 1 risk</summary>");
    expect(result.stdout).toContain("**changed** `Deployment alloy/alloy` [apps/v1]");
  });
});
