import { ClusterSecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ClusterSecretStore";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import vault, { VAULT_ADDRESS } from "../vault/component.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export interface ExternalSecretsValues {
  readonly replicas: { readonly controller: number; readonly webhook: number };
  readonly resources: { readonly controller: Size; readonly webhook: Size; readonly certController: Size };
  /** How External Secrets reaches Vault: the KV v2 mount and the Kubernetes auth role. */
  readonly vault: { readonly server: string; readonly path: string; readonly authMountPath: string; readonly role: string };
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export interface ChartResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/** The external-secrets chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type ExternalSecretsChartValues = ChartValues<"external-secrets">;

/** The store every ExternalSecret of the platform names in `secretStoreRef` (kind ClusterSecretStore). */
export const CLUSTER_SECRET_STORE = "vault";
/** The ServiceAccount whose tokens External Secrets presents to Vault's Kubernetes auth method. */
export const VAULT_AUTH_SERVICE_ACCOUNT = "external-secrets-vault";

const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
const size = (s: Size): ChartResources => ({ requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } });

export default defineComponent<ExternalSecretsValues>({
  name: "external-secrets",
  description: "External Secrets Operator: Kubernetes Secrets from HashiCorp Vault (ClusterSecretStore vault).",
  namespace: "external-secrets",
  dependsOn: [vault],
  crds: [
    { group: "external-secrets.io", kind: "ExternalSecret", versions: ["v1"] },
    { group: "external-secrets.io", kind: "ClusterExternalSecret", versions: ["v1"] },
    { group: "external-secrets.io", kind: "SecretStore", versions: ["v1"] },
    { group: "external-secrets.io", kind: "ClusterSecretStore", versions: ["v1"] },
    { group: "external-secrets.io", kind: "PushSecret", versions: ["v1alpha1"] },
    { group: "external-secrets.io", kind: "ClusterPushSecret", versions: ["v1alpha1"] },
    ...[
      "ACRAccessToken",
      "BeyondtrustWorkloadCredentialsDynamicSecret",
      "CloudsmithAccessToken",
      "ClusterGenerator",
      "ECRAuthorizationToken",
      "Fake",
      "GCRAccessToken",
      "GeneratorState",
      "GithubAccessToken",
      "GitlabDeployToken",
      "Grafana",
      "MFA",
      "Password",
      "QuayAccessToken",
      "SSHKey",
      "STSSessionToken",
      "UUID",
      "VaultDynamicSecret",
      "Webhook",
    ].map((kind) => ({ group: "generators.external-secrets.io", kind, versions: ["v1alpha1"] })),
  ],
  chart: {
    repoURL: "https://charts.external-secrets.io",
    chart: "external-secrets",
    // The chart is versioned with the operator: 2.9.0 ships v2.9.0 (the version of the project's CRD data).
    version: "2.9.0",
    values: (v): ExternalSecretsChartValues => ({
      installCRDs: true,
      replicaCount: v.replicas.controller,
      leaderElect: v.replicas.controller > 1,
      resources: size(v.resources.controller),
      podDisruptionBudget: { enabled: v.replicas.controller > 1, minAvailable: 1 },
      serviceMonitor: { enabled: false },
      metrics: { service: { enabled: true } },
      // The chart's probes, off by default: the controller's health server (--live-addr, /healthz and
      // /readyz), and /healthz on the webhook's and cert controller's health port, next to the /readyz
      // the chart already probes.
      livenessProbe: { enabled: true },
      readinessProbe: { enabled: true },
      webhook: {
        replicaCount: v.replicas.webhook,
        resources: size(v.resources.webhook),
        podDisruptionBudget: { enabled: v.replicas.webhook > 1, minAvailable: 1 },
        livenessProbe: { enabled: true },
      },
      certController: { resources: size(v.resources.certController), livenessProbe: { enabled: true } },
    }),
  },
  values: {
    dev: {
      replicas: { controller: 1, webhook: 1 },
      resources: {
        controller: { cpu: "10m", memory: "128Mi" },
        webhook: { cpu: "10m", memory: "64Mi" },
        certController: { cpu: "10m", memory: "64Mi" },
      },
      vault: { server: VAULT_ADDRESS, path: "secret", authMountPath: "kubernetes", role: "external-secrets" },
      quota: { cpu: "1", memory: "1Gi", pods: 10 },
    },
    prod: {
      replicas: { controller: 2, webhook: 2 },
      resources: {
        controller: { cpu: "50m", memory: "256Mi" },
        webhook: { cpu: "20m", memory: "128Mi" },
        certController: { cpu: "20m", memory: "128Mi" },
      },
      vault: { server: VAULT_ADDRESS, path: "secret", authMountPath: "kubernetes", role: "external-secrets" },
      quota: { cpu: "2", memory: "2Gi", pods: 15 },
    },
  },
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: 8080 }] }],
      egressTo: [{ namespace: "vault", ports: [{ port: 8200 }] }],
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "128Mi" },
    }),
    // The API server calls the validating webhook (port 10250); it is not a pod, so no peer selects it.
    new NetworkPolicy({
      metadata: { name: "allow-webhook", namespace, labels: { "app.kubernetes.io/part-of": "external-secrets" } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "external-secrets-webhook" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: 10250, protocol: "TCP" }] }],
      },
    }),
    new ServiceAccount({
      metadata: { name: VAULT_AUTH_SERVICE_ACCOUNT, namespace, labels: { "app.kubernetes.io/part-of": "external-secrets" } },
      automountServiceAccountToken: false,
    }),
    // Vault's side (KV v2 at `secret`, the Kubernetes auth role bound to the ServiceAccount above) is
    // configured when Vault is initialised; this store only points at it.
    new ClusterSecretStore({
      metadata: { name: CLUSTER_SECRET_STORE, annotations: { [SYNC_WAVE]: "1" } },
      spec: {
        provider: {
          vault: {
            server: v.vault.server,
            path: v.vault.path,
            version: "v2",
            auth: {
              kubernetes: {
                mountPath: v.vault.authMountPath,
                role: v.vault.role,
                serviceAccountRef: { name: VAULT_AUTH_SERVICE_ACCOUNT, namespace },
              },
            },
          },
        },
      },
    }),
  ],
});
