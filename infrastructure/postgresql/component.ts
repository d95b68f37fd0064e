import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { type ChartValues, type CustomResource, defineComponent } from "../../tools/model/index.ts";
import externalSecrets, { CLUSTER_SECRET_STORE } from "../external-secrets/component.ts";

/*
 * Why CloudNativePG and not the bitnami/postgresql chart: since August 2025 Bitnami publishes its
 * free images only as `latest` (versioned tags moved to the unmaintained `bitnamilegacy` repository),
 * so a pinned, patched bitnami/postgresql is no longer available. CloudNativePG is a CNCF operator
 * whose database is a typed custom resource: failover (3 instances in prod), rolling minor upgrades,
 * declarative roles and databases (one per consumer, passwords from Vault through ExternalSecrets),
 * PodDisruptionBudgets and TLS between clients and server come with it.
 */

/** The in-cluster PostgreSQL's name: CloudNativePG names its Services `<name>-rw` (primary), `-ro`, `-r`. */
export const POSTGRES_CLUSTER = "postgresql";
const namespace = "postgresql";

/** Where consumers connect: the read-write Service of the cluster (always the primary). */
export const POSTGRES = {
  host: `${POSTGRES_CLUSTER}-rw.${namespace}.svc`,
  port: 5432,
  /** host:port, as Grafana and Gitea write it. */
  address: `${POSTGRES_CLUSTER}-rw.${namespace}.svc:5432`,
} as const;

/** One consumer of the in-cluster PostgreSQL: its database, its login role and where Vault keeps the password. */
export interface PostgresTenant {
  readonly database: string;
  readonly user: string;
  /** Vault location (through the ClusterSecretStore) of the role's password, property `password`. */
  readonly vaultKey: string;
}

/** The databases this PostgreSQL serves; consumers read their password from the same Vault key. */
export const POSTGRES_TENANTS = {
  gitea: { database: "gitea", user: "gitea", vaultKey: "platform/postgresql/gitea" },
  grafana: { database: "grafana", user: "grafana", vaultKey: "platform/postgresql/grafana" },
} as const satisfies Record<string, PostgresTenant>;

