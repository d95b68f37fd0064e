import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";
import kubePrometheusStack, { MONITORING_NAMESPACE, prometheusRule } from "../kube-prometheus-stack/component.ts";
import minio, { MINIO_BUCKETS, MINIO_S3, MINIO_USERS } from "../minio/component.ts";
import { MONITORING_TOLERATIONS } from "../../tools/platform/node-pools.ts";

/**
 * The log agents that ship to this Loki, for the cluster check that refuses a cluster including more
 * than one of them: both would tail the same files and store every line twice.
 */
/** Log agents (promtail, alloy) fill the cluster role "log-agent": a cluster includes one of them. */
export const LOG_AGENT_ROLE = "log-agent";

type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };
const resources = (r: { cpu: string; memory: string }): Resources => ({ requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.memory } });
/** The rules sidecar (k8s-sidecar, a Python watcher) next to the single binary and the backend. */
const SIDECAR = resources({ cpu: "10m", memory: "128Mi" });
/** The gateway's access-log exporter and the caches' memcached exporter: small Go processes. */
const EXPORTER = resources({ cpu: "10m", memory: "32Mi" });

interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export type LokiValues =
  | {
      /** One pod runs every Loki target; chunks and index on its volume. */
      readonly mode: "SingleBinary";
      readonly retention: string;
      readonly singleBinary: { readonly storage: string; readonly resources: Size };
      readonly gateway: { readonly replicas: number; readonly resources: Size };
    }
  | {
      /** Write, read and backend targets scale apart; chunks and index in MinIO (S3). */
      readonly mode: "SimpleScalable";
      readonly retention: string;
      readonly write: { readonly replicas: number; readonly storage: string; readonly resources: Size };
      readonly read: { readonly replicas: number; readonly resources: Size };
      readonly backend: { readonly replicas: number; readonly storage: string; readonly resources: Size };
      readonly gateway: { readonly replicas: number; readonly resources: Size };
      /** Memcached for chunks, in MB (the chart's default is 8 GB). */
      readonly chunksCacheMB: number;
    };

type Target = {
  replicas: number;
  tolerations?: (typeof MONITORING_TOLERATIONS)[number][];
  resources?: Resources;
  persistence?: { size: string };
  extraArgs?: string[];
  extraEnvFrom?: { secretRef: { name: string } }[];
};

