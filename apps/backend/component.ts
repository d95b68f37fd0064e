import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Service } from "kubernetes-models/v1/Service";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import certManager, { CLUSTER_ISSUER } from "../../infrastructure/cert-manager/component.ts";
import ingressNginx, { INGRESS_CLASS } from "../../infrastructure/ingress-nginx/component.ts";
import { defineComponent } from "../../tools/model/index.ts";

export interface BackendValues {
  readonly image: { readonly repository: string; readonly tag: string };
  readonly replicas: number;
  readonly autoscaling: { readonly min: number; readonly max: number; readonly cpuUtilization: number };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly host: string;
  readonly logLevel: "debug" | "info" | "warn";
  /** Keep at least this many pods through voluntary disruptions; no PodDisruptionBudget when undefined. */
  readonly minAvailable?: number;
}

const name = "backend";
const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "platform-apps" };
const port = 8080;

export default defineComponent<BackendValues>({
  name,
  description: "The sample API service: a stateless HTTP backend behind the ingress controller.",
  namespace: "backend",
  dependsOn: [certManager, ingressNginx],
  values: {
    dev: {
      image: { repository: "ghcr.io/acme/backend", tag: "1.4.2" },
      replicas: 1,
      autoscaling: { min: 1, max: 3, cpuUtilization: 80 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      host: "backend.127.0.0.1.nip.io",
      logLevel: "debug",
    },
    prod: {
      image: { repository: "ghcr.io/acme/backend", tag: "1.4.2" },
      replicas: 3,
      autoscaling: { min: 2, max: 10, cpuUtilization: 70 },
      resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
      host: "api.example.com",
      logLevel: "info",
      minAvailable: 2,
    },
  },
  resources: (v, { environment, namespace }) => [
    new ConfigMap({
      metadata: { name: `${name}-config`, namespace, labels },
      data: { LOG_LEVEL: v.logLevel, HTTP_PORT: String(port) },
    }),
    new Deployment({
      metadata: { name, namespace, labels },
      spec: {
        replicas: v.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name,
                image: `${v.image.repository}:${v.image.tag}`,
                ports: [{ name: "http", containerPort: port }],
                envFrom: [{ configMapRef: { name: `${name}-config` } }],
                resources: v.resources,
                readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ["ALL"] },
                },
              },
            ],
          },
        },
      },
    }),
    new Service({
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
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
    new Ingress({
      metadata: { name, namespace, labels, annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER[environment] } },
      spec: {
        ingressClassName: INGRESS_CLASS,
        tls: [{ hosts: [v.host], secretName: `${name}-tls` }],
        rules: [{ host: v.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
      },
    }),
    ...(v.minAvailable === undefined
      ? []
      : [new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { minAvailable: v.minAvailable, selector: { matchLabels: labels } } })]),
  ],
});
