/**
 * `gitops all` shares the clusters out between the main thread and worker threads (GITOPS_WORKERS):
 * the report does not depend on how many threads made it.
 */
import { describe, expect, it } from "vitest";
import { gitops, tempWorkspace } from "../testing/temp-workspace.ts";

const web = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "web",
  namespace: "web",
  values: { dev: { replicas: 1 }, prod: { replicas: 2 } },
  resources: (v, { namespace }) => [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace }, data: { level: "info" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace },
      spec: {
        replicas: v.replicas,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } },
      },
    },
  ],
});
`;

const cluster = (name: string, environment: string) => `import web from "../../apps/web/component.ts";
import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({
  name: "${name}",
  environment: "${environment}",
  kubernetesVersion: "1.34",
  distribution: "kind",
  repo: { url: "https://git.example.com/platform.git", revision: "main" },
  components: [web],
});
`;

/** `gitops all --output json` without its timings. */
function all(ws: string, workers: string): { status: number; report: unknown; stderr: string } {
  const run = gitops(ws, ["all", "--output", "json"], { GITOPS_WORKERS: workers, GITOPS_CHARTS: "off", CI: "" });
  if (!run.stdout) return { status: run.status, report: undefined, stderr: run.stderr };
  const report = JSON.parse(run.stdout) as { seconds?: number; clusters: { seconds?: number }[] };
  delete report.seconds;
  for (const c of report.clusters) delete c.seconds;
  return { status: run.status, report, stderr: run.stderr };
}

describe("gitops all with worker threads", () => {
  it("GIVEN three clusters WHEN checked by one thread, two or three THEN the reports are identical", () => {
    const ws = tempWorkspace({
      "apps/web/component.ts": web,
      "clusters/one/cluster.ts": cluster("one", "dev"),
      "clusters/two/cluster.ts": cluster("two", "prod"),
      "clusters/three/cluster.ts": cluster("three", "prod"),
    });
    const single = all(ws, "0");
    expect(single.stderr).toBe("");
    // The Deployment has no probes and no resources: lint findings in every cluster.
    expect(JSON.stringify(single.report)).toContain('"rule":"probes-set"');
    expect((single.report as { clusters: { cluster: string }[] }).clusters.map((c) => c.cluster)).toEqual(["one", "three", "two"]);
    expect(all(ws, "1")).toEqual(single);
    expect(all(ws, "2")).toEqual(single);
  }, 120_000);
});
