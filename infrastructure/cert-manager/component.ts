import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { type ChartValues, type Environment, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

/** How the cluster's certificates are issued. */
export type IssuerValues =
  | { readonly type: "self-signed-ca"; readonly commonName: string }
  | { readonly type: "acme"; readonly email: string; readonly server: string; readonly ingressClass: string };

export interface CertManagerValues {
  readonly replicas: number;
  readonly issuer: IssuerValues;
  readonly resources: { readonly cpu: string; readonly memory: string };
}

/** The cert-manager chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type CertManagerChartValues = ChartValues<"cert-manager">;

/** Where the controller, webhook and cainjector serve Prometheus metrics (the chart's default). */
const METRICS_PORT = 9402;
/** The webhook's listening port (the chart's `webhook.securePort` default). */
const WEBHOOK_PORT = 10250;

/** The ClusterIssuer workloads reference in their Certificates and Ingress annotations. */
export const CLUSTER_ISSUER: Record<Environment, string> = { dev: "platform-ca", prod: "letsencrypt" };

export default defineComponent<CertManagerValues>({
  name: "cert-manager",
  description: "Issues and renews TLS certificates: a self-signed CA in dev, Let's Encrypt (ACME) in prod.",
  namespace: "cert-manager",
  crds: [
    { group: "cert-manager.io", kind: "Certificate", versions: ["v1"] },
    { group: "cert-manager.io", kind: "CertificateRequest", versions: ["v1"] },
    { group: "cert-manager.io", kind: "Issuer", versions: ["v1"] },
    { group: "cert-manager.io", kind: "ClusterIssuer", versions: ["v1"] },
    { group: "acme.cert-manager.io", kind: "Order", versions: ["v1"] },
    { group: "acme.cert-manager.io", kind: "Challenge", versions: ["v1"] },
  ],
  chart: {
    repoURL: "https://charts.jetstack.io",
    chart: "cert-manager",
    version: "v1.21.1",
    values: (v): CertManagerChartValues => {
      const resources = {
        requests: { cpu: v.resources.cpu, memory: v.resources.memory },
        limits: { memory: v.resources.memory },
      };
      const pdb = { enabled: v.replicas > 1, maxUnavailable: 1 };
      return {
        crds: { enabled: true, keep: true },
        replicaCount: v.replicas,
        podDisruptionBudget: pdb,
        resources,
        // The webhook and cainjector run as many replicas as the controller, each with its own PDB and
        // the same requests; the startup API check is a short Job, given the same small budget.
        webhook: { replicaCount: v.replicas, podDisruptionBudget: pdb, resources },
        cainjector: { replicaCount: v.replicas, podDisruptionBudget: pdb, resources },
        startupapicheck: { resources },
        prometheus: { enabled: true },
        securityContext: { runAsNonRoot: true },
      };
    },
  },
  values: {
    dev: {
      replicas: 1,
      issuer: { type: "self-signed-ca", commonName: "platform-dev-ca" },
      resources: { cpu: "10m", memory: "64Mi" },
    },
    prod: {
      replicas: 2,
      issuer: {
        type: "acme",
        email: "platform-team@example.com",
        server: "https://acme-v02.api.letsencrypt.org/directory",
        ingressClass: "nginx",
      },
      resources: { cpu: "50m", memory: "128Mi" },
    },
  },
  resources: (v, { environment, namespace }) => {
    const name = CLUSTER_ISSUER[environment];
    const network = [
      ...namespaceBaseline({
        namespace,
        // Prometheus scrapes the controller, the webhook and the cainjector (all on 9402).
        ingressFrom: [{ namespace: "monitoring", ports: [{ port: METRICS_PORT }] }],
        // The controller watches and writes cert-manager's resources, and talks to ACME servers on the
        // internet (Let's Encrypt, plus the HTTP-01 self-check through the public load balancer).
        apiServerEgress: true,
        internetEgress: true,
      }),
      // The API server calls the validating/mutating/conversion webhook (securePort 10250); it is not a pod,
      // so no peer selects it.
      new NetworkPolicy({
        metadata: { name: "allow-webhook", namespace, labels: { "app.kubernetes.io/part-of": "cert-manager" } },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/name": "webhook", "app.kubernetes.io/component": "webhook" } },
          policyTypes: ["Ingress"],
          ingress: [{ ports: [{ port: WEBHOOK_PORT, protocol: "TCP" }] }],
        },
      }),
    ];
    if (v.issuer.type === "self-signed-ca") {
      // A self-signed root signs a CA certificate, and the CA issuer signs everything else.
      return [
        ...network,
        new ClusterIssuer({ metadata: { name: "selfsigned" }, spec: { selfSigned: {} } }),
        new Certificate({
          metadata: { name: "platform-ca", namespace },
          spec: {
            isCA: true,
            commonName: v.issuer.commonName,
            secretName: "platform-ca",
            duration: "87600h",
            privateKey: { algorithm: "ECDSA", size: 256 },
            issuerRef: { name: "selfsigned", kind: "ClusterIssuer", group: "cert-manager.io" },
          },
        }),
        new ClusterIssuer({ metadata: { name }, spec: { ca: { secretName: "platform-ca" } } }),
      ];
    }
    return [
      ...network,
      new ClusterIssuer({
        metadata: { name },
        spec: {
          acme: {
            email: v.issuer.email,
            server: v.issuer.server,
            privateKeySecretRef: { name: "letsencrypt-account-key" },
            solvers: [{ http01: { ingress: { ingressClassName: v.issuer.ingressClass } } }],
          },
        },
      }),
    ];
  },
});
