import { PeerAuthentication } from "@kubernetes-models/istio/security.istio.io/v1/PeerAuthentication";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import istioBase, { ISTIO_CHARTS, ISTIO_NAMESPACE, ISTIO_VERSION } from "../istio-base/component.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";

export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export interface IstiodValues {
  /** Mesh-wide mTLS: STRICT refuses plain-text traffic to sidecars, PERMISSIVE accepts both. */
  readonly mtls: "STRICT" | "PERMISSIVE";
  readonly replicas: { readonly min: number; readonly max: number };
  readonly resources: Size;
  /** Requests and limits of every injected sidecar (and gateway proxy). */
  readonly proxyResources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
  readonly accessLogs: boolean;
}

/** The istiod chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type IstiodChartValues = ChartValues<"istiod">;

const SYNC_WAVE = "argocd.argoproj.io/sync-wave";

/** istiod's ports: xDS and CA for proxies (15010 plain, 15012 TLS), webhooks (15017), metrics (15014). */
const PORTS = { xds: 15010, xdsTls: 15012, monitoring: 15014, webhook: 15017 } as const;

export default defineComponent<IstiodValues>({
  name: "istiod",
  description: "Istio's control plane: configures the sidecars and gateways, issues workload certificates (mTLS).",
  namespace: ISTIO_NAMESPACE,
  // istio-base creates the namespace and the CRDs.
  createNamespace: false,
  dependsOn: [istioBase],
  chart: {
    repoURL: ISTIO_CHARTS,
    chart: "istiod",
    version: ISTIO_VERSION,
    values: (v, { namespace }): IstiodChartValues => ({
      replicaCount: v.replicas.min,
      autoscaleEnabled: v.replicas.max > v.replicas.min,
      autoscaleMin: v.replicas.min,
      autoscaleMax: v.replicas.max,
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
      seccompProfile: { type: "RuntimeDefault" },
      meshConfig: { accessLogFile: v.accessLogs ? "/dev/stdout" : "", enablePrometheusMerge: true },
      global: {
        istioNamespace: namespace,
        defaultPodDisruptionBudget: { enabled: v.replicas.min > 1 },
        proxy: {
          resources: {
            requests: { cpu: v.proxyResources.cpu, memory: v.proxyResources.memory },
            limits: { memory: v.proxyResources.memoryLimit },
          },
        },
      },
    }),
  },
  values: {
    dev: {
      mtls: "PERMISSIVE",
      replicas: { min: 1, max: 1 },
      resources: { cpu: "100m", memory: "512Mi" },
      proxyResources: { cpu: "10m", memory: "64Mi", memoryLimit: "256Mi" },
      accessLogs: true,
    },
    prod: {
      mtls: "STRICT",
      replicas: { min: 2, max: 5 },
      resources: { cpu: "500m", memory: "2Gi" },
      proxyResources: { cpu: "100m", memory: "128Mi", memoryLimit: "512Mi" },
      accessLogs: false,
    },
  },
  resources: (v, { namespace }) => [
    // Mesh-wide: a PeerAuthentication named default in the root namespace applies to every workload.
    new PeerAuthentication({
      metadata: { name: "default", namespace, annotations: { [SYNC_WAVE]: "1" } },
      spec: { mtls: { mode: v.mtls } },
    }),
    // Sidecars and gateways in every namespace fetch config and certificates from istiod.
    new NetworkPolicy({
      metadata: { name: "allow-istiod-xds", namespace, labels: { "app.kubernetes.io/part-of": "istiod" } },
      spec: {
        podSelector: { matchLabels: { app: "istiod" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: {} }],
            ports: [
              { port: PORTS.xds, protocol: "TCP" },
              { port: PORTS.xdsTls, protocol: "TCP" },
            ],
          },
        ],
      },
    }),
    // The API server calls istiod's injection and validation webhooks; it is not a pod, so no peer selects it.
    new NetworkPolicy({
      metadata: { name: "allow-istiod-webhook", namespace, labels: { "app.kubernetes.io/part-of": "istiod" } },
      spec: {
        podSelector: { matchLabels: { app: "istiod" } },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: PORTS.webhook, protocol: "TCP" }] }],
      },
    }),
  ],
});
