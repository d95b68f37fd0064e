import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface VaultValues {
  /** standalone: one server, file storage. ha: a Raft cluster of `replicas` servers (integrated storage). */
  readonly mode: { readonly type: "standalone" } | { readonly type: "ha"; readonly replicas: number };
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** Size of each server's data volume. */
  readonly storageSize: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

interface SecurityContexts {
  pod: {
    runAsNonRoot: boolean;
    runAsUser: number;
    runAsGroup: number;
    fsGroup: number;
    seccompProfile: { type: "RuntimeDefault" };
  };
  container: { allowPrivilegeEscalation: boolean; readOnlyRootFilesystem: boolean; capabilities: { drop: string[] } };
}

/** The vault chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type VaultChartValues = ChartValues<"vault">;

/** The Service address other components use; the release is named vault, in namespace vault. */
export const VAULT_ADDRESS = "http://vault.vault.svc:8200";

const LISTENER = `listener "tcp" {
  tls_disable     = 1
  address         = "[::]:8200"
  cluster_address = "[::]:8201"
  telemetry {
    unauthenticated_metrics_access = "true"
  }
}`;

const TELEMETRY = `telemetry {
  prometheus_retention_time = "30s"
  disable_hostname          = true
}`;

/** Server configuration (HCL). mlock stays off: the container has no IPC_LOCK capability (restricted Pod Security). */
export function vaultConfig(mode: VaultValues["mode"]): string {
  if (mode.type === "standalone") {
    return ["ui = true", "disable_mlock = true", LISTENER, `storage "file" {\n  path = "/vault/data"\n}`, TELEMETRY, ""].join("\n\n");
  }
  const joins = Array.from(
    { length: mode.replicas },
    (_, i) => `  retry_join {\n    leader_api_addr = "http://vault-${i}.vault-internal:8200"\n  }`,
  ).join("\n");
  return [
    "ui = true",
    "disable_mlock = true",
    LISTENER,
    `storage "raft" {\n  path = "/vault/data"\n${joins}\n}`,
    `service_registration "kubernetes" {}`,
    TELEMETRY,
    "",
  ].join("\n\n");
}

export default defineComponent<VaultValues>({
  name: "vault",
  description: "HashiCorp Vault: the platform's secret store (Raft HA in prod), read by External Secrets.",
  namespace: "vault",
  chart: {
    repoURL: "https://helm.releases.hashicorp.com",
    chart: "vault",
    version: "0.34.1",
    values: (v): VaultChartValues => ({
      global: { tlsDisable: true },
      injector: { enabled: false },
      ui: { enabled: true },
      server: {
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        dataStorage: { enabled: true, size: v.storageSize },
        standalone: v.mode.type === "standalone" ? { enabled: true, config: vaultConfig(v.mode) } : { enabled: false },
        ha:
          v.mode.type === "ha"
            ? { enabled: true, replicas: v.mode.replicas, raft: { enabled: true, setNodeId: true, config: vaultConfig(v.mode) } }
            : { enabled: false },
        // The Kubernetes auth method (used by External Secrets) reviews tokens with system:auth-delegator.
        authDelegator: { enabled: true },
        // Clients reach Vault through the `vault` Service (VAULT_ADDRESS), where a standby forwards to the
        // leader; nothing uses the vault-active/vault-standby Services, whose selectors match only a label
        // Vault sets on its pods at run time.
        service: { active: { enabled: false }, standby: { enabled: false } },
        // Liveness asks only whether the server answers HTTP: /v1/sys/health answers 503 when sealed and
        // 501 when not initialised, and a restart would not unseal or initialise it (an operator does), so
        // both count as alive here; the chart's readiness probe still keeps a sealed server out of the Service.
        livenessProbe: { enabled: true, path: "/v1/sys/health?standbyok=true&sealedcode=204&uninitcode=204" },
        // A read-only root filesystem: the server writes its data to /vault/data (the volume above), the
        // chart's start command renders the configuration into /tmp (an emptyDir here), and HOME
        // (/home/vault) is already an emptyDir of the chart.
        volumes: [{ name: "tmp", emptyDir: {} }],
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
        statefulSet: {
          securityContext: {
            pod: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
            container: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
          },
        },
      },
    }),
  },
  values: {
    dev: {
      mode: { type: "standalone" },
      resources: { cpu: "50m", memory: "256Mi" },
      storageSize: "1Gi",
      quota: { cpu: "1", memory: "1Gi", pods: 5 },
    },
    prod: {
      mode: { type: "ha", replicas: 3 },
      resources: { cpu: "250m", memory: "512Mi" },
      storageSize: "10Gi",
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
  },
  policyExceptions: [
    {
      rule: "config-change-restarts",
      objects: [{ kind: "StatefulSet", name: "vault" }],
      reason:
        "a restarted Vault server comes back sealed and waits for an operator to unseal it, so a configuration change is rolled out by hand, pod by pod (the chart's OnDelete update strategy), never by a checksum-triggered restart",
    },
  ],
  resources: (v, { namespace }) =>
    namespaceBaseline({
      namespace,
      // The API (8200) for External Secrets and metrics scrapes; Raft (8201) stays inside the namespace.
      ingressFrom: [
        { namespace: "external-secrets", ports: [{ port: 8200 }] },
        { namespace: "monitoring", ports: [{ port: 8200 }] },
      ],
      // Token reviews (Kubernetes auth method) and service registration.
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "128Mi" },
    }),
});
