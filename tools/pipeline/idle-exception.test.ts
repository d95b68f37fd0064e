import { describe, expect, it } from "vitest";
import { devClusterSource } from "../testing/component-sources.ts";
import { gitops, tempWorkspace } from "../testing/temp-workspace.ts";

const COMPONENT = `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<Record<string, never>>({
  name: "web",
  namespace: "web",
  values: { dev: {}, prod: {} },
  validateExceptions: [
    {
      rule: "cluster/dangling-reference",
      objects: [{ kind: "Service", name: "gone" }],
      reason: "the old Service was removed long ago",
    },
  ],
  resources: (_v, { namespace }) => [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace }, data: { level: "info" } }],
});
`;

const CLUSTER = devClusterSource({ web: "apps/web" });

describe("validate exceptions that waive nothing", () => {
  it("GIVEN a component's validate exception naming an object with no finding WHEN the cluster is validated THEN one warning at the exception's line in component.ts", () => {
    const ws = tempWorkspace({ "apps/web/component.ts": COMPONENT, "clusters/dev1/cluster.ts": CLUSTER });
    const run = gitops(ws, ["all", "--output", "json"], { GITOPS_CHARTS: "off", CI: "" });
    const report = JSON.parse(run.stdout) as { findings: { rule: string; severity: string; file: string; line: number; message: string }[] };
    const idle = report.findings.filter((f) => f.rule === "cluster/idle-exception");
    expect(idle.map(({ severity, file, line, message }) => ({ severity, file, line, message }))).toEqual([
      {
        severity: "warning",
        file: "apps/web/component.ts",
        line: 8,
        message: `validate exception of component "web" for "cluster/dangling-reference" names Service web/gone, for which this cluster's checks find nothing to waive: remove it if it is stale`,
      },
    ]);
  }, 120_000);
});
