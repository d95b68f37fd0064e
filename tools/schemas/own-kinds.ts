/**
 * Kinds no installed npm package models: MetalLB (IPAddressPool, L2Advertisement), Kargo (Project,
 * ProjectConfig, Warehouse, Stage), Velero (Backup, Schedule, BackupStorageLocation) and CloudNativePG
 * (Cluster, Database, Backup, ScheduledBackup, Pooler). Each comes as a TypeScript interface (for component
 * files) and a strict JSON Schema (for validation), both written from the projects' documented field lists:
 * MetalLB v0.16 (metallb.io/v1beta1), Kargo v1.11 (kargo.akuity.io/v1alpha1), Velero v1.16 (velero.io/v1),
 * CloudNativePG 1.27 API reference (postgresql.cnpg.io/v1; Kubernetes core types are referenced, not
 * restated). Keep the two in step when a field is added.
 *
 * `status` is accepted as a free-form object (controllers write it; users do not).
 */
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";
import type { IRelabelConfig } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/RelabelConfig";
import type { IDeploymentStrategy } from "kubernetes-models/apps/v1/DeploymentStrategy";
import type { IEnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IEphemeralVolumeSource } from "kubernetes-models/v1/EphemeralVolumeSource";
import type { IImageVolumeSource } from "kubernetes-models/v1/ImageVolumeSource";
import type { INodeAffinity } from "kubernetes-models/v1/NodeAffinity";
import type { IPersistentVolumeClaimSpec } from "kubernetes-models/v1/PersistentVolumeClaimSpec";
import type { IPodAffinity } from "kubernetes-models/v1/PodAffinity";
import type { IPodAntiAffinity } from "kubernetes-models/v1/PodAntiAffinity";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import type { IProjectedVolumeSource } from "kubernetes-models/v1/ProjectedVolumeSource";
import type { IResourceRequirements } from "kubernetes-models/v1/ResourceRequirements";
import type { ISeccompProfile } from "kubernetes-models/v1/SeccompProfile";
import type { ISecretKeySelector } from "kubernetes-models/v1/SecretKeySelector";
import type { IServiceSpec } from "kubernetes-models/v1/ServiceSpec";
import type { IToleration } from "kubernetes-models/v1/Toleration";
import type { ITopologySpreadConstraint } from "kubernetes-models/v1/TopologySpreadConstraint";
import type { ITypedLocalObjectReference } from "kubernetes-models/v1/TypedLocalObjectReference";

export const OWN_KINDS_FILE = "own-kinds.json";

// ---------------------------------------------------------------------------------------------------------------
// TypeScript interfaces

export interface OwnObject<ApiVersion extends string, Kind extends string> {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: IObjectMeta;
  status?: Record<string, unknown>;
}

// MetalLB --------------------------------------------------------------------------------------------------------

export interface IPAddressPoolSpec {
  /** CIDRs (`192.168.10.0/24`) or ranges (`172.18.255.200-172.18.255.250`). */
  addresses: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: {
    priority?: number;
    namespaces?: string[];
    namespaceSelectors?: ILabelSelector[];
    serviceSelectors?: ILabelSelector[];
  };
}
export interface IPAddressPool extends OwnObject<"metallb.io/v1beta1", "IPAddressPool"> {
  spec: IPAddressPoolSpec;
}

export interface L2AdvertisementSpec {
  ipAddressPools?: string[];
  ipAddressPoolSelectors?: ILabelSelector[];
  nodeSelectors?: ILabelSelector[];
  interfaces?: string[];
  serviceSelectors?: ILabelSelector[];
}
export interface L2Advertisement extends OwnObject<"metallb.io/v1beta1", "L2Advertisement"> {
  spec?: L2AdvertisementSpec;
}

// Kargo ----------------------------------------------------------------------------------------------------------

/** A Kargo Project: its name is the namespace that holds the project's Warehouses and Stages. */
export type KargoProject = OwnObject<"kargo.akuity.io/v1alpha1", "Project">;

export interface KargoStageSelector {
  name?: string;
  matchLabels?: Record<string, string>;
  matchExpressions?: ILabelSelector["matchExpressions"];
}
export interface KargoPromotionPolicy {
  stage?: string;
  stageSelector?: KargoStageSelector;
  autoPromotionEnabled?: boolean;
  autoRollback?: { onPromotion?: string[]; onVerification?: string[] };
}
export interface KargoLink {
  title: string;
  url: string;
  description?: string;
  if?: string;
}
export interface KargoSecretRef {
  name?: string;
}
export interface KargoWebhookReceiver {
  name: string;
  artifactory?: { secretRef: KargoSecretRef; virtualRepoName?: string };
  azure?: { secretRef: KargoSecretRef };
  bitbucket?: { secretRef: KargoSecretRef };
  dockerhub?: { secretRef: KargoSecretRef };
  generic?: { secretRef: KargoSecretRef; actions?: Record<string, unknown>[] };
  gitea?: { secretRef: KargoSecretRef };
  github?: { secretRef: KargoSecretRef };
  gitlab?: { secretRef: KargoSecretRef };
  harbor?: { secretRef: KargoSecretRef };
  quay?: { secretRef: KargoSecretRef };
}
export interface KargoProjectConfigSpec {
  promotionPolicies?: KargoPromotionPolicy[];
  freightLinks?: KargoLink[];
  stageLinks?: KargoLink[];
  webhookReceivers?: KargoWebhookReceiver[];
}
export interface KargoProjectConfig extends OwnObject<"kargo.akuity.io/v1alpha1", "ProjectConfig"> {
  spec?: KargoProjectConfigSpec;
}

export interface KargoGitSubscription {
  repoURL: string;
  branch?: string;
  commitSelectionStrategy?: "Lexical" | "NewestFromBranch" | "NewestTag" | "SemVer";
  semverConstraint?: string;
  allowTags?: string;
  ignoreTags?: string[];
  expressionFilter?: string;
  includePaths?: string[];
  excludePaths?: string[];
  discoveryLimit?: number;
  insecureSkipTLSVerify?: boolean;
  strictSemvers?: boolean;
}
export interface KargoImageSubscription {
  repoURL: string;
  imageSelectionStrategy?: "Digest" | "Lexical" | "NewestBuild" | "SemVer";
  constraint?: string;
  semverConstraint?: string;
  allowTags?: string;
  ignoreTags?: string[];
  expressionFilter?: string;
  platform?: string;
  discoveryLimit?: number;
  strictSemvers?: boolean;
  cacheByTag?: boolean;
  insecureSkipTLSVerify?: boolean;
}
export interface KargoChartSubscription {
  repoURL: string;
  name?: string;
  semverConstraint?: string;
  discoveryLimit?: number;
}
/** One of git, image or chart. */
export interface KargoSubscription {
  git?: KargoGitSubscription;
  image?: KargoImageSubscription;
  chart?: KargoChartSubscription;
}
export interface WarehouseSpec {
  /** How often to look for new Freight, e.g. `5m0s`. */
  interval: string;
  subscriptions: KargoSubscription[];
  freightCreationPolicy?: "Automatic" | "Manual";
  freightCreationCriteria?: { expression?: string };
  shard?: string;
}
export interface Warehouse extends OwnObject<"kargo.akuity.io/v1alpha1", "Warehouse"> {
  spec: WarehouseSpec;
}

