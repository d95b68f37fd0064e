import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { CLUSTER_ISSUER } from "../cert-manager/component.ts";
import { INGRESS_CLASS } from "../ingress-nginx/component.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

/** CPU and memory of one container: requests, and a memory limit (no CPU limit, to avoid throttling). */
export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export interface ArgoCdValues {
  /** Host name of the Argo CD UI and API, served by the NGINX ingress controller. */
  readonly host: string;
  /** Highly available: replicated controller, server, repo-server and ApplicationSet controller, Redis HA. */
  readonly ha: boolean;
  readonly replicas: {
    readonly controller: number;
    readonly server: number;
    readonly repoServer: number;
    readonly applicationSet: number;
  };
  readonly resources: {
    readonly controller: Size;
    readonly server: Size;
    readonly repoServer: Size;
    readonly applicationSet: Size;
    readonly notifications: Size;
    readonly redis: Size;
    readonly haproxy: Size;
    readonly sentinel: Size;
  };
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

/** requests + memory limit, as every chart below takes them. */
export interface ChartResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/** The argo-cd chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type ArgoCdChartValues = ChartValues<"argo-cd">;

/**
 * Argo CD's documented health check for `argoproj.io/Application` (removed from Argo CD in 1.8): an
 * app-of-apps parent then waits, wave by wave, until each child Application reports Healthy.
 */
export const APPLICATION_HEALTH_LUA = `hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil then
  if obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
end
return hs
`;

/** Short-lived helper containers (init containers, hook Jobs): every container sets resources (lint rule resources-set, enforced by Kyverno in prod). */
const SMALL: Size = { cpu: "10m", memory: "64Mi" };
const size = (s: Size): ChartResources => ({ requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } });

/** Ports of the Argo CD pods (the chart's defaults). */
const PORTS = {
  server: 8080,
  serverMetrics: 8083,
  controllerMetrics: 8082,
  repoServerMetrics: 8084,
  applicationSetWebhook: 7000,
  applicationSetMetrics: 8080,
  notificationsMetrics: 9001,
} as const;

