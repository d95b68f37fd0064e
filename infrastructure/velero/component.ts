import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { type ChartValues, type CustomResource, defineComponent } from "../../tools/model/index.ts";
import externalSecrets, { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";
import minio, { MINIO_BUCKETS, MINIO_S3, MINIO_USERS } from "../minio/component.ts";

const namespace = "velero";

/** Velero's kinds, typed from the pinned chart's CRDs (`gitops charts types`; loose until generated). */
export type BackupStorageLocation = CustomResource<"velero.io/v1", "BackupStorageLocation">;
export type Schedule = CustomResource<"velero.io/v1", "Schedule">;

export interface VeleroValues {
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** File-system backups of pod volumes (kopia) need the node agent DaemonSet. */
  readonly nodeAgent: { readonly enabled: boolean; readonly resources: { readonly cpu: string; readonly memory: string } };
  readonly backup: {
    /** Cron, in the Velero server's time zone (UTC). */
    readonly schedule: string;
    /** How long a daily backup is kept (Go duration). */
    readonly ttl: string;
    readonly excludedNamespaces: readonly string[];
  };
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

type Resources = { requests: { cpu: string; memory: string }; limits: { memory: string } };

/** The velero chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type VeleroChartValues = ChartValues<"velero">;

const credentialsSecret = "velero-minio-credentials";
const resources = (r: { cpu: string; memory: string }): Resources => ({ requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.memory } });

export default defineComponent<VeleroValues>({
  name: "velero",
  description: "Velero: daily backups of the cluster's objects (and, in prod, pod volumes) to the MinIO bucket.",
  namespace,
  dependsOn: [externalSecrets, minio],
  // The prod node agent mounts /var/lib/kubelet/pods from the host to back up pod volumes.
  podSecurity: "privileged",
  policyExceptions: [
    {
      rule: "no-host-path",
      objects: [{ kind: "DaemonSet", name: "node-agent" }],
      reason: "The node agent backs up pod volumes by reading them under the kubelet's /var/lib/kubelet/pods and plugins folders on the host.",
    },
    {
      rule: "run-as-non-root",
      objects: [{ kind: "DaemonSet", name: "node-agent" }],
      reason: "The node agent reads and restores pod volume files owned by any user, which takes root.",
    },
    {
      rule: "capabilities-dropped",
      objects: [{ kind: "DaemonSet", name: "node-agent" }],
      reason: "Root alone does not bypass file permissions: reading pod volume files of any owner and restoring their ownership and modes takes the default capabilities (DAC_OVERRIDE, CHOWN, FOWNER), so the node agent keeps them.",
    },
  ],
  crds: [
    { group: "velero.io", kind: "Backup", versions: ["v1"] },
    { group: "velero.io", kind: "Restore", versions: ["v1"] },
    { group: "velero.io", kind: "Schedule", versions: ["v1"] },
    { group: "velero.io", kind: "BackupStorageLocation", versions: ["v1"] },
    { group: "velero.io", kind: "VolumeSnapshotLocation", versions: ["v1"] },
    { group: "velero.io", kind: "BackupRepository", versions: ["v1"] },
    { group: "velero.io", kind: "DeleteBackupRequest", versions: ["v1"] },
    { group: "velero.io", kind: "DownloadRequest", versions: ["v1"] },
    { group: "velero.io", kind: "PodVolumeBackup", versions: ["v1"] },
    { group: "velero.io", kind: "PodVolumeRestore", versions: ["v1"] },
    { group: "velero.io", kind: "ServerStatusRequest", versions: ["v1"] },
    { group: "velero.io", kind: "DataUpload", versions: ["v2alpha1"] },
    { group: "velero.io", kind: "DataDownload", versions: ["v2alpha1"] },
  ],
  chart: {
    repoURL: "https://vmware-tanzu.github.io/helm-charts",
    chart: "velero",
    // Velero v1.18; velero-plugin-for-aws v1.14.x is the matching plugin line.
    // A downgrade from 12.2.0: 12.1.0 (Velero v1.18.1) is the version the chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "12.1.0",
    values: (v): VeleroChartValues => ({
      resources: resources(v.resources),
      initContainers: [
        {
          name: "velero-plugin-for-aws",
          image: "velero/velero-plugin-for-aws:v1.14.0",
          imagePullPolicy: "IfNotPresent",
          resources: resources({ cpu: "10m", memory: "64Mi" }),
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
          volumeMounts: [{ mountPath: "/target", name: "plugins" }],
        },
      ],
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
      credentials: { useSecret: true, existingSecret: credentialsSecret },
      backupsEnabled: false,
      snapshotsEnabled: false,
      configuration: { uploaderType: "kopia", defaultVolumesToFsBackup: false, logFormat: "json" },
      deployNodeAgent: v.nodeAgent.enabled,
      // The node agent stays root (the chart's default): it reads every pod's volume files, whatever their owner.
      nodeAgent: { resources: resources(v.nodeAgent.resources), containerSecurityContext: { allowPrivilegeEscalation: false } },
      // Scraped through a ServiceMonitor that kube-prometheus-stack owns.
      metrics: { enabled: true, serviceMonitor: { enabled: false } },
      upgradeCRDs: true,
      // The hook Job that applies the CRDs of the new version before an upgrade.
      upgradeJobResources: resources({ cpu: "10m", memory: "128Mi" }),
    }),
  },
  values: {
    dev: {
      resources: { cpu: "50m", memory: "256Mi" },
      nodeAgent: { enabled: false, resources: { cpu: "50m", memory: "256Mi" } },
      backup: { schedule: "0 3 * * *", ttl: "168h0m0s", excludedNamespaces: ["kube-system", "kube-public", "kube-node-lease", "velero"] },
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
    prod: {
      resources: { cpu: "250m", memory: "512Mi" },
      nodeAgent: { enabled: true, resources: { cpu: "100m", memory: "1Gi" } },
      backup: { schedule: "0 3 * * *", ttl: "720h0m0s", excludedNamespaces: ["kube-system", "kube-public", "kube-node-lease", "velero"] },
      quota: { cpu: "4", memory: "12Gi", pods: 20 },
    },
  },
  resources: (v) => {
    const location: BackupStorageLocation = {
      apiVersion: "velero.io/v1",
      kind: "BackupStorageLocation",
      metadata: { name: "default", namespace },
      spec: {
        provider: "aws",
        default: true,
        accessMode: "ReadWrite",
        objectStorage: { bucket: MINIO_BUCKETS.velero },
        config: { region: MINIO_S3.region, s3ForcePathStyle: "true", s3Url: MINIO_S3.url },
        credential: { name: credentialsSecret, key: "cloud" },
        validationFrequency: "1m",
      },
    };
    const daily: Schedule = {
      apiVersion: "velero.io/v1",
      kind: "Schedule",
      metadata: { name: "daily", namespace },
      spec: {
        schedule: v.backup.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: ["*"],
          excludedNamespaces: [...v.backup.excludedNamespaces],
          // Events are noise in a restore; ExternalSecrets recreate their Secrets from Vault.
          excludedResources: ["events", "events.events.k8s.io"],
          storageLocation: location.metadata.name,
          snapshotVolumes: false,
          defaultVolumesToFsBackup: v.nodeAgent.enabled,
          ttl: v.backup.ttl,
          metadata: { labels: { "backup.typed-platform.dev/schedule": "daily" } },
        },
      },
    };
    return [
      ...namespaceBaseline({
        namespace,
        ingressFrom: [{ namespace: "monitoring", ports: [{ port: 8085 }] }],
        egressTo: [{ namespace: "minio", ports: [{ port: 9000 }] }],
        apiServerEgress: true,
        quota: v.quota,
        defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
      }),
      // The AWS plugin reads an AWS credentials file from the `cloud` key.
      new ExternalSecret({
        metadata: { name: credentialsSecret, namespace },
        spec: {
          refreshInterval: "1h",
          secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
          target: {
            name: credentialsSecret,
            creationPolicy: "Owner",
            template: {
              engineVersion: "v2",
              data: {
                cloud: `[default]\naws_access_key_id=${MINIO_USERS.velero.accessKey}\naws_secret_access_key={{ .secretKey }}\n`,
              },
            },
          },
          data: [{ secretKey: "secretKey", remoteRef: { key: MINIO_USERS.velero.vaultKey, property: "secretKey" } }],
        },
      }),
      location,
      daily,
    ];
  },
});