export interface KargoVar {
  name: string;
  value?: string;
}
export interface KargoPromotionStep {
  uses?: string;
  task?: { kind?: "ClusterPromotionTask" | "PromotionTask"; name: string };
  as?: string;
  if?: string;
  continueOnError?: boolean;
  retry?: { errorThreshold?: number; timeout?: string };
  vars?: KargoVar[];
  /** Step-specific configuration (`git-clone`, `kustomize-set-image`, `argocd-update`, …). */
  config?: Record<string, unknown>;
}
export interface KargoRequestedFreight {
  origin: { kind: "Warehouse"; name: string };
  sources: {
    direct?: boolean;
    stages?: string[];
    requiredSoakTime?: string;
    availabilityStrategy?: "" | "All" | "OneOf";
    autoPromotionOptions?: { selectionPolicy?: "MatchUpstream" | "NewestFreight" };
  };
}
export interface StageSpec {
  shard?: string;
  vars?: KargoVar[];
  requestedFreight: KargoRequestedFreight[];
  promotionTemplate?: { spec: { vars?: KargoVar[]; steps?: KargoPromotionStep[] } };
  verification?: {
    analysisTemplates?: { kind?: "AnalysisTemplate" | "ClusterAnalysisTemplate"; name: string }[];
    analysisRunMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    args?: { name: string; value: string }[];
  };
}
export interface Stage extends OwnObject<"kargo.akuity.io/v1alpha1", "Stage"> {
  spec: StageSpec;
}

// Velero ---------------------------------------------------------------------------------------------------------

export interface VeleroExecHook {
  container?: string;
  command: string[];
  onError?: "Continue" | "Fail";
  timeout?: string;
}
export interface VeleroBackupResourceHookSpec {
  name: string;
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
  labelSelector?: ILabelSelector;
  pre?: { exec: VeleroExecHook }[];
  post?: { exec: VeleroExecHook }[];
}
export interface VeleroBackupSpec {
  metadata?: { labels?: Record<string, string> };
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
  includedClusterScopedResources?: string[];
  excludedClusterScopedResources?: string[];
  includedNamespaceScopedResources?: string[];
  excludedNamespaceScopedResources?: string[];
  labelSelector?: ILabelSelector;
  orLabelSelectors?: ILabelSelector[];
  snapshotVolumes?: boolean;
  /** Retention, a Go duration such as `720h0m0s`. */
  ttl?: string;
  includeClusterResources?: boolean | null;
  hooks?: { resources?: VeleroBackupResourceHookSpec[] };
  storageLocation?: string;
  volumeSnapshotLocations?: string[];
  defaultVolumesToRestic?: boolean;
  defaultVolumesToFsBackup?: boolean;
  orderedResources?: Record<string, string>;
  csiSnapshotTimeout?: string;
  itemOperationTimeout?: string;
  resourcePolicy?: { apiGroup?: string; kind: string; name: string };
  snapshotMoveData?: boolean;
  datamover?: string;
  uploaderConfig?: { parallelFilesUpload?: number };
}
export interface VeleroBackup extends OwnObject<"velero.io/v1", "Backup"> {
  spec?: VeleroBackupSpec;
}
export interface VeleroScheduleSpec {
  /** Cron expression, e.g. `0 3 * * *`. */
  schedule: string;
  template: VeleroBackupSpec;
  useOwnerReferencesInBackup?: boolean;
  paused?: boolean;
  skipImmediately?: boolean;
}
export interface VeleroSchedule extends OwnObject<"velero.io/v1", "Schedule"> {
  spec: VeleroScheduleSpec;
}
export interface BackupStorageLocationSpec {
  /** Object store plugin, e.g. `aws` (also for MinIO). */
  provider: string;
  objectStorage: { bucket: string; prefix?: string; caCert?: string };
  config?: Record<string, string>;
  credential?: { name?: string; key: string; optional?: boolean };
  default?: boolean;
  accessMode?: "ReadOnly" | "ReadWrite";
  backupSyncPeriod?: string;
  validationFrequency?: string;
}
export interface BackupStorageLocation extends OwnObject<"velero.io/v1", "BackupStorageLocation"> {
  spec: BackupStorageLocationSpec;
}

// CloudNativePG ----------------------------------------------------------------------------------------------------