export default defineComponent<ArgoCdValues>({
  name: "argo-cd",
  description: "Argo CD, managing itself: syncs every cluster from git (app-of-apps, sync waves wait for Healthy child apps).",
  namespace: "argocd",
  crds: [
    { group: "argoproj.io", kind: "Application", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "ApplicationSet", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "AppProject", versions: ["v1alpha1"] },
  ],
  chart: {
    repoURL: "https://argoproj.github.io/argo-helm",
    chart: "argo-cd",
    // Chart 10.1.1 ships Argo CD v3.4.4. A downgrade from 10.3.3 (v3.5.1): 10.1.1 is the newest
    // version the chart mirror (GITOPS_CHART_MIRROR) holds, and render templates what it can pull.
    version: "10.1.1",
    // Object names as in the upstream manifests (argocd-server, argocd-repo-server, …), so the
    // release the bootstrap script installs is the one this Application adopts.
    releaseName: "argocd",
    values: (v, { environment }): ArgoCdChartValues => {
      const pdb = v.ha ? { enabled: true, minAvailable: 1 } : { enabled: false };
      return {
        global: { domain: v.host },
        crds: { install: true, keep: true },
        configs: {
          cm: {
            url: `https://${v.host}`,
            "resource.customizations.health.argoproj.io_Application": APPLICATION_HEALTH_LUA,
          },
          // TLS ends at the ingress controller.
          params: { "server.insecure": true },
        },
        controller: { replicas: v.replicas.controller, resources: size(v.resources.controller), pdb, metrics: { enabled: true } },
        server: {
          replicas: v.replicas.server,
          resources: size(v.resources.server),
          pdb,
          metrics: { enabled: true },
          ingress: {
            enabled: true,
            ingressClassName: INGRESS_CLASS,
            hostname: v.host,
            annotations: { "cert-manager.io/cluster-issuer": CLUSTER_ISSUER[environment] },
            tls: true,
          },
        },
        repoServer: {
          replicas: v.replicas.repoServer,
          resources: size(v.resources.repoServer),
          copyutil: { resources: size(SMALL) },
          pdb,
          metrics: { enabled: true },
        },
        // The chart's probes are off by default: a TCP check of the health port (8081) and of the
        // notifications controller's metrics port, and Redis's own redis-cli ping scripts.
        applicationSet: {
          replicas: v.replicas.applicationSet,
          resources: size(v.resources.applicationSet),
          pdb,
          metrics: { enabled: true },
          livenessProbe: { enabled: true },
          readinessProbe: { enabled: true },
        },
        notifications: {
          enabled: true,
          resources: size(v.resources.notifications),
          metrics: { enabled: true },
          livenessProbe: { enabled: true },
          readinessProbe: { enabled: true },
        },
        dex: { enabled: false },
        redis: { resources: size(v.resources.redis), livenessProbe: { enabled: true }, readinessProbe: { enabled: true } },
        redisSecretInit: { resources: size(SMALL) },
        "redis-ha": v.ha
          ? {
              enabled: true,
              redis: { resources: size(v.resources.redis) },
              haproxy: { resources: size(v.resources.haproxy), init: { resources: size(SMALL) }, podDisruptionBudget: { maxUnavailable: 1 } },
              sentinel: { resources: size(v.resources.sentinel) },
              init: { resources: size(SMALL) },
              splitBrainDetection: { resources: size(SMALL) },
              // One Redis (and its sentinel) at a time: the sentinels keep their quorum through a drain.
              podDisruptionBudget: { maxUnavailable: 1 },
            }
          : { enabled: false },
      };
    },
  },
  values: {
    dev: {
      host: "argocd.127.0.0.1.nip.io",
      ha: false,
      replicas: { controller: 1, server: 1, repoServer: 1, applicationSet: 1 },
      resources: {
        controller: { cpu: "100m", memory: "512Mi" },
        server: { cpu: "50m", memory: "128Mi" },
        repoServer: { cpu: "50m", memory: "256Mi" },
        applicationSet: { cpu: "20m", memory: "64Mi" },
        notifications: { cpu: "20m", memory: "64Mi" },
        redis: { cpu: "20m", memory: "64Mi" },
        haproxy: { cpu: "20m", memory: "64Mi" },
        sentinel: { cpu: "10m", memory: "32Mi" },
      },
      quota: { cpu: "2", memory: "4Gi", pods: 20 },
    },
    prod: {
      host: "argocd.example.com",
      ha: true,
      replicas: { controller: 2, server: 2, repoServer: 2, applicationSet: 2 },
      resources: {
        controller: { cpu: "500m", memory: "2Gi" },
        server: { cpu: "100m", memory: "256Mi" },
        repoServer: { cpu: "250m", memory: "1Gi" },
        applicationSet: { cpu: "50m", memory: "128Mi" },
        notifications: { cpu: "50m", memory: "128Mi" },
        redis: { cpu: "100m", memory: "256Mi" },
        haproxy: { cpu: "50m", memory: "64Mi" },
        sentinel: { cpu: "20m", memory: "32Mi" },
      },
      quota: { cpu: "8", memory: "16Gi", pods: 40 },
    },
  },
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      // Git webhooks from Gitea (the ingress controller's access to the server is below), metrics scrapes.
      ingressFrom: [
        { namespace: "gitea", ports: [{ port: PORTS.server }, { port: PORTS.applicationSetWebhook }] },
        {
          namespace: "monitoring",
          ports: [
            { port: PORTS.serverMetrics },
            { port: PORTS.controllerMetrics },
            { port: PORTS.repoServerMetrics },
            { port: PORTS.applicationSetMetrics },
            { port: PORTS.notificationsMetrics },
          ],
        },
      ],
      // The repo-server fetches git repositories (in-cluster Gitea, or on the internet) and Helm charts.
      // Gitea's HTTP port 3000 and SSH port 2222 (rootless Gitea's built-in SSH server; GITEA in
      // infrastructure/gitea/component.ts, not imported so that argo-cd does not depend on gitea).
      egressTo: [{ namespace: "gitea", ports: [{ port: 3000 }, { port: 2222 }] }],
      apiServerEgress: true,
      internetEgress: true,
      quota: v.quota,
      defaults: { cpu: "20m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    // The UI and API through the ingress controller: to the server pods only.
    new NetworkPolicy({
      metadata: { name: "allow-ingress-to-server", namespace, labels: { "app.kubernetes.io/part-of": "argo-cd" } },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "argocd-server" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
            ports: [{ port: PORTS.server, protocol: "TCP" }],
          },
        ],
      },
    }),
  ],
});
