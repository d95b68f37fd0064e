import certManager, { CLUSTER_ISSUER } from "../../infrastructure/cert-manager/component.ts";
import ingressNginx, { INGRESS_CLASS } from "../../infrastructure/ingress-nginx/component.ts";
import { defineComponent } from "../../tools/model/index.ts";
import { webApp } from "../../tools/platform/web-app.ts";

export interface DocsValues {
  /** The Docusaurus build served by an unprivileged NGINX image (listens on 8080, runs as uid 101). */
  readonly image: { readonly repository: string; readonly tag: string };
  readonly replicas: number;
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
      replicas: 1,
      autoscaling: { min: 1, max: 2, cpuUtilization: 80 },
      resources: { requests: { cpu: "10m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
      host: "docs.127.0.0.1.nip.io",
      quota: { cpu: "500m", memory: "512Mi", pods: 5 },
    },
    prod: {
      image: { repository: "ghcr.io/acme/platform-docs", tag: "2.3.1" },
      replicas: 2,
      autoscaling: { min: 2, max: 5, cpuUtilization: 70 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "250m", memory: "128Mi" } },
      host: "docs.example.com",
      quota: { cpu: "1", memory: "1Gi", pods: 10 },
    },
  },
  resources: (v, { environment, namespace }) =>
    webApp({
      name,
      namespace,
      labels,
      image: `${v.image.repository}:${v.image.tag}`,
      port,
      replicas: v.replicas,
      resources: v.resources,
      runAs: { user: 101, group: 101 },
      // NGINX writes its pid file and temp files (client bodies, proxy buffers) under /tmp.
      tmp: "16Mi",
      ingress: { host: v.host, className: INGRESS_CLASS, clusterIssuer: CLUSTER_ISSUER[environment] },
      autoscaling: v.autoscaling,
      baseline: {
        ingressFrom: [{ namespace: "ingress-nginx", ports: [{ port }] }],
        quota: v.quota,
        defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "64Mi" },
      },
    }),
});