/** A reference by name to an object (Secret, ConfigMap, Cluster) in the same namespace. */
export interface CnpgLocalObjectReference {
  name: string;
}
/** A key of a Secret or ConfigMap in the same namespace (CloudNativePG's own selector: both fields required). */
export interface CnpgKeySelector {
  name: string;
  key: string;
}
export type CnpgEnsure = "present" | "absent";
/** metadata of the templates CloudNativePG generates objects from (service accounts, services, pods). */
export interface CnpgTemplateMetadata {
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface CnpgStorageConfiguration {
  storageClass?: string;
  /** e.g. `20Gi`; required unless the PVC template requests storage. Can grow, never shrink. */
  size?: string;
  resizeInUseVolumes?: boolean;
  pvcTemplate?: IPersistentVolumeClaimSpec;
}
export interface CnpgAffinityConfiguration {
  enablePodAntiAffinity?: boolean;
  topologyKey?: string;
  nodeSelector?: Record<string, string>;
  nodeAffinity?: INodeAffinity;
  tolerations?: IToleration[];
  podAntiAffinityType?: "preferred" | "required";
  additionalPodAntiAffinity?: IPodAntiAffinity;
  additionalPodAffinity?: IPodAffinity;
}
export interface CnpgSQLRefs {
  secretRefs?: CnpgKeySelector[];
  configMapRefs?: CnpgKeySelector[];
}
export interface CnpgImport {
  source: { externalCluster: string };
  type: "microservice" | "monolith";
  databases: string[];
  roles?: string[];
  postImportApplicationSQL?: string[];
  schemaOnly?: boolean;
  pgDumpExtraOptions?: string[];
  pgRestoreExtraOptions?: string[];
  pgRestorePredataOptions?: string[];
  pgRestoreDataOptions?: string[];
  pgRestorePostdataOptions?: string[];
}
export interface CnpgBootstrapInitDB {
  /** The application database (default `app`). */
  database?: string;
  /** Its owner (default: the database name). */
  owner?: string;
  secret?: CnpgLocalObjectReference;
  /** Deprecated: use the explicit fields. */
  options?: string[];
  dataChecksums?: boolean;
  encoding?: string;
  localeCollate?: string;
  localeCType?: string;
  locale?: string;
  localeProvider?: string;
  icuLocale?: string;
  icuRules?: string;
  builtinLocale?: string;
  walSegmentSize?: number;
  postInitSQL?: string[];
  postInitApplicationSQL?: string[];
  postInitTemplateSQL?: string[];
  import?: CnpgImport;
  postInitApplicationSQLRefs?: CnpgSQLRefs;
  postInitTemplateSQLRefs?: CnpgSQLRefs;
  postInitSQLRefs?: CnpgSQLRefs;
}
export interface CnpgRecoveryTarget {
  backupID?: string;
  targetTLI?: string;
  targetXID?: string;
  targetName?: string;
  targetLSN?: string;
  targetTime?: string;
  targetImmediate?: boolean;
  exclusive?: boolean;
}
export interface CnpgBootstrapRecovery {
  backup?: { name: string; endpointCA?: CnpgKeySelector };
  source?: string;
  volumeSnapshots?: {
    storage: ITypedLocalObjectReference;
    walStorage?: ITypedLocalObjectReference;
    tablespaceStorage?: Record<string, ITypedLocalObjectReference>;
  };
  recoveryTarget?: CnpgRecoveryTarget;
  database?: string;
  owner?: string;
  secret?: CnpgLocalObjectReference;
}
export interface CnpgBootstrapPgBaseBackup {
  source: string;
  database?: string;
  owner?: string;
  secret?: CnpgLocalObjectReference;
}
/** One bootstrap method only (`initdb` when none is given). */
export interface CnpgBootstrapConfiguration {
  initdb?: CnpgBootstrapInitDB;
  recovery?: CnpgBootstrapRecovery;
  pg_basebackup?: CnpgBootstrapPgBaseBackup;
}
/** barman-cloud's object store settings (deprecated in CloudNativePG 1.26 in favour of the Barman Cloud plugin). */
export interface CnpgBarmanObjectStoreConfiguration {
  /** e.g. `s3://bucket/path/to/folder`. */
  destinationPath: string;
  endpointURL?: string;
  endpointCA?: CnpgKeySelector;
  serverName?: string;
  s3Credentials?: {
    accessKeyId?: CnpgKeySelector;
    secretAccessKey?: CnpgKeySelector;
    region?: CnpgKeySelector;
    sessionToken?: CnpgKeySelector;
    inheritFromIAMRole?: boolean;
  };
  azureCredentials?: {
    connectionString?: CnpgKeySelector;
    storageAccount?: CnpgKeySelector;
    storageKey?: CnpgKeySelector;
    storageSasToken?: CnpgKeySelector;
    inheritFromAzureAD?: boolean;
    useDefaultAzureCredentials?: boolean;
  };
  googleCredentials?: { applicationCredentials?: CnpgKeySelector; gkeEnvironment?: boolean };
  wal?: {
    compression?: string;
    encryption?: string;
    maxParallel?: number;
    archiveAdditionalCommandArgs?: string[];
    restoreAdditionalCommandArgs?: string[];
  };
  data?: { compression?: string; encryption?: string; immediateCheckpoint?: boolean; jobs?: number; additionalCommandArgs?: string[] };
  tags?: Record<string, string>;
  historyTags?: Record<string, string>;
}
export interface CnpgOnlineConfiguration {
  waitForArchive?: boolean;
  immediateCheckpoint?: boolean;
}
export type CnpgBackupTarget = "" | "primary" | "prefer-standby";
export type CnpgBackupMethod = "barmanObjectStore" | "volumeSnapshot" | "plugin";
export interface CnpgBackupConfiguration {
  volumeSnapshot?: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    className?: string;
    walClassName?: string;
    tablespaceClassName?: Record<string, string>;
    snapshotOwnerReference?: "none" | "cluster" | "backup";
    online?: boolean;
    onlineConfiguration?: CnpgOnlineConfiguration;
  };
  barmanObjectStore?: CnpgBarmanObjectStoreConfiguration;
  /** `<n>d`, `<n>w` or `<n>m`, e.g. `30d` (barmanObjectStore only). */
  retentionPolicy?: string;
  target?: CnpgBackupTarget;
}
export interface CnpgMonitoringConfiguration {
  disableDefaultQueries?: boolean;
  customQueriesConfigMap?: CnpgKeySelector[];
  customQueriesSecret?: CnpgKeySelector[];
  /** Deprecated upstream (write a PodMonitor instead). */
  enablePodMonitor?: boolean;
  tls?: { enabled?: boolean };
  podMonitorMetricRelabelings?: IRelabelConfig[];
  podMonitorRelabelings?: IRelabelConfig[];
}
export interface CnpgPluginConfiguration {
  name: string;
  enabled?: boolean;
  isWALArchiver?: boolean;
  parameters?: Record<string, string>;
}
export interface CnpgExternalCluster {
  name: string;
  connectionParameters?: Record<string, string>;
  sslCert?: ISecretKeySelector;
  sslKey?: ISecretKeySelector;
  sslRootCert?: ISecretKeySelector;
  password?: ISecretKeySelector;
  barmanObjectStore?: CnpgBarmanObjectStoreConfiguration;
  plugin?: CnpgPluginConfiguration;
}
export interface CnpgPostgresConfiguration {
  /** postgresql.conf settings; values are strings (`"100"`, `"64MB"`). */
  parameters?: Record<string, string>;
  synchronous?: {
    method: "any" | "first";
    number: number;
    maxStandbyNamesFromCluster?: number;
    standbyNamesPre?: string[];
    standbyNamesPost?: string[];
    dataDurability?: "required" | "preferred";
    failoverQuorum?: boolean;
  };
  pg_hba?: string[];
  pg_ident?: string[];
  syncReplicaElectionConstraint?: { enabled: boolean; nodeLabelsAntiAffinity?: string[] };
  shared_preload_libraries?: string[];
  ldap?: {
    server?: string;
    port?: number;
    scheme?: "ldap" | "ldaps";
    bindAsAuth?: { prefix?: string; suffix?: string };
    bindSearchAuth?: { baseDN?: string; bindDN?: string; bindPassword?: ISecretKeySelector; searchAttribute?: string; searchFilter?: string };
    tls?: boolean;
  };
  promotionTimeout?: number;
  enableAlterSystem?: boolean;
  extensions?: {
    name: string;
    image: IImageVolumeSource;
    extension_control_path?: string[];
    dynamic_library_path?: string[];
    ld_library_path?: string[];
  }[];
}
/** A PostgreSQL role the operator keeps in the Cluster (CREATE ROLE defaults apply). */
export interface CnpgRoleConfiguration {
  name: string;
  comment?: string;
  ensure?: CnpgEnsure;
  /** A `kubernetes.io/basic-auth` Secret holding the role's password. */
  passwordSecret?: CnpgLocalObjectReference;
  connectionLimit?: number;
  /** RFC 3339 time after which the password is no longer valid. */
  validUntil?: string;
  inRoles?: string[];
  inherit?: boolean;
  disablePassword?: boolean;
  superuser?: boolean;
  createdb?: boolean;
  createrole?: boolean;
  login?: boolean;
  replication?: boolean;
  bypassrls?: boolean;
}
export interface CnpgServiceTemplateSpec {
  metadata?: CnpgTemplateMetadata;
  spec?: IServiceSpec;
}
export interface CnpgManagedConfiguration {
  roles?: CnpgRoleConfiguration[];
  services?: {
    disabledDefaultServices?: ("r" | "ro")[];
    additional?: { selectorType: "rw" | "r" | "ro"; updateStrategy?: "patch" | "replace"; serviceTemplate: CnpgServiceTemplateSpec }[];
  };
}
export interface CnpgProbe {
  initialDelaySeconds?: number;
  timeoutSeconds?: number;
  periodSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
  terminationGracePeriodSeconds?: number;
}
export interface CnpgProbeWithStrategy extends CnpgProbe {
  type?: "pg_isready" | "streaming" | "query";
  /** Lag limit of the `streaming` strategy, e.g. `16Mi`. */
  maximumLag?: number | string;
}
export interface CnpgClusterSpec {
  description?: string;
  inheritedMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** PostgreSQL operand image, by tag and/or digest (or use imageCatalogRef). */
  imageName?: string;
  imageCatalogRef?: { apiGroup?: string; kind: string; name: string; major: number };
  imagePullPolicy?: "Always" | "Never" | "IfNotPresent";
  schedulerName?: string;
  postgresUID?: number;
  postgresGID?: number;
  /** Number of PostgreSQL instances: one primary, the rest streaming replicas. */
  instances: number;
  minSyncReplicas?: number;
  maxSyncReplicas?: number;
  postgresql?: CnpgPostgresConfiguration;
  replicationSlots?: {
    highAvailability?: { enabled?: boolean; slotPrefix?: string; synchronizeLogicalDecoding?: boolean };
    updateInterval?: number;
    synchronizeReplicas?: { enabled: boolean; excludePatterns?: string[] };
  };
  bootstrap?: CnpgBootstrapConfiguration;
  replica?: { self?: string; primary?: string; source: string; enabled?: boolean; promotionToken?: string; minApplyDelay?: string };
  superuserSecret?: CnpgLocalObjectReference;
  enableSuperuserAccess?: boolean;
  certificates?: {
    serverCASecret?: string;
    serverTLSSecret?: string;
    replicationTLSSecret?: string;
    clientCASecret?: string;
    serverAltDNSNames?: string[];
  };
  imagePullSecrets?: CnpgLocalObjectReference[];
  storage?: CnpgStorageConfiguration;
  serviceAccountTemplate?: { metadata: CnpgTemplateMetadata };
  walStorage?: CnpgStorageConfiguration;
  ephemeralVolumeSource?: IEphemeralVolumeSource;
  startDelay?: number;
  stopDelay?: number;
  smartShutdownTimeout?: number;
  switchoverDelay?: number;
  failoverDelay?: number;
  livenessProbeTimeout?: number;
  affinity?: CnpgAffinityConfiguration;
  topologySpreadConstraints?: ITopologySpreadConstraint[];
  resources?: IResourceRequirements;
  ephemeralVolumesSizeLimit?: { shm?: number | string; temporaryData?: number | string };
  priorityClassName?: string;
  primaryUpdateStrategy?: "unsupervised" | "supervised";
  primaryUpdateMethod?: "switchover" | "restart";
  backup?: CnpgBackupConfiguration;
  nodeMaintenanceWindow?: { reusePVC?: boolean; inProgress?: boolean };
  monitoring?: CnpgMonitoringConfiguration;
  externalClusters?: CnpgExternalCluster[];
  logLevel?: "error" | "warning" | "info" | "debug" | "trace";
  projectedVolumeTemplate?: IProjectedVolumeSource;
  env?: IEnvVar[];
  envFrom?: IEnvFromSource[];
  managed?: CnpgManagedConfiguration;
  seccompProfile?: ISeccompProfile;
  tablespaces?: { name: string; storage: CnpgStorageConfiguration; owner?: { name?: string }; temporary?: boolean }[];
  enablePDB?: boolean;
  plugins?: CnpgPluginConfiguration[];
  /** Each probe is optional (the upstream docs configure only `startup` or `readiness` in their examples). */
  probes?: {
    startup?: CnpgProbeWithStrategy;
    liveness?: CnpgProbe & { isolationCheck?: { enabled?: boolean; requestTimeout?: number; connectionTimeout?: number } };
    readiness?: CnpgProbeWithStrategy;
  };
}
/** A highly available PostgreSQL cluster (primary + streaming replicas) run by the CloudNativePG operator. */
export interface CnpgCluster extends OwnObject<"postgresql.cnpg.io/v1", "Cluster"> {
  spec: CnpgClusterSpec;
}

