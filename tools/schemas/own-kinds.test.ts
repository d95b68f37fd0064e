/**
 * The TypeScript interfaces and the JSON Schemas of own-kinds.ts describe the same fields: an object that
 * sets every field of an interface (checked by tsc) must pass the schema, and a misspelled one must not.
 */
import { describe, expect, it } from "vitest";
import { createSchemaValidator } from "../validate/schema-validator.ts";
import {
  OWN_KIND_DEFINITIONS,
  OWN_KINDS,
  type BackupStorageLocation,
  type IPAddressPool,
  type KargoProject,
  type KargoProjectConfig,
  type L2Advertisement,
  type Stage,
  type VeleroBackup,
  type VeleroBackupSpec,
  type VeleroSchedule,
  type Warehouse,
} from "./own-kinds.ts";

const selector = { matchLabels: { a: "b" }, matchExpressions: [{ key: "k", operator: "In", values: ["v"] }] };
const meta = (name: string) => ({ name, namespace: "ns", labels: { a: "b" } });

const backupSpec: VeleroBackupSpec = {
  metadata: { labels: { a: "b" } },
  includedNamespaces: ["*"],
  excludedNamespaces: ["kube-system"],
  includedResources: ["*"],
  excludedResources: ["events"],
  includedClusterScopedResources: ["persistentvolumes"],
  excludedClusterScopedResources: ["nodes"],
  includedNamespaceScopedResources: ["*"],
  excludedNamespaceScopedResources: ["events"],
  labelSelector: selector,
  orLabelSelectors: [selector],
  snapshotVolumes: true,
  ttl: "720h0m0s",
  includeClusterResources: null,
  hooks: {
    resources: [
      {
        name: "pg-dump",
        includedNamespaces: ["db"],
        excludedNamespaces: [],
        includedResources: ["pods"],
        excludedResources: [],
        labelSelector: selector,
        pre: [{ exec: { container: "postgres", command: ["/bin/sh", "-c", "pg_dump > /backup/db.sql"], onError: "Fail", timeout: "5m" } }],
        post: [{ exec: { command: ["true"] } }],
      },
    ],
  },
  storageLocation: "minio",
  volumeSnapshotLocations: ["default"],
  defaultVolumesToRestic: false,
  defaultVolumesToFsBackup: true,
  orderedResources: { pods: "ns/a,ns/b" },
  csiSnapshotTimeout: "10m",
  itemOperationTimeout: "4h",
  resourcePolicy: { kind: "configmap", name: "policy" },
  snapshotMoveData: false,
  datamover: "velero",
  uploaderConfig: { parallelFilesUpload: 4 },
};

