import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import certManager, { CLUSTER_ISSUER } from "../../infrastructure/cert-manager/component.ts";
import ingressNginx, { INGRESS_CLASS } from "../../infrastructure/ingress-nginx/component.ts";
import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface DocsValues {
  /** The Docusaurus build served by an unprivileged NGINX image (listens on 8080, runs as uid 101). */
  readonly image: { readonly repository: string; readonly tag: string };
  /** The autoscaler owns the replica count (the Deployment sets none, so self-heal never fights it). */
  readonly autoscaling: { readonly min: number; readonly max: number; readonly cpuUtilization: number };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly host: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

const name = "docs";
const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform-apps" };
const port = 8080;

export default defineComponent<DocsValues>({
  name,
  description: "The platform's Docusaurus documentation site: static pages served by unprivileged NGINX behind the ingress.",
  namespace: "docs",
  dependsOn: [certManager, ingressNginx],
  values: {
    dev: {
      image: { repository: "ghcr.io/acme/platform-docs", tag: "2.3.1" },
      autoscaling: { min: 1, max: 2, cpuUtilization: 80 },
      resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
      host: "docs.127.0.0.1.nip.io",
      quota: { cpu: "500m", memory: "512Mi", pods: 5 },
    },
    prod: {
      image: { repository: "ghcr.io/acme/platform-docs", tag: "2.3.1" },
      autoscaling: { min: 2, max: 5, cpuUtilization: 70 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      host: "docs.example.com",
      quota: { cpu: "1", memory: "1Gi", pods: 10 },
    },
  },
  resources: (v, { environment, namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "ingress-nginx", ports: [{ port }] }],
      quota: v.quota,
      defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "64Mi" },
    }),
    new Deployment({
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: "RuntimeDefault" } },
            topologySpreadConstraints: [
              { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } },
            ],
            containers: [
              {
                name,
                image: `${v.image.repository}:${v.image.tag}`,
                ports: [{ name: "http", containerPort: port }],
                resources: v.resources,
                readinessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/", port: "http" }, periodSeconds: 15 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                // NGINX writes its pid file and temp files (client bodies, proxy buffers) under /tmp.
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              },
            ],
            volumes: [{ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "16Mi" } }],
          },
        },
      },
    }),
    new Service({
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    }),
    new Ingress({
      metadata: { name, namespace, labels, annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER[environment] } },
      spec: {
        ingressClassName: INGRESS_CLASS,
        tls: [{ hosts: [v.host], secretName: `${name}-tls` }],
        rules: [{ host: v.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
      },
    }),
    new HorizontalPodAutoscaler({
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: v.autoscaling.min,
        maxReplicas: v.autoscaling.max,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: v.autoscaling.cpuUtilization } } }],
      },
    }),
    new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }),
  ],
});