export interface CnpgOptionSpec {
  name: string;
  value: string;
  ensure?: CnpgEnsure;
}
export interface CnpgUsageSpec {
  name: string;
  type?: "grant" | "revoke";
}
export interface CnpgDatabaseSpec {
  /** The Cluster that hosts the database. */
  cluster: CnpgLocalObjectReference;
  ensure?: CnpgEnsure;
  /** Name inside PostgreSQL (immutable). */
  name: string;
  /** Owning role. */
  owner: string;
  template?: string;
  encoding?: string;
  locale?: string;
  localeProvider?: string;
  localeCollate?: string;
  localeCType?: string;
  icuLocale?: string;
  icuRules?: string;
  builtinLocale?: string;
  collationVersion?: string;
  isTemplate?: boolean;
  allowConnections?: boolean;
  connectionLimit?: number;
  tablespace?: string;
  /** `retain` (default) keeps the database in PostgreSQL when the object is deleted. */
  databaseReclaimPolicy?: "retain" | "delete";
  schemas?: { name: string; ensure?: CnpgEnsure; owner?: string }[];
  extensions?: { name: string; ensure?: CnpgEnsure; version?: string; schema?: string }[];
  fdws?: { name: string; ensure?: CnpgEnsure; handler?: string; validator?: string; owner?: string; options?: CnpgOptionSpec[]; usage?: CnpgUsageSpec[] }[];
  servers?: { name: string; ensure?: CnpgEnsure; fdw: string; options?: CnpgOptionSpec[]; usage?: CnpgUsageSpec[] }[];
}
/** A database the operator creates and keeps in a Cluster. */
export interface CnpgDatabase extends OwnObject<"postgresql.cnpg.io/v1", "Database"> {
  spec: CnpgDatabaseSpec;
}

export interface CnpgBackupSpec {
  cluster: CnpgLocalObjectReference;
  target?: CnpgBackupTarget;
  method?: CnpgBackupMethod;
  pluginConfiguration?: { name: string; parameters?: Record<string, string> };
  online?: boolean;
  onlineConfiguration?: CnpgOnlineConfiguration;
}
/** An on-demand backup of a Cluster. */
export interface CnpgBackup extends OwnObject<"postgresql.cnpg.io/v1", "Backup"> {
  spec: CnpgBackupSpec;
}
export interface CnpgScheduledBackupSpec extends CnpgBackupSpec {
  /** Six-field cron expression (seconds first), e.g. `0 0 3 * * *`. */
  schedule: string;
  suspend?: boolean;
  immediate?: boolean;
  backupOwnerReference?: "none" | "self" | "cluster";
}
export interface CnpgScheduledBackup extends OwnObject<"postgresql.cnpg.io/v1", "ScheduledBackup"> {
  spec: CnpgScheduledBackupSpec;
}

