import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface IngressNginxValues {
  readonly replicas: number;
  /** How the controller's Service is exposed: a LoadBalancer (MetalLB or a cloud LB) or NodePorts. */
  readonly serviceType: "LoadBalancer" | "NodePort";
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** Annotations for the controller Service (a cloud load balancer's settings). */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  /**
   * Serve 80/443 through host ports on the node with these labels (kind: the host's ports map to that
   * node, the control plane; bootstrap/<cluster>/kind-config.yaml). @default none: only the Service.
   */
  readonly hostPortNode?: Readonly<Record<string, string>>;
}

/** The ingress-nginx chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type IngressNginxChartValues = ChartValues<"ingress-nginx">;

/** The IngressClass name every Ingress of the platform uses. */
export const INGRESS_CLASS = "nginx";

/** The controller's ports (the chart's defaults): HTTP, HTTPS, Prometheus metrics, admission webhook. */
const PORTS = { http: 80, https: 443, metrics: 10254, webhook: 8443 } as const;
/** The controller pods' labels (set by the chart). */
const CONTROLLER_SELECTOR = { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } as const;

const jobResources = { requests: { cpu: "10m", memory: "32Mi" }, limits: { memory: "64Mi" } };

export default defineComponent<IngressNginxValues>({
  name: "ingress-nginx",
  description: "The NGINX ingress controller: routes HTTP(S) from the load balancer to Services.",
  namespace: "ingress-nginx",
  chart: {
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    // Controller v1.15.1: the version the chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "4.15.1",
    values: (v): IngressNginxChartValues => ({
      controller: {
        replicaCount: v.replicas,
        ingressClassResource: { name: INGRESS_CLASS, default: true },
        service: { type: v.serviceType, annotations: { ...v.serviceAnnotations }, externalTrafficPolicy: "Local" },
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        metrics: { enabled: true, serviceMonitor: { enabled: false } },
        // The chart makes the PodDisruptionBudget itself when it runs more than one replica, from
        // `controller.minAvailable`; the `controller.podDisruptionBudget` set here before is no key of the chart.
        ...(v.replicas > 1 ? { minAvailable: 1 } : {}),
        // The jobs that create the webhook's certificate and patch its CA bundle (the chart leaves them unbounded).
        admissionWebhooks: { enabled: true, createSecretJob: { resources: jobResources }, patchWebhookJob: { resources: jobResources } },
        ...(v.hostPortNode
          ? {
              hostPort: { enabled: true },
              nodeSelector: { ...v.hostPortNode },
              tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists" as const, effect: "NoSchedule" as const }],
              updateStrategy: { type: "RollingUpdate" as const, rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
            }
          : {}),
      },
    }),
  },
  ingressClasses: [INGRESS_CLASS],
  policyExceptions: [
    {
      rule: "no-host-port",
      objects: [{ kind: "Deployment", name: "ingress-nginx-controller" }],
      reason: "With hostPortNode (kind), the host's ports 80/443 map to that node, and host ports are how they reach the controller.",
    },
    {
      rule: "read-only-root-fs",
      objects: [{ kind: "Deployment", name: "ingress-nginx-controller" }],
      reason:
        "The controller rewrites /etc/nginx/nginx.conf and /etc/nginx/lua/cfg.json on every change, next to files of the image that an emptyDir would hide, and stores certificates under /etc/ingress-controller; the project does not support a read-only root filesystem (kubernetes/ingress-nginx#9504).",
    },
  ],
  values: {
    dev: { replicas: 1, serviceType: "LoadBalancer", resources: { cpu: "50m", memory: "128Mi" }, serviceAnnotations: {} },
    prod: { replicas: 2, serviceType: "LoadBalancer", resources: { cpu: "200m", memory: "256Mi" }, serviceAnnotations: {} },
  },
  resources: (_v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: PORTS.metrics }] }],
      // The controller watches Ingresses, Services and EndpointSlices; the admission jobs patch the webhook's CA.
      apiServerEgress: true,
    }),
    // All external traffic arrives here (from the load balancer, client IPs preserved by
    // externalTrafficPolicy Local), and the API server calls the admission webhook: from anywhere.
    new NetworkPolicy({
      metadata: { name: "allow-controller-traffic", namespace, labels: { "app.kubernetes.io/part-of": "ingress-nginx" } },
      spec: {
        podSelector: { matchLabels: { ...CONTROLLER_SELECTOR } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            ports: [
              { port: PORTS.http, protocol: "TCP" },
              { port: PORTS.https, protocol: "TCP" },
              { port: PORTS.webhook, protocol: "TCP" },
            ],
          },
        ],
        // The controller proxies to Services in every namespace.
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    }),
  ],
});
