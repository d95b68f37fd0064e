import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import kubePrometheusStack, { MONITORING_NAMESPACE, OBSERVABILITY, prometheusRule } from "../kube-prometheus-stack/component.ts";
import { MONITORING_TOLERATIONS } from "../../tools/platform/node-pools.ts";

export interface TempoValues {
  /** How long traces are kept (Go duration). */
  readonly retention: string;
  /** Volume for traces and the WAL; none in dev (traces are lost with the pod). */
  readonly storage?: string;
  readonly resources: { readonly cpu: string; readonly memory: string };
}

type OtlpProtocols = { grpc: { endpoint: string }; http: { endpoint: string } };

/** The tempo chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type TempoChartValues = ChartValues<"tempo">;

export default defineComponent<TempoValues>({
  name: "tempo",
  description: "Grafana Tempo (single binary): trace storage, fed over OTLP by the OpenTelemetry Collector.",
  namespace: MONITORING_NAMESPACE,
  createNamespace: false,
  dependsOn: [kubePrometheusStack],
  chart: {
    // The chart moved to grafana-community in January 2026. A downgrade from 3.1.1 (Tempo 3,
    // monolithic): 2.2.4 (Tempo 2.10.8, single binary) is the version the chart mirror
    // (GITOPS_CHART_MIRROR) holds.
    repoURL: "https://grafana-community.github.io/helm-charts",
    chart: "tempo",
    version: "2.2.4",
    // Service tempo.monitoring.svc (OBSERVABILITY.tempoUrl / tempoOtlpGrpc).
    releaseName: "tempo",
    values: (v): TempoChartValues => ({
      replicas: 1,
      tolerations: MONITORING_TOLERATIONS,
      tempo: {
        reportingEnabled: false,
        retention: v.retention,
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        storage: { trace: { backend: "local", local: { path: "/var/tempo/traces" }, wal: { path: "/var/tempo/wal" } } },
        // The Jaeger receivers keep the chart's defaults: chart 2.2.4's Service template reads
        // tempo.receivers.jaeger.protocols unconditionally, and `jaeger: null` made helm template fail
        // ("nil pointer evaluating interface {}.protocols").
        receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } },
        metricsGenerator: { enabled: true, remoteWriteUrl: OBSERVABILITY.prometheusRemoteWriteUrl },
        overrides: { defaults: { metrics_generator: { processors: ["service-graphs", "span-metrics"] } } },
        // A read-only root filesystem, as the tempo-distributed chart sets by default: Tempo writes its
        // traces and WAL under /var/tempo (the volume; an emptyDir where there is no persistence) and the
        // metrics generator under /tmp (an emptyDir the chart mounts with the generator).
        securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        extraVolumeMounts: v.storage ? [] : [{ name: "var-tempo", mountPath: "/var/tempo" }],
      },
      extraVolumes: v.storage ? [] : [{ name: "var-tempo", emptyDir: {} }],
      persistence: v.storage ? { enabled: true, size: v.storage } : { enabled: false },
      serviceMonitor: { enabled: true },
    }),
  },
  values: {
    dev: { retention: "72h", resources: { cpu: "50m", memory: "256Mi" } },
    prod: { retention: "336h", storage: "50Gi", resources: { cpu: "500m", memory: "2Gi" } },
  },
  resources: () => [
    prometheusRule("tempo", {
      "tempo.ingest": [
        { alert: "TempoDiscardingSpans", expr: "sum by (reason) (rate(tempo_discarded_spans_total[5m])) > 0", for: "15m", severity: "warning", summary: "Tempo discards spans ({{ $labels.reason }})." },
        { alert: "TempoDown", expr: 'absent(up{job=~".*tempo.*"} == 1)', for: "10m", severity: "critical", summary: "Tempo is not being scraped: traces are not stored." },
      ],
    }),
  ],
});
