import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface SealedSecretsValues {
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** How often the controller creates a new sealing key (old keys stay, so old SealedSecrets still open). */
  readonly keyRenewPeriod: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** The sealed-secrets chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type SealedSecretsChartValues = ChartValues<"sealed-secrets">;

/**
 * The controller's name and namespace, for `kubeseal --controller-name sealed-secrets-controller
 * --controller-namespace sealed-secrets` (kubeseal's default name, but not its default namespace).
 */
export const SEALED_SECRETS_CONTROLLER = { name: "sealed-secrets-controller", namespace: "sealed-secrets" } as const;

export default defineComponent<SealedSecretsValues>({
  name: "sealed-secrets",
  description: "Sealed Secrets: secrets committed to git encrypted, decrypted in the cluster by the controller.",
  // Its own namespace rather than the shared kube-system.
  namespace: SEALED_SECRETS_CONTROLLER.namespace,
  crds: [{ group: "bitnami.com", kind: "SealedSecret", versions: ["v1alpha1"] }],
  chart: {
    repoURL: "https://bitnami-labs.github.io/sealed-secrets",
    chart: "sealed-secrets",
    // Chart 2.18.5 ships controller 0.36.6 (the version of the project's CRD data).
    version: "2.18.5",
    values: (v): SealedSecretsChartValues => ({
      fullnameOverride: SEALED_SECRETS_CONTROLLER.name,
      // No `crd` key: the chart has none; its CRD is in the chart's crds/ folder, which Helm installs and never deletes.
      keyrenewperiod: v.keyRenewPeriod,
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
      metrics: { serviceMonitor: { enabled: false } },
      // The chart's defaults (non-root, read-only root filesystem, no capabilities) plus no privilege escalation.
      containerSecurityContext: {
        enabled: true,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 1001,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      },
    }),
  },
  values: {
    dev: {
      resources: { cpu: "10m", memory: "64Mi" },
      keyRenewPeriod: "720h",
      quota: { cpu: "500m", memory: "512Mi", pods: 5 },
    },
    prod: {
      resources: { cpu: "50m", memory: "128Mi" },
      keyRenewPeriod: "720h",
      quota: { cpu: "1", memory: "1Gi", pods: 5 },
    },
  },
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: 8081 }] }],
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "128Mi" },
    }),
    // `kubeseal --fetch-cert` and `--validate` reach the controller through the API server's service proxy.
    new NetworkPolicy({
      metadata: { name: "allow-kubeseal", namespace, labels: { "app.kubernetes.io/part-of": "sealed-secrets" } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "sealed-secrets" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: 8080, protocol: "TCP" }] }],
      },
    }),
  ],
});