export interface CnpgPoolerSpec {
  /** The Cluster to pool connections to (the Pooler's name must differ from every Cluster's). */
  cluster: CnpgLocalObjectReference;
  /** The Cluster Service to forward to (default `rw`). */
  type?: "rw" | "ro";
  instances?: number;
  template?: { metadata?: CnpgTemplateMetadata; spec?: IPodSpec };
  pgbouncer: {
    poolMode?: "session" | "transaction";
    authQuerySecret?: CnpgLocalObjectReference;
    authQuery?: string;
    parameters?: Record<string, string>;
    pg_hba?: string[];
    paused?: boolean;
  };
  deploymentStrategy?: IDeploymentStrategy;
  monitoring?: { enablePodMonitor?: boolean; podMonitorMetricRelabelings?: IRelabelConfig[]; podMonitorRelabelings?: IRelabelConfig[] };
  serviceTemplate?: CnpgServiceTemplateSpec;
}
/** A PgBouncer deployment in front of a Cluster. */
export interface CnpgPooler extends OwnObject<"postgresql.cnpg.io/v1", "Pooler"> {
  spec: CnpgPoolerSpec;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Schemas

type Schema = { readonly [key: string]: unknown };

const OBJECT_META = "apimachinery.json#/definitions/IoK8sApimachineryPkgApisMetaV1ObjectMeta";
const LABEL_SELECTOR = "apimachinery.json#/definitions/IoK8sApimachineryPkgApisMetaV1LabelSelector";
const LABEL_SELECTOR_REQUIREMENT = "apimachinery.json#/definitions/IoK8sApimachineryPkgApisMetaV1LabelSelectorRequirement";

const str: Schema = { type: "string" };
const bool: Schema = { type: "boolean" };
const int: Schema = { type: "integer" };
const strings: Schema = { type: "array", items: str };
const stringMap: Schema = { type: "object", additionalProperties: str };
const freeObject: Schema = { type: "object" };
const ref = (target: string): Schema => ({ $ref: target.startsWith("#") || target.includes(".json#") ? target : `#/definitions/${target}` });
const array = (items: Schema): Schema => ({ type: "array", items });
const enumOf = (...values: string[]): Schema => ({ enum: values });
/** A strict object: unknown properties are errors. */
function object(properties: Record<string, Schema>, required: string[] = []): Schema {
  const schema: Record<string, unknown> = { type: "object", properties, additionalProperties: false };
  if (required.length > 0) schema.required = [...required].sort();
  return schema;
}
function kind(apiVersion: string, kindName: string, spec: Schema | undefined, specRequired: boolean): Schema {
  const properties: Record<string, Schema> = {
    apiVersion: enumOf(apiVersion),
    kind: enumOf(kindName),
    metadata: ref(OBJECT_META),
    status: freeObject,
  };
  if (spec) properties.spec = spec;
  return object(properties, specRequired ? ["apiVersion", "kind", "spec"] : ["apiVersion", "kind"]);
}

const labelSelector = ref(LABEL_SELECTOR);
const labelSelectors = array(labelSelector);
const kargoVars = array(object({ name: str, value: str }, ["name"]));
const kargoLink = object({ title: str, url: str, description: str, if: str }, ["title", "url"]);
const secretRef = object({ name: str });
const withSecret = (extra: Record<string, Schema> = {}): Schema => object({ secretRef, ...extra }, ["secretRef"]);

const veleroExecHook = object({ container: str, command: strings, onError: enumOf("Continue", "Fail"), timeout: str }, ["command"]);
const veleroHooks = array(object({ exec: veleroExecHook }, ["exec"]));

const K8S = "kubernetes.json#/definitions/";
const quantity: Schema = { type: ["number", "string"] };
const localRef = object({ name: str }, ["name"]);
const keySelector = object({ name: str, key: str }, ["key", "name"]);
const coreSecretKeySelector = ref(`${K8S}IoK8sApiCoreV1SecretKeySelector`);
const relabelConfigs = array(ref("prometheus-operator.json#/definitions/ComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RelabelConfig"));
const cnpgEnsure = enumOf("present", "absent");
const cnpgTemplateMetadata = object({ name: str, labels: stringMap, annotations: stringMap });
const cnpgPluginConfiguration = object({ name: str, enabled: bool, isWALArchiver: bool, parameters: stringMap }, ["name"]);
const cnpgBackupTarget = enumOf("", "primary", "prefer-standby");
const sqlRefs = object({ secretRefs: array(keySelector), configMapRefs: array(keySelector) });
const cnpgProbeFields: Record<string, Schema> = {
  initialDelaySeconds: int,
  timeoutSeconds: int,
  periodSeconds: int,
  successThreshold: int,
  failureThreshold: int,
  terminationGracePeriodSeconds: int,
};
const cnpgOptions = array(object({ name: str, value: str, ensure: cnpgEnsure }, ["name", "value"]));
const cnpgUsage = array(object({ name: str, type: enumOf("grant", "revoke") }, ["name"]));
const cnpgBackupFields: Record<string, Schema> = {
  cluster: localRef,
  target: cnpgBackupTarget,
  method: enumOf("barmanObjectStore", "volumeSnapshot", "plugin"),
  pluginConfiguration: object({ name: str, parameters: stringMap }, ["name"]),
  online: bool,
  onlineConfiguration: ref("IoCnpgPostgresqlV1OnlineConfiguration"),
};

/** Definitions of own-kinds.json. */
export const OWN_KIND_DEFINITIONS: Readonly<Record<string, Schema>> = {
  IoMetallbV1beta1IPAddressPool: kind(
    "metallb.io/v1beta1",
    "IPAddressPool",
    object(
      {
        addresses: strings,
        autoAssign: bool,
        avoidBuggyIPs: bool,
        serviceAllocation: object({ priority: int, namespaces: strings, namespaceSelectors: labelSelectors, serviceSelectors: labelSelectors }),
      },
      ["addresses"],
    ),
    true,
  ),
  IoMetallbV1beta1L2Advertisement: kind(
    "metallb.io/v1beta1",
    "L2Advertisement",
    object({ ipAddressPools: strings, ipAddressPoolSelectors: labelSelectors, nodeSelectors: labelSelectors, interfaces: strings, serviceSelectors: labelSelectors }),
    false,
  ),

  IoAkuityKargoV1alpha1Project: kind("kargo.akuity.io/v1alpha1", "Project", undefined, false),
  IoAkuityKargoV1alpha1ProjectConfig: kind(
    "kargo.akuity.io/v1alpha1",
    "ProjectConfig",
    object({
      promotionPolicies: array(
        object({
          stage: str,
          stageSelector: object({ name: str, matchLabels: stringMap, matchExpressions: array(ref(LABEL_SELECTOR_REQUIREMENT)) }),
          autoPromotionEnabled: bool,
          autoRollback: object({ onPromotion: strings, onVerification: strings }),
        }),
      ),
      freightLinks: array(kargoLink),
      stageLinks: array(kargoLink),
      webhookReceivers: array(
        object(
          {
            name: str,
            artifactory: withSecret({ virtualRepoName: str }),
            azure: withSecret(),
            bitbucket: withSecret(),
            dockerhub: withSecret(),
            generic: withSecret({ actions: array(freeObject) }),
            gitea: withSecret(),
            github: withSecret(),
            gitlab: withSecret(),
            harbor: withSecret(),
            quay: withSecret(),
          },
          ["name"],
        ),
      ),
    }),
    false,
  ),
  IoAkuityKargoV1alpha1Warehouse: kind(
    "kargo.akuity.io/v1alpha1",
    "Warehouse",
    object(
      {
        interval: str,
        shard: str,
        freightCreationPolicy: enumOf("Automatic", "Manual"),
        freightCreationCriteria: object({ expression: str }),
        subscriptions: { type: "array", minItems: 1, items: ref("IoAkuityKargoV1alpha1Subscription") },
      },
      ["interval", "subscriptions"],
    ),
    true,
  ),
  IoAkuityKargoV1alpha1Subscription: {
    ...object({
      git: object(
        {
          repoURL: str,
          branch: str,
          commitSelectionStrategy: enumOf("Lexical", "NewestFromBranch", "NewestTag", "SemVer"),
          semverConstraint: str,
          allowTags: str,
          ignoreTags: strings,
          expressionFilter: str,
          includePaths: strings,
          excludePaths: strings,
          discoveryLimit: int,
          insecureSkipTLSVerify: bool,
          strictSemvers: bool,
        },
        ["repoURL"],
      ),
      image: object(
        {
          repoURL: str,
          imageSelectionStrategy: enumOf("Digest", "Lexical", "NewestBuild", "SemVer"),
          constraint: str,
          semverConstraint: str,
          allowTags: str,
          ignoreTags: strings,
          expressionFilter: str,
          platform: str,
          discoveryLimit: int,
          strictSemvers: bool,
          cacheByTag: bool,
          insecureSkipTLSVerify: bool,
        },
        ["repoURL"],
      ),
      chart: object({ repoURL: str, name: str, semverConstraint: str, discoveryLimit: int }, ["repoURL"]),
    }),
    minProperties: 1,
    maxProperties: 1,
  },
  IoAkuityKargoV1alpha1Stage: kind(
    "kargo.akuity.io/v1alpha1",
    "Stage",
    object(
      {
        shard: str,
        vars: kargoVars,
        requestedFreight: array(
          object(
            {
              origin: object({ kind: enumOf("Warehouse"), name: str }, ["kind", "name"]),
              sources: object({
                direct: bool,
                stages: strings,
                requiredSoakTime: str,
                availabilityStrategy: enumOf("", "All", "OneOf"),
                autoPromotionOptions: object({ selectionPolicy: enumOf("MatchUpstream", "NewestFreight") }),
              }),
            },
            ["origin", "sources"],
          ),
        ),
        promotionTemplate: object(
          {
            spec: object({
              vars: kargoVars,
              steps: array(
                object({
                  uses: str,
                  task: object({ kind: enumOf("ClusterPromotionTask", "PromotionTask"), name: str }, ["name"]),
                  as: str,
                  if: str,
                  continueOnError: bool,
                  retry: object({ errorThreshold: int, timeout: str }),
                  vars: kargoVars,
                  config: freeObject,
                }),
              ),
            }),
          },
          ["spec"],
        ),
        verification: object({
          analysisTemplates: array(object({ kind: enumOf("AnalysisTemplate", "ClusterAnalysisTemplate"), name: str }, ["name"])),
          analysisRunMetadata: object({ labels: stringMap, annotations: stringMap }),
          args: array(object({ name: str, value: str }, ["name", "value"])),
        }),
      },
      ["requestedFreight"],
    ),
    true,
  ),

  IoVeleroV1BackupSpec: object({
    metadata: object({ labels: stringMap }),
    includedNamespaces: strings,
    excludedNamespaces: strings,
    includedResources: strings,
    excludedResources: strings,
    includedClusterScopedResources: strings,
    excludedClusterScopedResources: strings,
    includedNamespaceScopedResources: strings,
    excludedNamespaceScopedResources: strings,
    labelSelector,
    orLabelSelectors: labelSelectors,
    snapshotVolumes: bool,
    ttl: str,
    includeClusterResources: { type: ["boolean", "null"] },
    hooks: object({
      resources: array(
        object(
          {
            name: str,
            includedNamespaces: strings,
            excludedNamespaces: strings,
            includedResources: strings,
            excludedResources: strings,
            labelSelector,
            pre: veleroHooks,
            post: veleroHooks,
          },
          ["name"],
        ),
      ),
    }),
    storageLocation: str,
    volumeSnapshotLocations: strings,
    defaultVolumesToRestic: bool,
    defaultVolumesToFsBackup: bool,
    orderedResources: stringMap,
    csiSnapshotTimeout: str,
    itemOperationTimeout: str,
    resourcePolicy: object({ apiGroup: str, kind: str, name: str }, ["kind", "name"]),
    snapshotMoveData: bool,
    datamover: str,
    uploaderConfig: object({ parallelFilesUpload: int }),
  }),
  IoVeleroV1Backup: kind("velero.io/v1", "Backup", ref("IoVeleroV1BackupSpec"), false),
  IoVeleroV1Schedule: kind(
    "velero.io/v1",
    "Schedule",
    object(
      { schedule: str, template: ref("IoVeleroV1BackupSpec"), useOwnerReferencesInBackup: bool, paused: bool, skipImmediately: bool },
      ["schedule", "template"],
    ),
    true,
  ),
  IoVeleroV1BackupStorageLocation: kind(
    "velero.io/v1",
    "BackupStorageLocation",
    object(
      {
        provider: str,
        objectStorage: object({ bucket: str, prefix: str, caCert: str }, ["bucket"]),
        config: stringMap,
        credential: object({ name: str, key: str, optional: bool }, ["key"]),
        default: bool,
        accessMode: enumOf("ReadOnly", "ReadWrite"),
        backupSyncPeriod: str,
        validationFrequency: str,
      },
      ["objectStorage", "provider"],
    ),
    true,
  ),
  IoCnpgPostgresqlV1Cluster: kind("postgresql.cnpg.io/v1", "Cluster", ref("IoCnpgPostgresqlV1ClusterSpec"), true),
  IoCnpgPostgresqlV1ClusterSpec: object(
    {
      description: str,
      inheritedMetadata: object({ labels: stringMap, annotations: stringMap }),
      imageName: str,
      imageCatalogRef: object({ apiGroup: str, kind: str, name: str, major: int }, ["kind", "major", "name"]),
      imagePullPolicy: enumOf("Always", "Never", "IfNotPresent"),
      schedulerName: str,
      postgresUID: int,
      postgresGID: int,
      instances: { type: "integer", minimum: 1 },
      minSyncReplicas: int,
      maxSyncReplicas: int,
      postgresql: object({
        parameters: stringMap,
        synchronous: object(
          {
            method: enumOf("any", "first"),
            number: int,
            maxStandbyNamesFromCluster: int,
            standbyNamesPre: strings,
            standbyNamesPost: strings,
            dataDurability: enumOf("required", "preferred"),
            failoverQuorum: bool,
          },
          ["method", "number"],
        ),
        pg_hba: strings,
        pg_ident: strings,
        syncReplicaElectionConstraint: object({ enabled: bool, nodeLabelsAntiAffinity: strings }, ["enabled"]),
        shared_preload_libraries: strings,
        ldap: object({
          server: str,
          port: int,
          scheme: enumOf("ldap", "ldaps"),
          bindAsAuth: object({ prefix: str, suffix: str }),
          bindSearchAuth: object({ baseDN: str, bindDN: str, bindPassword: coreSecretKeySelector, searchAttribute: str, searchFilter: str }),
          tls: bool,
        }),
        promotionTimeout: int,
        enableAlterSystem: bool,
        extensions: array(
          object(
            {
              name: str,
              image: ref(`${K8S}IoK8sApiCoreV1ImageVolumeSource`),
              extension_control_path: strings,
              dynamic_library_path: strings,
              ld_library_path: strings,
            },
            ["image", "name"],
          ),
        ),
      }),
      replicationSlots: object({
        highAvailability: object({ enabled: bool, slotPrefix: str, synchronizeLogicalDecoding: bool }),
        updateInterval: int,
        synchronizeReplicas: object({ enabled: bool, excludePatterns: strings }, ["enabled"]),
      }),
      bootstrap: {
        ...object({
          initdb: ref("IoCnpgPostgresqlV1BootstrapInitDB"),
          recovery: ref("IoCnpgPostgresqlV1BootstrapRecovery"),
          pg_basebackup: object({ source: str, database: str, owner: str, secret: localRef }, ["source"]),
        }),
        maxProperties: 1,
      },
      replica: object({ self: str, primary: str, source: str, enabled: bool, promotionToken: str, minApplyDelay: str }, ["source"]),
      superuserSecret: localRef,
      enableSuperuserAccess: bool,
      certificates: object({ serverCASecret: str, serverTLSSecret: str, replicationTLSSecret: str, clientCASecret: str, serverAltDNSNames: strings }),
      imagePullSecrets: array(localRef),
      storage: ref("IoCnpgPostgresqlV1StorageConfiguration"),
      serviceAccountTemplate: object({ metadata: cnpgTemplateMetadata }, ["metadata"]),
      walStorage: ref("IoCnpgPostgresqlV1StorageConfiguration"),
      ephemeralVolumeSource: ref(`${K8S}IoK8sApiCoreV1EphemeralVolumeSource`),
      startDelay: int,
      stopDelay: int,
      smartShutdownTimeout: int,
      switchoverDelay: int,
      failoverDelay: int,
      livenessProbeTimeout: int,
      affinity: object({
        enablePodAntiAffinity: bool,
        topologyKey: str,
        nodeSelector: stringMap,
        nodeAffinity: ref(`${K8S}IoK8sApiCoreV1NodeAffinity`),
        tolerations: array(ref(`${K8S}IoK8sApiCoreV1Toleration`)),
        podAntiAffinityType: enumOf("preferred", "required"),
        additionalPodAntiAffinity: ref(`${K8S}IoK8sApiCoreV1PodAntiAffinity`),
        additionalPodAffinity: ref(`${K8S}IoK8sApiCoreV1PodAffinity`),
      }),
      topologySpreadConstraints: array(ref(`${K8S}IoK8sApiCoreV1TopologySpreadConstraint`)),
      resources: ref(`${K8S}IoK8sApiCoreV1ResourceRequirements`),
      ephemeralVolumesSizeLimit: object({ shm: quantity, temporaryData: quantity }),
      priorityClassName: str,
      primaryUpdateStrategy: enumOf("unsupervised", "supervised"),
      primaryUpdateMethod: enumOf("switchover", "restart"),
      backup: object({
        volumeSnapshot: object({
          labels: stringMap,
          annotations: stringMap,
          className: str,
          walClassName: str,
          tablespaceClassName: stringMap,
          snapshotOwnerReference: enumOf("none", "cluster", "backup"),
          online: bool,
          onlineConfiguration: ref("IoCnpgPostgresqlV1OnlineConfiguration"),
        }),
        barmanObjectStore: ref("IoCnpgPostgresqlV1BarmanObjectStoreConfiguration"),
        retentionPolicy: { type: "string", pattern: "^[1-9][0-9]*[dwm]$" },
        target: cnpgBackupTarget,
      }),
      nodeMaintenanceWindow: object({ reusePVC: bool, inProgress: bool }),
      monitoring: object({
        disableDefaultQueries: bool,
        customQueriesConfigMap: array(keySelector),
        customQueriesSecret: array(keySelector),
        enablePodMonitor: bool,
        tls: object({ enabled: bool }),
        podMonitorMetricRelabelings: relabelConfigs,
        podMonitorRelabelings: relabelConfigs,
      }),
      externalClusters: array(
        object(
          {
            name: str,
            connectionParameters: stringMap,
            sslCert: coreSecretKeySelector,
            sslKey: coreSecretKeySelector,
            sslRootCert: coreSecretKeySelector,
            password: coreSecretKeySelector,
            barmanObjectStore: ref("IoCnpgPostgresqlV1BarmanObjectStoreConfiguration"),
            plugin: cnpgPluginConfiguration,
          },
          ["name"],
        ),
      ),
      logLevel: enumOf("error", "warning", "info", "debug", "trace"),
      projectedVolumeTemplate: ref(`${K8S}IoK8sApiCoreV1ProjectedVolumeSource`),
      env: array(ref(`${K8S}IoK8sApiCoreV1EnvVar`)),
      envFrom: array(ref(`${K8S}IoK8sApiCoreV1EnvFromSource`)),
      managed: object({
        roles: array(
          object(
            {
              name: str,
              comment: str,
              ensure: cnpgEnsure,
              passwordSecret: localRef,
              connectionLimit: int,
              validUntil: str,
              inRoles: strings,
              inherit: bool,
              disablePassword: bool,
              superuser: bool,
              createdb: bool,
              createrole: bool,
              login: bool,
              replication: bool,
              bypassrls: bool,
            },
            ["name"],
          ),
        ),
        services: object({
          disabledDefaultServices: array(enumOf("r", "ro")),
          additional: array(
            object(
              { selectorType: enumOf("rw", "r", "ro"), updateStrategy: enumOf("patch", "replace"), serviceTemplate: ref("IoCnpgPostgresqlV1ServiceTemplateSpec") },
              ["selectorType", "serviceTemplate"],
            ),
          ),
        }),
      }),
      seccompProfile: ref(`${K8S}IoK8sApiCoreV1SeccompProfile`),
      tablespaces: array(
        object({ name: str, storage: ref("IoCnpgPostgresqlV1StorageConfiguration"), owner: object({ name: str }), temporary: bool }, ["name", "storage"]),
      ),
      enablePDB: bool,
      plugins: array(cnpgPluginConfiguration),
      // Each probe is optional: the upstream docs configure only `startup` (or `readiness`) in their examples.
      probes: object({
        startup: ref("IoCnpgPostgresqlV1ProbeWithStrategy"),
        liveness: object({ ...cnpgProbeFields, isolationCheck: object({ enabled: bool, requestTimeout: int, connectionTimeout: int }) }),
        readiness: ref("IoCnpgPostgresqlV1ProbeWithStrategy"),
      }),
    },
    ["instances"],
  ),
  IoCnpgPostgresqlV1StorageConfiguration: object({
    storageClass: str,
    size: str,
    resizeInUseVolumes: bool,
    pvcTemplate: ref(`${K8S}IoK8sApiCoreV1PersistentVolumeClaimSpec`),
  }),
  IoCnpgPostgresqlV1BootstrapInitDB: object({
    database: str,
    owner: str,
    secret: localRef,
    options: strings,
    dataChecksums: bool,
    encoding: str,
    localeCollate: str,
    localeCType: str,
    locale: str,
    localeProvider: str,
    icuLocale: str,
    icuRules: str,
    builtinLocale: str,
    walSegmentSize: { type: "integer", minimum: 1, maximum: 1024 },
    postInitSQL: strings,
    postInitApplicationSQL: strings,
    postInitTemplateSQL: strings,
    import: object(
      {
        source: object({ externalCluster: str }, ["externalCluster"]),
        type: enumOf("microservice", "monolith"),
        databases: strings,
        roles: strings,
        postImportApplicationSQL: strings,
        schemaOnly: bool,
        pgDumpExtraOptions: strings,
        pgRestoreExtraOptions: strings,
        pgRestorePredataOptions: strings,
        pgRestoreDataOptions: strings,
        pgRestorePostdataOptions: strings,
      },
      ["databases", "source", "type"],
    ),
    postInitApplicationSQLRefs: sqlRefs,
    postInitTemplateSQLRefs: sqlRefs,
    postInitSQLRefs: sqlRefs,
  }),
  IoCnpgPostgresqlV1BootstrapRecovery: object({
    backup: object({ name: str, endpointCA: keySelector }, ["name"]),
    source: str,
    volumeSnapshots: object(
      {
        storage: ref(`${K8S}IoK8sApiCoreV1TypedLocalObjectReference`),
        walStorage: ref(`${K8S}IoK8sApiCoreV1TypedLocalObjectReference`),
        tablespaceStorage: { type: "object", additionalProperties: ref(`${K8S}IoK8sApiCoreV1TypedLocalObjectReference`) },
      },
      ["storage"],
    ),
    recoveryTarget: object({
      backupID: str,
      targetTLI: str,
      targetXID: str,
      targetName: str,
      targetLSN: str,
      targetTime: str,
      targetImmediate: bool,
      exclusive: bool,
    }),
    database: str,
    owner: str,
    secret: localRef,
  }),
  IoCnpgPostgresqlV1BarmanObjectStoreConfiguration: object(
    {
      destinationPath: str,
      endpointURL: str,
      endpointCA: keySelector,
      serverName: str,
      s3Credentials: object({ accessKeyId: keySelector, secretAccessKey: keySelector, region: keySelector, sessionToken: keySelector, inheritFromIAMRole: bool }),
      azureCredentials: object({
        connectionString: keySelector,
        storageAccount: keySelector,
        storageKey: keySelector,
        storageSasToken: keySelector,
        inheritFromAzureAD: bool,
        useDefaultAzureCredentials: bool,
      }),
      googleCredentials: object({ applicationCredentials: keySelector, gkeEnvironment: bool }),
      wal: object({ compression: str, encryption: str, maxParallel: int, archiveAdditionalCommandArgs: strings, restoreAdditionalCommandArgs: strings }),
      data: object({ compression: str, encryption: str, immediateCheckpoint: bool, jobs: int, additionalCommandArgs: strings }),
      tags: stringMap,
      historyTags: stringMap,
    },
    ["destinationPath"],
  ),
  IoCnpgPostgresqlV1OnlineConfiguration: object({ waitForArchive: bool, immediateCheckpoint: bool }),
  IoCnpgPostgresqlV1ServiceTemplateSpec: object({ metadata: cnpgTemplateMetadata, spec: ref(`${K8S}IoK8sApiCoreV1ServiceSpec`) }),
  IoCnpgPostgresqlV1ProbeWithStrategy: object({ ...cnpgProbeFields, type: enumOf("pg_isready", "streaming", "query"), maximumLag: quantity }),

  IoCnpgPostgresqlV1Database: kind(
    "postgresql.cnpg.io/v1",
    "Database",
    object(
      {
        cluster: localRef,
        ensure: cnpgEnsure,
        name: str,
        owner: str,
        template: str,
        encoding: str,
        locale: str,
        localeProvider: str,
        localeCollate: str,
        localeCType: str,
        icuLocale: str,
        icuRules: str,
        builtinLocale: str,
        collationVersion: str,
        isTemplate: bool,
        allowConnections: bool,
        connectionLimit: int,
        tablespace: str,
        databaseReclaimPolicy: enumOf("retain", "delete"),
        schemas: array(object({ name: str, ensure: cnpgEnsure, owner: str }, ["name"])),
        extensions: array(object({ name: str, ensure: cnpgEnsure, version: str, schema: str }, ["name"])),
        fdws: array(
          object({ name: str, ensure: cnpgEnsure, handler: str, validator: str, owner: str, options: cnpgOptions, usage: cnpgUsage }, ["name"]),
        ),
        servers: array(object({ name: str, ensure: cnpgEnsure, fdw: str, options: cnpgOptions, usage: cnpgUsage }, ["fdw", "name"])),
      },
      ["cluster", "name", "owner"],
    ),
    true,
  ),

  IoCnpgPostgresqlV1Backup: kind("postgresql.cnpg.io/v1", "Backup", object(cnpgBackupFields, ["cluster"]), true),
  IoCnpgPostgresqlV1ScheduledBackup: kind(
    "postgresql.cnpg.io/v1",
    "ScheduledBackup",
    object(
      { ...cnpgBackupFields, schedule: str, suspend: bool, immediate: bool, backupOwnerReference: enumOf("none", "self", "cluster") },
      ["cluster", "schedule"],
    ),
    true,
  ),

  IoCnpgPostgresqlV1Pooler: kind(
    "postgresql.cnpg.io/v1",
    "Pooler",
    object(
      {
        cluster: localRef,
        type: enumOf("rw", "ro"),
        instances: int,
        template: object({ metadata: cnpgTemplateMetadata, spec: ref(`${K8S}IoK8sApiCoreV1PodSpec`) }),
        pgbouncer: object({
          poolMode: enumOf("session", "transaction"),
          authQuerySecret: localRef,
          authQuery: str,
          parameters: stringMap,
          pg_hba: strings,
          paused: bool,
        }),
        deploymentStrategy: ref(`${K8S}IoK8sApiAppsV1DeploymentStrategy`),
        monitoring: object({ enablePodMonitor: bool, podMonitorMetricRelabelings: relabelConfigs, podMonitorRelabelings: relabelConfigs }),
        serviceTemplate: ref("IoCnpgPostgresqlV1ServiceTemplateSpec"),
      },
      ["cluster", "pgbouncer"],
    ),
    true,
  ),
};

/** apiVersion/kind → definition of own-kinds.json. */
export const OWN_KINDS: readonly { readonly apiVersion: string; readonly kind: string; readonly definition: string }[] = [
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Project", definition: "IoAkuityKargoV1alpha1Project" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "ProjectConfig", definition: "IoAkuityKargoV1alpha1ProjectConfig" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Stage", definition: "IoAkuityKargoV1alpha1Stage" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Warehouse", definition: "IoAkuityKargoV1alpha1Warehouse" },
  { apiVersion: "metallb.io/v1beta1", kind: "IPAddressPool", definition: "IoMetallbV1beta1IPAddressPool" },
  { apiVersion: "metallb.io/v1beta1", kind: "L2Advertisement", definition: "IoMetallbV1beta1L2Advertisement" },
  { apiVersion: "postgresql.cnpg.io/v1", kind: "Backup", definition: "IoCnpgPostgresqlV1Backup" },
  { apiVersion: "postgresql.cnpg.io/v1", kind: "Cluster", definition: "IoCnpgPostgresqlV1Cluster" },
  { apiVersion: "postgresql.cnpg.io/v1", kind: "Database", definition: "IoCnpgPostgresqlV1Database" },
  { apiVersion: "postgresql.cnpg.io/v1", kind: "Pooler", definition: "IoCnpgPostgresqlV1Pooler" },
  { apiVersion: "postgresql.cnpg.io/v1", kind: "ScheduledBackup", definition: "IoCnpgPostgresqlV1ScheduledBackup" },
  { apiVersion: "velero.io/v1", kind: "Backup", definition: "IoVeleroV1Backup" },
  { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", definition: "IoVeleroV1BackupStorageLocation" },
  { apiVersion: "velero.io/v1", kind: "Schedule", definition: "IoVeleroV1Schedule" },
];