/** The loki chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type LokiChartValues = ChartValues<"loki">;

// Loki reads ${VAR} in its configuration from the environment; the S3 secret key arrives that way.
const S3_SECRET = "loki-s3";
const EXPAND_ENV = ["-config.expand-env=true"];

export default defineComponent<LokiValues>({
  name: "loki",
  description: "Grafana Loki: log storage and queries (single binary in dev; simple scalable on MinIO S3 in prod).",
  namespace: MONITORING_NAMESPACE,
  // kube-prometheus-stack owns the namespace, its baseline and the CRDs of the chart's ServiceMonitor.
  createNamespace: false,
  dependsOn: [kubePrometheusStack, minio],
  chart: {
    // The OSS chart moved to grafana-community (forked from grafana/loki 6.55.0 in March 2026).
    repoURL: "https://grafana-community.github.io/helm-charts",
    chart: "loki",
    // A downgrade from 18.12.0: 18.11.0 (Loki 3.7.6) is the version the chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "18.11.0",
    releaseName: "loki",
    values: (v): LokiChartValues => {
      const s3 = v.mode === "SimpleScalable";
      const store = s3 ? "s3" : "filesystem";
      const off: Target = { replicas: 0 };
      return {
        deploymentMode: v.mode,
        loki: {
          auth_enabled: false,
          commonConfig: { replication_factor: s3 ? 3 : 1 },
          schemaConfig: { configs: [{ from: "2024-04-01", store: "tsdb", object_store: store, schema: "v13", index: { prefix: "loki_index_", period: "24h" } }] },
          storage: s3
            ? {
                type: "s3",
                bucketNames: { chunks: MINIO_BUCKETS.lokiChunks, ruler: MINIO_BUCKETS.lokiRuler },
                s3: {
                  endpoint: MINIO_S3.host,
                  region: MINIO_S3.region,
                  accessKeyId: MINIO_USERS.loki.accessKey,
                  secretAccessKey: "${LOKI_S3_SECRET_ACCESS_KEY}",
                  s3ForcePathStyle: true,
                  insecure: true,
                },
              }
            : { type: "filesystem" },
          limits_config: { retention_period: v.retention },
          compactor: { retention_enabled: true, delete_request_store: store },
          analytics: { reporting_enabled: false },
        },
        singleBinary: v.mode === "SingleBinary" ? { replicas: 1, tolerations: MONITORING_TOLERATIONS, resources: resources(v.singleBinary.resources), persistence: { size: v.singleBinary.storage } } : off,
        write: s3 ? { replicas: v.write.replicas, tolerations: MONITORING_TOLERATIONS, resources: resources(v.write.resources), persistence: { size: v.write.storage }, extraArgs: EXPAND_ENV, extraEnvFrom: [{ secretRef: { name: S3_SECRET } }] } : off,
        read: s3 ? { replicas: v.read.replicas, tolerations: MONITORING_TOLERATIONS, resources: resources(v.read.resources), extraArgs: EXPAND_ENV, extraEnvFrom: [{ secretRef: { name: S3_SECRET } }] } : off,
        backend: s3 ? { replicas: v.backend.replicas, tolerations: MONITORING_TOLERATIONS, resources: resources(v.backend.resources), persistence: { size: v.backend.storage }, extraArgs: EXPAND_ENV, extraEnvFrom: [{ secretRef: { name: S3_SECRET } }] } : off,
        // Agents push and Grafana queries through the gateway, whatever the mode (OBSERVABILITY.lokiUrl).
        gateway: {
          enabled: true,
          replicas: v.gateway.replicas,
          resources: resources(v.gateway.resources),
          tolerations: MONITORING_TOLERATIONS,
          // The chart renders the gateway's PDB only once it is given a budget (and more than one replica).
          podDisruptionBudget: { maxUnavailable: 1 },
          // The chart probes readiness only; nginx answers 200 on `location = /` (no auth) for liveness too.
          livenessProbe: { httpGet: { path: "/", port: "http" }, initialDelaySeconds: 15, timeoutSeconds: 1 },
          metrics: { resources: EXPORTER },
        },
        sidecar: { resources: SIDECAR },
        memcachedExporter: { resources: EXPORTER },
        chunksCache: s3 ? { enabled: true, allocatedMemory: v.chunksCacheMB } : { enabled: false },
        resultsCache: { enabled: s3 },
        lokiCanary: { enabled: false },
        test: { enabled: false },
        minio: { enabled: false },
        // The chart's mixin: scrape target, dashboards (Grafana's sidecar loads them), recording rules and
        // request alerts. The typed PrometheusRule below adds ingestion and storage alerts.
        monitoring: { serviceMonitor: { enabled: true }, dashboards: { enabled: true }, rules: { enabled: true } },
      };
    },
  },
  values: {
    dev: {
      mode: "SingleBinary",
      retention: "168h",
      singleBinary: { storage: "10Gi", resources: { cpu: "100m", memory: "512Mi" } },
      gateway: { replicas: 1, resources: { cpu: "10m", memory: "32Mi" } },
    },
    prod: {
      mode: "SimpleScalable",
      retention: "744h",
      write: { replicas: 3, storage: "10Gi", resources: { cpu: "250m", memory: "1Gi" } },
      read: { replicas: 2, resources: { cpu: "250m", memory: "1Gi" } },
      backend: { replicas: 2, storage: "10Gi", resources: { cpu: "100m", memory: "512Mi" } },
      gateway: { replicas: 2, resources: { cpu: "50m", memory: "64Mi" } },
      chunksCacheMB: 2048,
    },
  },
  resources: (v, { namespace }) => [
    prometheusRule("loki-ingestion", {
      "loki.ingestion": [
        {
          alert: "LokiDiscardingLogs",
          expr: "sum by (reason, tenant) (rate(loki_discarded_samples_total[5m])) > 0",
          for: "15m",
          severity: "warning",
          summary: "Loki rejects log lines ({{ $labels.reason }}): they are lost.",
        },
        {
          alert: "LokiChunkFlushFailing",
          expr: "sum by (pod) (increase(loki_ingester_chunks_flush_failures_total[15m])) > 0",
          for: "15m",
          severity: "critical",
          summary: "Loki ({{ $labels.pod }}) cannot flush chunks to storage; logs pile up in memory.",
        },
      ],
    }),
    ...(v.mode === "SimpleScalable"
      ? [
          new ExternalSecret({
            metadata: { name: S3_SECRET, namespace },
            spec: {
              refreshInterval: "1h",
              secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
              target: { name: S3_SECRET, creationPolicy: "Owner" },
              data: [{ secretKey: "LOKI_S3_SECRET_ACCESS_KEY", remoteRef: { key: MINIO_USERS.loki.vaultKey, property: "secretKey" } }],
            },
          }),
        ]
      : []),
  ],
});
