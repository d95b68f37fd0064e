import { defineComponent } from "../../tools/model/index.ts";

export interface IngressNginxValues {
  readonly replicas: number;
  /** How the controller's Service is exposed: a LoadBalancer (MetalLB or a cloud LB) or NodePorts. */
  readonly serviceType: "LoadBalancer" | "NodePort";
  readonly resources: { readonly cpu: string; readonly memory: string };
  /** Annotations for the controller Service (a cloud load balancer's settings). */
  readonly serviceAnnotations: Readonly<Record<string, string>>;
}

/** The subset of the ingress-nginx chart's values this platform sets. */
export interface IngressNginxChartValues {
  controller: {
    replicaCount: number;
    ingressClassResource: { name: string; default: boolean };
    service: { type: string; annotations: Record<string, string>; externalTrafficPolicy: "Local" | "Cluster" };
    resources: { requests: { cpu: string; memory: string }; limits: { memory: string } };
    metrics: { enabled: boolean; serviceMonitor: { enabled: boolean } };
    podDisruptionBudget?: { enabled: boolean; minAvailable: number };
    admissionWebhooks: { enabled: boolean };
  };
}

/** The IngressClass name every Ingress of the platform uses. */
export const INGRESS_CLASS = "nginx";

export default defineComponent<IngressNginxValues>({
  name: "ingress-nginx",
  description: "The NGINX ingress controller: routes HTTP(S) from the load balancer to Services.",
  namespace: "ingress-nginx",
  chart: {
    repoURL: "https://kubernetes.github.io/ingress-nginx",
    chart: "ingress-nginx",
    version: "4.13.3",
    values: (v): IngressNginxChartValues => ({
      controller: {
        replicaCount: v.replicas,
        ingressClassResource: { name: INGRESS_CLASS, default: true },
        service: { type: v.serviceType, annotations: { ...v.serviceAnnotations }, externalTrafficPolicy: "Local" },
        resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { memory: v.resources.memory } },
        metrics: { enabled: true, serviceMonitor: { enabled: false } },
        ...(v.replicas > 1 ? { podDisruptionBudget: { enabled: true, minAvailable: 1 } } : {}),
        admissionWebhooks: { enabled: true },
      },
    }),
  },
  values: {
    dev: { replicas: 1, serviceType: "LoadBalancer", resources: { cpu: "50m", memory: "128Mi" }, serviceAnnotations: {} },
    prod: { replicas: 2, serviceType: "LoadBalancer", resources: { cpu: "200m", memory: "256Mi" }, serviceAnnotations: {} },
  },
});
