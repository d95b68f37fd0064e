import { Gateway } from "@kubernetes-models/istio/networking.istio.io/v1/Gateway";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ISTIO_CHARTS, ISTIO_NAMESPACE, ISTIO_VERSION } from "../istio-base/component.ts";
import istiod from "../istiod/component.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface IstioGatewayValues {
  readonly replicas: { readonly min: number; readonly max: number };
  readonly resources: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
  /** LoadBalancer (MetalLB or a cloud load balancer) or NodePort. */
  readonly serviceType: "LoadBalancer" | "NodePort";
  readonly serviceAnnotations: Readonly<Record<string, string>>;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** The gateway chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type IstioGatewayChartValues = ChartValues<"gateway">;

/**
 * Labels of the gateway pods, for `Gateway.spec.selector`: the chart labels them `istio: <release name
 * without "istio-">`.
 */
export const GATEWAY_SELECTOR = { istio: "ingressgateway" } as const;
export const GATEWAY_NAMESPACE = "istio-ingress";
/** The shared Gateway that apps' VirtualServices bind to (`<namespace>/<name>`). */
export const PUBLIC_GATEWAY = `${GATEWAY_NAMESPACE}/public`;

/** Container ports of the gateway (the chart binds 80 and 443 through the unprivileged-port sysctl). */
const PORTS = { http: 80, https: 443, status: 15021, metrics: 15020 } as const;

export default defineComponent<IstioGatewayValues>({
  name: "istio-gateway",
  description: "The Istio ingress gateway: north-south traffic into the mesh (Gateway and VirtualService routing, traffic splits).",
  namespace: GATEWAY_NAMESPACE,
  dependsOn: [istiod],
  // The gateway pod's proxy is injected by istiod and binds ports 80/443 through a sysctl that
  // "baseline" allows; audit and warn still report against "restricted".
  podSecurity: "baseline",
  policyExceptions: [
    {
      rule: "image-pinned",
      objects: [{ kind: "Deployment", name: "istio-ingressgateway" }],
      reason: "The chart hard-codes image: auto, which istiod's injection webhook replaces with its own pinned proxy image.",
    },
  ],
  chart: {
    repoURL: ISTIO_CHARTS,
    chart: "gateway",
    version: ISTIO_VERSION,
    releaseName: "istio-ingressgateway",
    values: (v): IstioGatewayChartValues => ({
      replicaCount: v.replicas.min,
      autoscaling: {
        enabled: v.replicas.max > v.replicas.min,
        minReplicas: v.replicas.min,
        maxReplicas: v.replicas.max,
        targetCPUUtilizationPercentage: 80,
      },
      resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memoryLimit } },
      service: { type: v.serviceType, annotations: { ...v.serviceAnnotations }, externalTrafficPolicy: "Local" },
      podDisruptionBudget: v.replicas.min > 1 ? { minAvailable: 1 } : {},
      // The probe istiod's gateway injection template would add (the proxy's /healthz/ready on the
      // status port 15021, with Istio's default timings), written out so that the render shows it.
      readinessProbe: { httpGet: { path: "/healthz/ready", port: 15021 }, initialDelaySeconds: 0, periodSeconds: 15, timeoutSeconds: 3, failureThreshold: 4 },
    }),
  },
  values: {
    dev: {
      replicas: { min: 1, max: 1 },
      resources: { cpu: "50m", memory: "128Mi", memoryLimit: "512Mi" },
      serviceType: "LoadBalancer",
      serviceAnnotations: {},
      quota: { cpu: "2", memory: "4Gi", pods: 10 },
    },
    prod: {
      replicas: { min: 2, max: 5 },
      resources: { cpu: "200m", memory: "256Mi", memoryLimit: "1Gi" },
      serviceType: "LoadBalancer",
      serviceAnnotations: {},
      quota: { cpu: "4", memory: "8Gi", pods: 20 },
    },
  },
  resources: (v, { namespace }) => [
    new Gateway({
      metadata: { name: "public", namespace },
      spec: {
        selector: { ...GATEWAY_SELECTOR },
        servers: [{ port: { number: PORTS.http, name: "http", protocol: "HTTP" }, hosts: ["*"] }],
      },
    }),
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: PORTS.metrics }] }],
      // Config and certificates from istiod.
      egressTo: [{ namespace: ISTIO_NAMESPACE, pods: { app: "istiod" }, ports: [{ port: 15012 }] }],
      quota: v.quota,
      defaults: { cpu: "10m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    // Clients from anywhere (through the load balancer), and the load balancer's health checks.
    new NetworkPolicy({
      metadata: { name: "allow-gateway-traffic", namespace, labels: { "app.kubernetes.io/part-of": "istio-gateway" } },
      spec: {
        podSelector: { matchLabels: { ...GATEWAY_SELECTOR } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            ports: [
              { port: PORTS.http, protocol: "TCP" },
              { port: PORTS.https, protocol: "TCP" },
              { port: PORTS.status, protocol: "TCP" },
            ],
          },
        ],
        // The gateway forwards to the mesh's Services in every namespace.
        egress: [{ to: [{ namespaceSelector: {} }] }],
      },
    }),
  ],
});