const pool: IPAddressPool = {
  apiVersion: "metallb.io/v1beta1",
  kind: "IPAddressPool",
  metadata: meta("pool"),
  spec: {
    addresses: ["172.18.255.200-172.18.255.250", "10.0.0.0/24"],
    autoAssign: false,
    avoidBuggyIPs: true,
    serviceAllocation: { priority: 50, namespaces: ["web"], namespaceSelectors: [selector], serviceSelectors: [selector] },
  },
};
const l2: L2Advertisement = {
  apiVersion: "metallb.io/v1beta1",
  kind: "L2Advertisement",
  metadata: meta("l2"),
  spec: { ipAddressPools: ["pool"], ipAddressPoolSelectors: [selector], nodeSelectors: [selector], interfaces: ["eth0"], serviceSelectors: [selector] },
};
const project: KargoProject = { apiVersion: "kargo.akuity.io/v1alpha1", kind: "Project", metadata: { name: "backend" }, status: { conditions: [] } };
const projectConfig: KargoProjectConfig = {
  apiVersion: "kargo.akuity.io/v1alpha1",
  kind: "ProjectConfig",
  metadata: { name: "backend", namespace: "backend" },
  spec: {
    promotionPolicies: [
      { stage: "dev", autoPromotionEnabled: true },
      { stageSelector: { name: "regex:.*", matchLabels: { tier: "test" }, matchExpressions: selector.matchExpressions }, autoRollback: { onPromotion: ["x"], onVerification: ["y"] } },
    ],
    freightLinks: [{ title: "CI", url: "https://ci.example.com", description: "build", if: "true" }],
    stageLinks: [{ title: "App", url: "https://app.example.com" }],
    webhookReceivers: [
      { name: "gitea", gitea: { secretRef: { name: "gitea-webhook" } } },
      { name: "hub", dockerhub: { secretRef: { name: "hub" } }, artifactory: { secretRef: {}, virtualRepoName: "r" } },
      { name: "generic", generic: { secretRef: { name: "g" }, actions: [{ action: "Refresh" }] } },
    ],
  },
};
const warehouse: Warehouse = {
  apiVersion: "kargo.akuity.io/v1alpha1",
  kind: "Warehouse",
  metadata: meta("backend"),
  spec: {
    interval: "5m0s",
    shard: "a",
    freightCreationPolicy: "Automatic",
    freightCreationCriteria: { expression: "true" },
    subscriptions: [
      {
        image: {
          repoURL: "registry.example.com/backend",
          imageSelectionStrategy: "SemVer",
          constraint: "^1.0.0",
          semverConstraint: "^1.0.0",
          allowTags: "^v",
          ignoreTags: ["latest"],
          expressionFilter: "true",
          platform: "linux/amd64",
          discoveryLimit: 20,
          strictSemvers: true,
          cacheByTag: false,
          insecureSkipTLSVerify: false,
        },
      },
      {
        git: {
          repoURL: "https://git.example.com/platform.git",
          branch: "main",
          commitSelectionStrategy: "NewestFromBranch",
          semverConstraint: "*",
          allowTags: ".*",
          ignoreTags: [],
          expressionFilter: "true",
          includePaths: ["apps/backend"],
          excludePaths: ["docs"],
          discoveryLimit: 10,
          insecureSkipTLSVerify: false,
          strictSemvers: true,
        },
      },
      { chart: { repoURL: "oci://registry.example.com/charts/backend", name: "backend", semverConstraint: "^1", discoveryLimit: 5 } },
    ],
  },
};
const stage: Stage = {
  apiVersion: "kargo.akuity.io/v1alpha1",
  kind: "Stage",
  metadata: meta("prod"),
  spec: {
    shard: "a",
    vars: [{ name: "app", value: "backend" }],
    requestedFreight: [
      {
        origin: { kind: "Warehouse", name: "backend" },
        sources: { direct: false, stages: ["staging"], requiredSoakTime: "1h", availabilityStrategy: "All", autoPromotionOptions: { selectionPolicy: "NewestFreight" } },
      },
    ],
    promotionTemplate: {
      spec: {
        vars: [{ name: "repo", value: "https://git.example.com/platform.git" }],
        steps: [
          { uses: "git-clone", as: "clone", if: "true", continueOnError: false, retry: { errorThreshold: 3, timeout: "5m" }, vars: [{ name: "x" }], config: { repoURL: "${{ vars.repo }}" } },
          { task: { kind: "PromotionTask", name: "standard" } },
        ],
      },
    },
    verification: {
      analysisTemplates: [{ kind: "ClusterAnalysisTemplate", name: "smoke" }],
      analysisRunMetadata: { labels: { a: "b" }, annotations: { c: "d" } },
      args: [{ name: "url", value: "https://app.example.com" }],
    },
  },
};
const backup: VeleroBackup = { apiVersion: "velero.io/v1", kind: "Backup", metadata: meta("once"), spec: backupSpec };
const schedule: VeleroSchedule = {
  apiVersion: "velero.io/v1",
  kind: "Schedule",
  metadata: meta("daily"),
  spec: { schedule: "0 3 * * *", template: backupSpec, useOwnerReferencesInBackup: false, paused: false, skipImmediately: true },
};
const location: BackupStorageLocation = {
  apiVersion: "velero.io/v1",
  kind: "BackupStorageLocation",
  metadata: meta("minio"),
  spec: {
    provider: "aws",
    objectStorage: { bucket: "velero", prefix: "cluster", caCert: "LS0t" },
    config: { region: "minio", s3ForcePathStyle: "true", s3Url: "http://minio.minio:9000" },
    credential: { name: "minio", key: "cloud", optional: false },
    default: true,
    accessMode: "ReadWrite",
    backupSyncPeriod: "1m",
    validationFrequency: "1m",
  },
};

const validator = createSchemaValidator();
const all = [pool, l2, project, projectConfig, warehouse, stage, backup, schedule, location];

describe("own kinds", () => {
  it("cover every kind listed, each with its definition", () => {
    expect(all.map((o) => `${o.apiVersion} ${o.kind}`).sort()).toEqual(OWN_KINDS.map((k) => `${k.apiVersion} ${k.kind}`).sort());
    for (const k of OWN_KINDS) expect(OWN_KIND_DEFINITIONS[k.definition], k.definition).toBeDefined();
  });

  it("accept objects that set every field of their interface", () => {
    for (const o of all) expect({ kind: o.kind, findings: validator.validate(o) }).toEqual({ kind: o.kind, findings: [] });
  });

  it("reject misspelled fields, wrong enum values and missing required fields", () => {
    const wrongPool = structuredClone(pool) as unknown as { spec: Record<string, unknown> };
    wrongPool.spec.autoAsign = true;
    expect(validator.validate(wrongPool).map((f) => f.message)).toEqual(['spec: unknown field "autoAsign"']);

    const wrongWarehouse = structuredClone(warehouse) as unknown as { spec: { subscriptions: Record<string, unknown>[] } };
    wrongWarehouse.spec.subscriptions.push({ helm: { repoURL: "x" } });
    wrongWarehouse.spec.subscriptions[0] = { image: { repoURL: "x", imageSelectionStrategy: "Newest" } };
    expect(validator.validate(wrongWarehouse).map((f) => f.message)).toEqual([
      'spec.subscriptions[0].image.imageSelectionStrategy: "Newest" is not one of Digest, Lexical, NewestBuild, SemVer',
      'spec.subscriptions[3]: unknown field "helm"',
    ]);

    const wrongSchedule = structuredClone(schedule) as unknown as { spec: Record<string, unknown> };
    delete wrongSchedule.spec.schedule;
    expect(validator.validate(wrongSchedule).map((f) => f.message)).toEqual(['spec: missing required field "schedule"']);
  });
});
