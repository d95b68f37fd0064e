/**
 * Kinds no installed npm package models: MetalLB (IPAddressPool, L2Advertisement), Kargo (Project,
 * ProjectConfig, Warehouse, Stage) and Velero (Backup, Schedule, BackupStorageLocation). Each comes as a
 * TypeScript interface (for component files) and a strict JSON Schema (for validation), both written from
 * the projects' documented field lists: MetalLB v0.16 (metallb.io/v1beta1), Kargo v1.11
 * (kargo.akuity.io/v1alpha1), Velero v1.16 (velero.io/v1). Keep the two in step when a field is added.
 *
 * `status` is accepted as a free-form object (controllers write it; users do not).
 */
import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import type { ILabelSelector } from "@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector";

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
};

/** apiVersion/kind → definition of own-kinds.json. */
export const OWN_KINDS: readonly { readonly apiVersion: string; readonly kind: string; readonly definition: string }[] = [
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Project", definition: "IoAkuityKargoV1alpha1Project" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "ProjectConfig", definition: "IoAkuityKargoV1alpha1ProjectConfig" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Stage", definition: "IoAkuityKargoV1alpha1Stage" },
  { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Warehouse", definition: "IoAkuityKargoV1alpha1Warehouse" },
  { apiVersion: "metallb.io/v1beta1", kind: "IPAddressPool", definition: "IoMetallbV1beta1IPAddressPool" },
  { apiVersion: "metallb.io/v1beta1", kind: "L2Advertisement", definition: "IoMetallbV1beta1L2Advertisement" },
  { apiVersion: "velero.io/v1", kind: "Backup", definition: "IoVeleroV1Backup" },
  { apiVersion: "velero.io/v1", kind: "BackupStorageLocation", definition: "IoVeleroV1BackupStorageLocation" },
  { apiVersion: "velero.io/v1", kind: "Schedule", definition: "IoVeleroV1Schedule" },
];
