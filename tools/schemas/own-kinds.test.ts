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
  type CnpgBackup,
  type CnpgBarmanObjectStoreConfiguration,
  type CnpgCluster,
  type CnpgDatabase,
  type CnpgPooler,
  type CnpgScheduledBackup,
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

const secretKey = { name: "creds", key: "k" };
const relabel = { action: "replace" as const, sourceLabels: ["__name__"], targetLabel: "metric" };
const objectStore: CnpgBarmanObjectStoreConfiguration = {
  destinationPath: "s3://backups/postgresql",
  endpointURL: "http://minio.minio:9000",
  endpointCA: secretKey,
  serverName: "postgresql",
  s3Credentials: { accessKeyId: secretKey, secretAccessKey: secretKey, region: secretKey, sessionToken: secretKey, inheritFromIAMRole: false },
  azureCredentials: {
    connectionString: secretKey,
    storageAccount: secretKey,
    storageKey: secretKey,
    storageSasToken: secretKey,
    inheritFromAzureAD: false,
    useDefaultAzureCredentials: false,
  },
  googleCredentials: { applicationCredentials: secretKey, gkeEnvironment: false },
  wal: { compression: "gzip", encryption: "AES256", maxParallel: 2, archiveAdditionalCommandArgs: ["--read-timeout=60"], restoreAdditionalCommandArgs: [] },
  data: { compression: "gzip", encryption: "AES256", immediateCheckpoint: true, jobs: 2, additionalCommandArgs: [] },
  tags: { a: "b" },
  historyTags: { c: "d" },
};
const probe = { initialDelaySeconds: 1, timeoutSeconds: 5, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, terminationGracePeriodSeconds: 30 };
const cnpgCluster: CnpgCluster = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Cluster",
  metadata: meta("postgresql"),
  spec: {
    description: "platform database",
    inheritedMetadata: { labels: { a: "b" }, annotations: { c: "d" } },
    imageName: "ghcr.io/cloudnative-pg/postgresql:17.5",
    imageCatalogRef: { apiGroup: "postgresql.cnpg.io", kind: "ImageCatalog", name: "postgresql", major: 17 },
    imagePullPolicy: "IfNotPresent",
    schedulerName: "default-scheduler",
    postgresUID: 26,
    postgresGID: 26,
    instances: 3,
    minSyncReplicas: 0,
    maxSyncReplicas: 0,
    postgresql: {
      parameters: { max_connections: "200", shared_buffers: "256MB" },
      synchronous: { method: "any", number: 1, maxStandbyNamesFromCluster: 1, standbyNamesPre: [], standbyNamesPost: [], dataDurability: "preferred", failoverQuorum: false },
      pg_hba: ["hostssl all all 10.0.0.0/8 scram-sha-256"],
      pg_ident: [],
      syncReplicaElectionConstraint: { enabled: true, nodeLabelsAntiAffinity: ["topology.kubernetes.io/zone"] },
      shared_preload_libraries: ["pg_stat_statements"],
      ldap: {
        server: "ldap.example.com",
        port: 636,
        scheme: "ldaps",
        bindAsAuth: { prefix: "uid=", suffix: ",dc=example,dc=com" },
        bindSearchAuth: { baseDN: "dc=example,dc=com", bindDN: "cn=admin", bindPassword: { name: "ldap", key: "password" }, searchAttribute: "uid", searchFilter: "(objectClass=person)" },
        tls: true,
      },
      promotionTimeout: 60,
      enableAlterSystem: false,
      extensions: [{ name: "pgvector", image: { reference: "ghcr.io/cloudnative-pg/pgvector:0.8.0" }, extension_control_path: ["/share"], dynamic_library_path: ["/lib"], ld_library_path: [] }],
    },
    replicationSlots: {
      highAvailability: { enabled: true, slotPrefix: "_cnpg_", synchronizeLogicalDecoding: false },
      updateInterval: 30,
      synchronizeReplicas: { enabled: true, excludePatterns: ["^tmp_"] },
    },
    bootstrap: {
      initdb: {
        database: "app",
        owner: "app",
        secret: { name: "app" },
        options: [],
        dataChecksums: true,
        encoding: "UTF8",
        localeCollate: "C",
        localeCType: "C",
        locale: "C",
        localeProvider: "builtin",
        icuLocale: "en",
        icuRules: "",
        builtinLocale: "C.UTF-8",
        walSegmentSize: 32,
        postInitSQL: ["select 1"],
        postInitApplicationSQL: [],
        postInitTemplateSQL: [],
        import: {
          source: { externalCluster: "old" },
          type: "microservice",
          databases: ["app"],
          roles: [],
          postImportApplicationSQL: [],
          schemaOnly: false,
          pgDumpExtraOptions: [],
          pgRestoreExtraOptions: [],
          pgRestorePredataOptions: [],
          pgRestoreDataOptions: [],
          pgRestorePostdataOptions: [],
        },
        postInitApplicationSQLRefs: { secretRefs: [secretKey], configMapRefs: [secretKey] },
        postInitTemplateSQLRefs: {},
        postInitSQLRefs: {},
      },
    },
    replica: { self: "a", primary: "a", source: "b", enabled: false, promotionToken: "t", minApplyDelay: "1h" },
    superuserSecret: { name: "superuser" },
    enableSuperuserAccess: false,
    certificates: { serverCASecret: "ca", serverTLSSecret: "tls", replicationTLSSecret: "repl", clientCASecret: "client-ca", serverAltDNSNames: ["db.example.com"] },
    imagePullSecrets: [{ name: "pull" }],
    storage: { storageClass: "standard", size: "20Gi", resizeInUseVolumes: true, pvcTemplate: { accessModes: ["ReadWriteOnce"] } },
    serviceAccountTemplate: { metadata: { name: "postgresql", labels: { a: "b" }, annotations: { c: "d" } } },
    walStorage: { size: "5Gi" },
    ephemeralVolumeSource: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
    startDelay: 3600,
    stopDelay: 1800,
    smartShutdownTimeout: 180,
    switchoverDelay: 3600,
    failoverDelay: 0,
    livenessProbeTimeout: 30,
    affinity: {
      enablePodAntiAffinity: true,
      topologyKey: "kubernetes.io/hostname",
      nodeSelector: { role: "db" },
      nodeAffinity: {},
      tolerations: [{ key: "db", operator: "Exists", effect: "NoSchedule" }],
      podAntiAffinityType: "required",
      additionalPodAntiAffinity: {},
      additionalPodAffinity: {},
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway" }],
    resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { memory: "1Gi" } },
    ephemeralVolumesSizeLimit: { shm: "256Mi", temporaryData: "1Gi" },
    priorityClassName: "platform",
    primaryUpdateStrategy: "unsupervised",
    primaryUpdateMethod: "switchover",
    backup: {
      volumeSnapshot: {
        labels: { a: "b" },
        annotations: { c: "d" },
        className: "csi",
        walClassName: "csi",
        tablespaceClassName: { tbs: "csi" },
        snapshotOwnerReference: "cluster",
        online: true,
        onlineConfiguration: { waitForArchive: true, immediateCheckpoint: false },
      },
      barmanObjectStore: objectStore,
      retentionPolicy: "30d",
      target: "prefer-standby",
    },
    nodeMaintenanceWindow: { reusePVC: true, inProgress: false },
    monitoring: {
      disableDefaultQueries: false,
      customQueriesConfigMap: [secretKey],
      customQueriesSecret: [secretKey],
      enablePodMonitor: false,
      tls: { enabled: false },
      podMonitorMetricRelabelings: [relabel],
      podMonitorRelabelings: [relabel],
    },
    externalClusters: [
      {
        name: "old",
        connectionParameters: { host: "old.example.com", dbname: "app" },
        sslCert: { name: "old", key: "tls.crt" },
        sslKey: { name: "old", key: "tls.key" },
        sslRootCert: { name: "old", key: "ca.crt" },
        password: { name: "old", key: "password" },
        barmanObjectStore: objectStore,
        plugin: { name: "barman-cloud.cloudnative-pg.io", enabled: true, isWALArchiver: false, parameters: { barmanObjectName: "minio" } },
      },
    ],
    logLevel: "info",
    projectedVolumeTemplate: { sources: [] },
    env: [{ name: "TZ", value: "UTC" }],
    envFrom: [{ configMapRef: { name: "env" } }],
    managed: {
      roles: [
        {
          name: "gitea",
          comment: "owner of database gitea",
          ensure: "present",
          passwordSecret: { name: "postgresql-role-gitea" },
          connectionLimit: -1,
          validUntil: "2030-01-01T00:00:00Z",
          inRoles: ["pg_monitor"],
          inherit: true,
          disablePassword: false,
          superuser: false,
          createdb: false,
          createrole: false,
          login: true,
          replication: false,
          bypassrls: false,
        },
      ],
      services: {
        disabledDefaultServices: ["r", "ro"],
        additional: [{ selectorType: "rw", updateStrategy: "patch", serviceTemplate: { metadata: { name: "postgresql-lb" }, spec: { type: "LoadBalancer" } } }],
      },
    },
    seccompProfile: { type: "RuntimeDefault" },
    tablespaces: [{ name: "tbs", storage: { size: "1Gi" }, owner: { name: "app" }, temporary: false }],
    enablePDB: true,
    plugins: [{ name: "barman-cloud.cloudnative-pg.io" }],
    probes: {
      startup: { ...probe, type: "streaming", maximumLag: "16Mi" },
      liveness: { ...probe, isolationCheck: { enabled: true, requestTimeout: 1000, connectionTimeout: 1000 } },
      readiness: { type: "pg_isready" },
    },
  },
};
const cnpgDatabase: CnpgDatabase = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Database",
  metadata: meta("gitea"),
  spec: {
    cluster: { name: "postgresql" },
    ensure: "present",
    name: "gitea",
    owner: "gitea",
    template: "template1",
    encoding: "UTF8",
    locale: "C",
    localeProvider: "libc",
    localeCollate: "C",
    localeCType: "C",
    icuLocale: "en",
    icuRules: "",
    builtinLocale: "C.UTF-8",
    collationVersion: "1",
    isTemplate: false,
    allowConnections: true,
    connectionLimit: -1,
    tablespace: "pg_default",
    databaseReclaimPolicy: "retain",
    schemas: [{ name: "app", ensure: "present", owner: "gitea" }],
    extensions: [{ name: "pg_trgm", ensure: "present", version: "1.6", schema: "public" }],
    fdws: [{ name: "postgres_fdw", ensure: "present", handler: "postgres_fdw_handler", validator: "postgres_fdw_validator", owner: "gitea", options: [{ name: "debug", value: "true", ensure: "present" }], usage: [{ name: "gitea", type: "grant" }] }],
    servers: [{ name: "remote", ensure: "present", fdw: "postgres_fdw", options: [{ name: "host", value: "remote" }], usage: [{ name: "gitea" }] }],
  },
};
const cnpgBackup: CnpgBackup = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Backup",
  metadata: meta("now"),
  spec: { cluster: { name: "postgresql" }, target: "primary", method: "volumeSnapshot", pluginConfiguration: { name: "p", parameters: { a: "b" } }, online: true, onlineConfiguration: { immediateCheckpoint: true } },
};
const cnpgScheduledBackup: CnpgScheduledBackup = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "ScheduledBackup",
  metadata: meta("nightly"),
  spec: {
    schedule: "0 0 3 * * *",
    suspend: false,
    immediate: true,
    cluster: { name: "postgresql" },
    backupOwnerReference: "self",
    target: "",
    method: "plugin",
    pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" },
    online: true,
    onlineConfiguration: { waitForArchive: true, immediateCheckpoint: false },
  },
};
const cnpgPooler: CnpgPooler = {
  apiVersion: "postgresql.cnpg.io/v1",
  kind: "Pooler",
  metadata: meta("postgresql-pooler-rw"),
  spec: {
    cluster: { name: "postgresql" },
    type: "rw",
    instances: 2,
    template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "pgbouncer", resources: { requests: { cpu: "50m" } } }] } },
    pgbouncer: {
      poolMode: "transaction",
      authQuerySecret: { name: "auth" },
      authQuery: "SELECT usename, passwd FROM public.user_search($1)",
      parameters: { max_client_conn: "1000" },
      pg_hba: ["host all all 0.0.0.0/0 scram-sha-256"],
      paused: false,
    },
    deploymentStrategy: { type: "RollingUpdate" },
    monitoring: { enablePodMonitor: false, podMonitorMetricRelabelings: [relabel], podMonitorRelabelings: [relabel] },
    serviceTemplate: { metadata: { labels: { a: "b" } }, spec: { type: "ClusterIP" } },
  },
};

