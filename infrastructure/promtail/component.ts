import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { MONITORING_NAMESPACE, OBSERVABILITY, prometheusRule } from "../kube-prometheus-stack/component.ts";
import loki, { LOG_AGENT_ROLE } from "../loki/component.ts";

export interface PromtailValues {
  readonly resources: { readonly cpu: string; readonly memory: string };
}

/** The promtail chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type PromtailChartValues = ChartValues<"promtail">;

/**
 * Promtail, the classic log agent. Upstream has deprecated it (chart 6.17.1 is its last release) in
 * favour of Grafana Alloy; it stays for clusters that still run it. A cluster picks promtail or alloy
 * (the cluster role LOG_AGENT_ROLE), never both.
 */
export default defineComponent<PromtailValues>({
  name: "promtail",
  role: LOG_AGENT_ROLE,
  description: "Promtail log agent (DaemonSet): tails every pod's logs and pushes them to Loki. Alternative to alloy.",
  namespace: MONITORING_NAMESPACE,
  createNamespace: false,
  dependsOn: [loki],
  policyExceptions: [
    {
      rule: "no-host-path",
      objects: [{ kind: "DaemonSet", name: "promtail" }],
      reason: "A log agent tails the node's pod and container logs from the host, and keeps its read positions in the host's /run/promtail across restarts.",
    },
    {
      rule: "run-as-non-root",
      objects: [{ kind: "DaemonSet", name: "promtail" }],
      reason: "The kubelet writes pod logs root-owned and not world-readable; the chart runs the agent as root without capabilities to read them.",
    },
    {
      rule: "no-root-group",
      objects: [{ kind: "DaemonSet", name: "promtail" }],
      reason: "The agent runs as user 0 (the run-as-non-root exception above) to read the root-owned pod logs; the root group it gets with that user grants no access the root user does not already have.",
    },
  ],
  chart: {
    repoURL: "https://grafana.github.io/helm-charts",
    chart: "promtail",
    version: "6.17.1",
    releaseName: "promtail",
    values: (v, { environment }): PromtailChartValues => ({
      config: { clients: [{ url: OBSERVABILITY.lokiPushUrl, external_labels: { environment } }] },
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
      tolerations: [{ operator: "Exists" }],
      // The chart probes readiness on /ready, which fails while the agent has no log targets: liveness
      // checks only that its HTTP server (the metrics port) accepts connections.
      livenessProbe: { tcpSocket: { port: "http-metrics" }, initialDelaySeconds: 10, periodSeconds: 10 },
      // The configuration holds no secret (Loki's in-cluster push URL): a ConfigMap, not a Secret.
      configmap: { enabled: true },
      serviceMonitor: { enabled: true },
    }),
  },
  values: {
    dev: { resources: { cpu: "20m", memory: "64Mi" } },
    prod: { resources: { cpu: "100m", memory: "256Mi" } },
  },
  resources: () => [
    prometheusRule("promtail", {
      "promtail.push": [
        {
          alert: "PromtailPushErrors",
          expr: 'sum by (instance) (rate(promtail_request_duration_seconds_count{status_code=~"5..|failed"}[5m])) / sum by (instance) (rate(promtail_request_duration_seconds_count[5m])) > 0.1',
          for: "15m",
          severity: "warning",
          summary: "Promtail on {{ $labels.instance }} fails to push more than 10% of its batches to Loki.",
        },
      ],
    }),
  ],
});