export interface PostgresqlValues {
  /** PostgreSQL instances: 1 in dev, 3 (primary + 2 streaming replicas, automatic failover) in prod. */
  readonly instances: number;
  /** PostgreSQL image (CloudNativePG's operand images), pinned. */
  readonly image: string;
  readonly storage: { readonly size: string; readonly walSize?: string };
  readonly resources: { readonly cpu: string; readonly memory: string };
  readonly parameters: Readonly<Record<string, string>>;
  readonly operator: { readonly replicas: number; readonly resources: { readonly cpu: string; readonly memory: string } };
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** The cloudnative-pg chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type CloudNativePgChartValues = ChartValues<"cloudnative-pg">;

function roleSecret(tenant: PostgresTenant): ExternalSecret {
  // CloudNativePG reads a managed role's password from a basic-auth Secret; the reload label makes
  // it apply a rotated password without a restart.
  return new ExternalSecret({
    metadata: { name: `postgresql-role-${tenant.user}`, namespace },
    spec: {
      refreshInterval: "1h",
      secretStoreRef: { kind: "ClusterSecretStore", name: CLUSTER_SECRET_STORE },
      target: {
        name: `postgresql-role-${tenant.user}`,
        creationPolicy: "Owner",
        template: {
          type: "kubernetes.io/basic-auth",
          metadata: { labels: { "cnpg.io/reload": "true" } },
          data: { username: tenant.user, password: "{{ .password }}" },
        },
      },
      data: [{ secretKey: "password", remoteRef: { key: tenant.vaultKey, property: "password" } }],
    },
  });
}

/** CloudNativePG's kinds, typed from the pinned chart's CRDs (`gitops charts types`; loose until generated). */
type CnpgCluster = CustomResource<"postgresql.cnpg.io/v1", "Cluster">;
type CnpgDatabase = CustomResource<"postgresql.cnpg.io/v1", "Database">;

export default defineComponent<PostgresqlValues>({
  name: "postgresql",
  description: "In-cluster PostgreSQL (CloudNativePG operator and a Cluster) holding the Gitea and Grafana databases.",
  namespace,
  dependsOn: [externalSecrets],
  crds: [
    { group: "postgresql.cnpg.io", kind: "Cluster", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "Database", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "Backup", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "ScheduledBackup", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "Pooler", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "Publication", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "Subscription", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "ImageCatalog", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "ClusterImageCatalog", versions: ["v1"] },
    { group: "postgresql.cnpg.io", kind: "FailoverQuorum", versions: ["v1"] },
  ],
  chart: {
    repoURL: "https://cloudnative-pg.github.io/charts",
    chart: "cloudnative-pg",
    version: "0.29.0",
    releaseName: "cnpg",
    values: (v): CloudNativePgChartValues => ({
      replicaCount: v.operator.replicas,
      crds: { create: true },
      // One operator per cluster, watching every namespace (it only finds Clusters here today).
      config: { clusterWide: true },
      resources: {
        requests: { cpu: v.operator.resources.cpu, memory: v.operator.resources.memory },
        limits: { memory: v.operator.resources.memory },
      },
      // Monitors live with kube-prometheus-stack (which depends on this component), not here.
      monitoring: { podMonitorEnabled: false, grafanaDashboard: { create: false } },
    }),
  },
  values: {
    dev: {
      instances: 1,
      image: "ghcr.io/cloudnative-pg/postgresql:17.5",
      storage: { size: "2Gi" },
      resources: { cpu: "100m", memory: "256Mi" },
      parameters: { max_connections: "100", shared_buffers: "64MB" },
      operator: { replicas: 1, resources: { cpu: "50m", memory: "128Mi" } },
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
    prod: {
      instances: 3,
      image: "ghcr.io/cloudnative-pg/postgresql:17.5",
      storage: { size: "20Gi", walSize: "5Gi" },
      resources: { cpu: "500m", memory: "1Gi" },
      parameters: { max_connections: "200", shared_buffers: "256MB", wal_keep_size: "1GB" },
      operator: { replicas: 2, resources: { cpu: "100m", memory: "256Mi" } },
      quota: { cpu: "6", memory: "12Gi", pods: 15 },
    },
  },
  resources: (v) => {
    const tenants = Object.values(POSTGRES_TENANTS);
    const cluster: CnpgCluster = {
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Cluster",
      metadata: { name: POSTGRES_CLUSTER, namespace },
      spec: {
        instances: v.instances,
        imageName: v.image,
        primaryUpdateStrategy: "unsupervised",
        enableSuperuserAccess: false,
        enablePDB: true,
        storage: { size: v.storage.size },
        ...(v.storage.walSize ? { walStorage: { size: v.storage.walSize } } : {}),
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        postgresql: { parameters: { ...v.parameters } },
        affinity: { enablePodAntiAffinity: true, topologyKey: "kubernetes.io/hostname", podAntiAffinityType: v.instances > 1 ? "required" : "preferred" },
        bootstrap: { initdb: { database: "app", owner: "app" } },
        managed: {
          roles: tenants.map((t) => ({
            name: t.user,
            ensure: "present" as const,
            login: true,
            passwordSecret: { name: `postgresql-role-${t.user}` },
            comment: `owner of database ${t.database}`,
          })),
        },
      },
    };
    const databases: CnpgDatabase[] = tenants.map((t) => ({
      apiVersion: "postgresql.cnpg.io/v1",
      kind: "Database",
      metadata: { name: t.database, namespace },
      spec: { name: t.database, owner: t.user, cluster: { name: POSTGRES_CLUSTER }, ensure: "present", databaseReclaimPolicy: "retain" },
    }));
    return [
      ...namespaceBaseline({
        namespace,
        ingressFrom: [
          { namespace: "gitea", ports: [{ port: 5432 }] },
          // Grafana's database, and Prometheus scraping the instances (9187) and the operator (8080).
          { namespace: "monitoring", ports: [{ port: 5432 }, { port: 9187 }, { port: 8080 }] },
          // The API server calls the operator's admission webhook from outside the pod network.
          { cidr: "0.0.0.0/0", ports: [{ port: 9443 }] },
        ],
        apiServerEgress: true,
        quota: v.quota,
        defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
      }),
      ...tenants.map(roleSecret),
      // The chart makes no PodDisruptionBudget for the operator: keep one of its replicas through node drains.
      ...(v.operator.replicas > 1
        ? [
            new PodDisruptionBudget({
              metadata: { name: "cnpg-cloudnative-pg", namespace },
              spec: { maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg", "app.kubernetes.io/instance": "cnpg" } } },
            }),
          ]
        : []),
      cluster,
      ...databases,
    ];
  },
});