const validator = createSchemaValidator();
const all = [pool, l2, project, projectConfig, warehouse, stage, backup, schedule, location, cnpgCluster, cnpgDatabase, cnpgBackup, cnpgScheduledBackup, cnpgPooler];

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

    const wrongCluster = structuredClone(cnpgCluster) as unknown as { spec: Record<string, unknown> & { bootstrap: Record<string, unknown> } };
    wrongCluster.spec.primaryUpdateStrategy = "automatic";
    wrongCluster.spec.bootstrap.pg_basebackup = { source: "old" };
    wrongCluster.spec.enableSuperUserAccess = true;
    expect(validator.validate(wrongCluster).map((f) => f.message)).toEqual([
      'spec: unknown field "enableSuperUserAccess"',
      'spec.bootstrap must NOT have more than 1 properties, got object',
      'spec.primaryUpdateStrategy: "automatic" is not one of unsupervised, supervised',
    ]);

    const wrongDatabase = structuredClone(cnpgDatabase) as unknown as { spec: Record<string, unknown> };
    delete wrongDatabase.spec.owner;
    wrongDatabase.spec.databaseReclaimPolicy = "keep";
    expect(validator.validate(wrongDatabase).map((f) => f.message)).toEqual([
      'spec: missing required field "owner"',
      'spec.databaseReclaimPolicy: "keep" is not one of retain, delete',
    ]);
  });
});
