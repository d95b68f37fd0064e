import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import externalSecrets, { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";

const namespace = "minio";

/** The S3 endpoint inside the cluster (the chart's Service is named after the release). */
export const MINIO_S3 = {
  url: `http://minio.${namespace}.svc:9000`,
  host: `minio.${namespace}.svc:9000`,
  /** MinIO ignores the region; S3 clients (Velero's AWS plugin, Loki) still want one. */
  region: "minio",
} as const;

/** The buckets MinIO creates, by consumer. */
export const MINIO_BUCKETS = {
  velero: "velero",
  lokiChunks: "loki-chunks",
  lokiRuler: "loki-ruler",
} as const;

/** A MinIO user: its access key is not secret; its secret key lives in Vault (property `secretKey`). */
export interface MinioUser {
  readonly accessKey: string;
  readonly vaultKey: string;
  readonly policy: string;
  readonly buckets: readonly string[];
}

/** One user per consumer, each allowed only its own buckets. Consumers read the secret key from the same Vault key. */
export const MINIO_USERS = {
  velero: { accessKey: "velero", vaultKey: "platform/minio/velero", policy: "velero-rw", buckets: [MINIO_BUCKETS.velero] },
  loki: { accessKey: "loki", vaultKey: "platform/minio/loki", policy: "loki-rw", buckets: [MINIO_BUCKETS.lokiChunks, MINIO_BUCKETS.lokiRuler] },
} as const satisfies Record<string, MinioUser>;

export interface MinioValues {
  /** `standalone` (one pod, one drive) or `distributed` (erasure-coded over `replicas` pods). */
  readonly mode: "standalone" | "distributed";
  readonly replicas: number;
  readonly storage: string;
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** Keep old object versions (deleted backups can be recovered until lifecycle rules expire them). */
  readonly versioning: boolean;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

interface MinioPolicyStatement {
  resources: string[];
  actions: string[];
}

/** The minio chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type MinioChartValues = ChartValues<"minio">;

function bucketPolicy(user: MinioUser): { name: string; statements: MinioPolicyStatement[] } {
  return {
    name: user.policy,
    statements: [
      { resources: user.buckets.map((b) => `arn:aws:s3:::${b}`), actions: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"] },
      {
        resources: user.buckets.map((b) => `arn:aws:s3:::${b}/*`),
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      },
    ],
  };
}

const jobResources = { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "128Mi" } };
/**
 * The mc containers of the post job: the chart's templates read `<job>.containerSecurityContext`, which its values.yaml
 * leaves out, and apply it only when `<job>.securityContext.enabled`.
 */
const jobContainer = {
  securityContext: { enabled: true },
  // Read-only root filesystem: the chart's scripts run mc with --config-dir /etc/minio/mc and write their
  // temporary files under /tmp, and the post job mounts an emptyDir at both.
  containerSecurityContext: {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  },
};

export default defineComponent<MinioValues>({
  name: "minio",
  description: "S3-compatible object storage in the cluster: buckets for Velero backups and Loki's chunks.",
  namespace,
  dependsOn: [externalSecrets],
  // The chart's MinIO and mc containers do not set the restricted profile's container fields.
  podSecurity: "baseline",
  chart: {
    repoURL: "https://charts.min.io/",
    chart: "minio",
    version: "5.4.0",
    values: (v): MinioChartValues => ({
      mode: v.mode,
      replicas: v.replicas,
      drivesPerNode: 1,
      // Root credentials (rootUser, rootPassword) come from Vault; see the ExternalSecret below.
      existingSecret: "minio-root",
      persistence: { enabled: true, size: v.storage },
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
      podDisruptionBudget: { enabled: v.replicas > 1, maxUnavailable: 1 },
      securityContext: { enabled: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
      // MinIO writes only to its data volume, but the chart mounts no writable /tmp: the root filesystem stays writable.
      containerSecurityContext: {
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      },
      // The mc jobs (buckets, policies, users) run as uid 1000 through the post job's pod securityContext.
      postJob: { securityContext: { enabled: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 } },
      buckets: Object.values(MINIO_BUCKETS).map((name) => ({ name, policy: "none" as const, purge: false, versioning: v.versioning, objectlocking: false })),
      policies: Object.values(MINIO_USERS).map(bucketPolicy),
      users: Object.values(MINIO_USERS).map((u) => ({ accessKey: u.accessKey, existingSecret: "minio-users", existingSecretKey: u.accessKey, policy: u.policy })),
      environment: { MINIO_BROWSER: "off" },
      makeBucketJob: { resources: jobResources, ...jobContainer },
      makePolicyJob: { resources: jobResources, ...jobContainer },
      makeUserJob: { resources: jobResources, ...jobContainer },
      // Prometheus scrapes /minio/v2/metrics/cluster without a bearer token (the ServiceMonitor lives in monitoring):
      // `public` makes the chart set MINIO_PROMETHEUS_AUTH_TYPE=public itself.
      metrics: { serviceMonitor: { enabled: false, public: true } },
    }),
  },
  values: {
    dev: {
      mode: "standalone",
      replicas: 1,
      storage: "10Gi",
      resources: { cpu: "100m", memory: "512Mi" },
      versioning: false,
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
    prod: {
      mode: "distributed",
      replicas: 4,
      storage: "100Gi",
      resources: { cpu: "500m", memory: "2Gi" },
      versioning: true,
      quota: { cpu: "6", memory: "16Gi", pods: 12 },
    },
  },
  resources: (v) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [
        { namespace: "velero", ports: [{ port: 9000 }] },
        // Loki's chunks, and Prometheus scraping MinIO's metrics.
        { namespace: "monitoring", ports: [{ port: 9000 }] },
      ],
      quota: v.quota,
      defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    new ExternalSecret({
      metadata: { name: "minio-root", namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
        target: { name: "minio-root", creationPolicy: "Owner" },
        data: [
          { secretKey: "rootUser", remoteRef: { key: "platform/minio/root", property: "rootUser" } },
          { secretKey: "rootPassword", remoteRef: { key: "platform/minio/root", property: "rootPassword" } },
        ],
      },
    }),
    // One key per user, named after its access key: the chart's user job reads `existingSecretKey`.
    new ExternalSecret({
      metadata: { name: "minio-users", namespace },
      spec: {
        refreshInterval: "1h",
        secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
        target: { name: "minio-users", creationPolicy: "Owner" },
        data: Object.values(MINIO_USERS).map((u) => ({ secretKey: u.accessKey, remoteRef: { key: u.vaultKey, property: "secretKey" } })),
      },
    }),
  ],
});
