import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { DOKS } from "../../clusters/doks/cluster.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

/** The chart values of a generated Application of the doks cluster. */
function chartValues(component: string): Record<string, any> {
  const app = load(readFileSync(path.join(REPO_ROOT, `clusters/doks/apps/application-${component}.yaml`), "utf8")) as { spec: { sources: any[] } };
  return app.spec.sources.find((s) => s.chart).helm.valuesObject;
}

const at = (values: Record<string, any>, where: string) => where.split(".").reduce((v, k) => v?.[k], values as any);

describe("the DOKS monitoring pool's taint", () => {
  const [taint] = DOKS.nodePools.find((p) => p.name === "monitoring")!.taints!;
  const tolerates = (tolerations: { key?: string; operator?: string; value?: string; effect?: string }[] | undefined) =>
    (tolerations ?? []).some(
      (t) => (t.operator === "Exists" && !t.key) || (t.key === taint.key && (t.operator === "Exists" || t.value === taint.value) && (!t.effect || t.effect === taint.effect)),
    );

  it.each([
    ["kube-prometheus-stack", ["prometheusOperator.tolerations", "prometheus.prometheusSpec.tolerations", "alertmanager.alertmanagerSpec.tolerations", "grafana.tolerations", "kube-state-metrics.tolerations"]],
    ["loki", ["write.tolerations", "read.tolerations", "backend.tolerations", "gateway.tolerations"]],
    ["tempo", ["tolerations"]],
    ["opentelemetry-collector", ["tolerations"]],
    ["promtail", ["tolerations"]],
  ])("is tolerated by %s's workloads (%j)", (component, paths) => {
    const values = chartValues(component);
    for (const where of paths) expect(tolerates(at(values, where)), `${component}: ${where}`).toBe(true);
  });
});

describe("kind's ingress node", () => {
  it("is the node with the host's ports 80/443, and the one the ingress controller serves them on", () => {
    const config = load(readFileSync(path.join(REPO_ROOT, "bootstrap/local/kind-config.yaml"), "utf8")) as {
      nodes: { role: string; labels?: Record<string, string>; extraPortMappings?: { containerPort: number }[] }[];
    };
    const ingressNode = config.nodes.find((n) => n.extraPortMappings?.length)!;
    expect(ingressNode.role).toBe("control-plane");
    expect(ingressNode.extraPortMappings!.map((m) => m.containerPort)).toEqual([80, 443]);
    const app = load(readFileSync(path.join(REPO_ROOT, "clusters/local/apps/application-ingress-nginx.yaml"), "utf8")) as { spec: { sources: any[] } };
    const controller = app.spec.sources.find((s) => s.chart).helm.valuesObject.controller;
    expect(controller.hostPort).toEqual({ enabled: true });
    expect(controller.nodeSelector).toEqual(ingressNode.labels);
    expect(controller.tolerations).toContainEqual({ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" });
  });
});
