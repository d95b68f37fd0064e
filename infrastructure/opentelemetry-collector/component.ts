import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import kubePrometheusStack, { MONITORING_NAMESPACE, OBSERVABILITY, prometheusRule } from "../kube-prometheus-stack/component.ts";
import loki from "../loki/component.ts";
import tempo from "../tempo/component.ts";
import { MONITORING_TOLERATIONS } from "../../tools/platform/node-pools.ts";

/** Where applications send OTLP: gRPC on 4317, HTTP on 4318. */
export const OTLP_ENDPOINT = {
  grpc: `opentelemetry-collector.${MONITORING_NAMESPACE}.svc:4317`,
  http: `http://opentelemetry-collector.${MONITORING_NAMESPACE}.svc:4318`,
} as const;

export interface OpenTelemetryCollectorValues {
  readonly replicas: number;
  readonly resources: { readonly cpu: string; readonly memory: string };
}

type Pipeline = { receivers: string[]; processors: string[]; exporters: string[] };

/** The opentelemetry-collector chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type OpenTelemetryCollectorChartValues = ChartValues<"opentelemetry-collector">;

// Collector component names after the 2026 rename to lower_snake_case (the old ones are deprecated aliases).
const TEMPO_EXPORTER = "otlp_grpc/tempo";
const PROMETHEUS_EXPORTER = "prometheus_remote_write";
const LOKI_EXPORTER = "otlp_http/loki";

const labels = { "app.kubernetes.io/name": "opentelemetry-collector" };

export default defineComponent<OpenTelemetryCollectorValues>({
  name: "opentelemetry-collector",
  description: "OpenTelemetry Collector (deployment): receives OTLP from workloads; traces to Tempo, metrics to Prometheus, logs to Loki.",
  namespace: MONITORING_NAMESPACE,
  createNamespace: false,
  dependsOn: [kubePrometheusStack, tempo, loki],
  chart: {
    repoURL: "https://open-telemetry.github.io/opentelemetry-helm-charts",
    chart: "opentelemetry-collector",
    // Collector 0.158.0. A downgrade from 0.177.0 (collector 0.163.2): 0.170.0 is the version the
    // chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "0.170.0",
    // Service opentelemetry-collector.monitoring.svc (OTLP_ENDPOINT).
    releaseName: "opentelemetry-collector",
    values: (v): OpenTelemetryCollectorChartValues => {
      const processors = ["memory_limiter", "batch"];
      return {
        mode: "deployment",
        image: { repository: "otel/opentelemetry-collector-contrib" },
        command: { name: "otelcol-contrib" },
        replicaCount: v.replicas,
        tolerations: MONITORING_TOLERATIONS,
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        podDisruptionBudget: v.replicas > 1 ? { enabled: true, maxUnavailable: 1 } : { enabled: false },
        // The contrib image runs as uid 10001 and the collector keeps its queues in memory: nothing to write to disk.
        podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
        securityContext: {
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
        },
        ports: {
          "jaeger-compact": { enabled: false },
          "jaeger-thrift": { enabled: false },
          "jaeger-grpc": { enabled: false },
          zipkin: { enabled: false },
          metrics: { enabled: true },
        },
        serviceMonitor: { enabled: true },
        config: {
          receivers: { jaeger: null, zipkin: null, prometheus: null },
          processors: { memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 }, batch: {} },
          exporters: {
            [TEMPO_EXPORTER]: { endpoint: OBSERVABILITY.tempoOtlpGrpc, tls: { insecure: true } },
            [PROMETHEUS_EXPORTER]: { endpoint: OBSERVABILITY.prometheusRemoteWriteUrl, resource_to_telemetry_conversion: { enabled: true } },
            [LOKI_EXPORTER]: { endpoint: `${OBSERVABILITY.lokiUrl}/otlp` },
          },
          service: {
            pipelines: {
              traces: { receivers: ["otlp"], processors, exporters: [TEMPO_EXPORTER] },
              metrics: { receivers: ["otlp"], processors, exporters: [PROMETHEUS_EXPORTER] },
              logs: { receivers: ["otlp"], processors, exporters: [LOKI_EXPORTER] },
            },
          },
        },
      };
    },
  },
  values: {
    dev: { replicas: 1, resources: { cpu: "50m", memory: "256Mi" } },
    prod: { replicas: 2, resources: { cpu: "200m", memory: "1Gi" } },
  },
  resources: (_v, { namespace }) => [
    prometheusRule("opentelemetry-collector", {
      "opentelemetry-collector.export": [
        {
          alert: "OtelCollectorExportFailing",
          expr: "sum by (exporter) (rate(otelcol_exporter_send_failed_spans_total[5m]) + rate(otelcol_exporter_send_failed_metric_points_total[5m]) + rate(otelcol_exporter_send_failed_log_records_total[5m])) > 0",
          for: "15m",
          severity: "warning",
          summary: "The OpenTelemetry Collector fails to export through {{ $labels.exporter }}.",
        },
      ],
    }),
    // Workloads in every namespace send OTLP to the collector (the monitoring baseline admits only its own namespace).
    new NetworkPolicy({
      metadata: { name: "allow-otlp-ingress", namespace, labels: { "app.kubernetes.io/part-of": "opentelemetry-collector" } },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ namespaceSelector: {} }], ports: [{ port: 4317, protocol: "TCP" }, { port: 4318, protocol: "TCP" }] }],
      },
    }),
  ],
});
