import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { INGRESS_CLASS } from "../ingress-nginx/component.ts";
import { type ChartValues, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export interface ArgoRolloutsValues {
  readonly replicas: number;
  readonly resources: { readonly controller: Size; readonly dashboard: Size };
  /** The Rollouts dashboard, behind the ingress controller at this host; none when undefined. */
  readonly dashboardHost?: string;
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export interface ChartResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/** The argo-rollouts chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type ArgoRolloutsChartValues = ChartValues<"argo-rollouts">;

const PORTS = { metrics: 8090, dashboard: 3100 } as const;
const size = (s: Size): ChartResources => ({ requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } });

export default defineComponent<ArgoRolloutsValues>({
  name: "argo-rollouts",
  description: "Argo Rollouts: canary and blue-green deliveries (Istio traffic splits, analysis from Prometheus).",
  namespace: "argo-rollouts",
  crds: [
    { group: "argoproj.io", kind: "Rollout", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "AnalysisTemplate", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "ClusterAnalysisTemplate", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "AnalysisRun", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "Experiment", versions: ["v1alpha1"] },
  ],
  chart: {
    repoURL: "https://argoproj.github.io/argo-helm",
    chart: "argo-rollouts",
    // Chart 2.41.0 ships Argo Rollouts v1.9.0. A downgrade from 2.41.1 (v1.9.1): 2.41.0 is the version
    // the chart mirror (GITOPS_CHART_MIRROR) holds.
    version: "2.41.0",
    values: (v): ArgoRolloutsChartValues => ({
      installCRDs: true,
      keepCRDs: true,
      controller: {
        // More than one replica: leader election, one active controller and hot standbys.
        replicas: v.replicas,
        resources: size(v.resources.controller),
        pdb: v.replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
        metrics: { enabled: true },
      },
      dashboard:
        v.dashboardHost === undefined
          ? { enabled: false }
          : {
              enabled: true,
              resources: size(v.resources.dashboard),
              containerSecurityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              ingress: { enabled: true, ingressClassName: INGRESS_CLASS, hosts: [v.dashboardHost] },
            },
    }),
  },
  values: {
    dev: {
      replicas: 1,
      resources: { controller: { cpu: "20m", memory: "128Mi" }, dashboard: { cpu: "10m", memory: "64Mi" } },
      dashboardHost: "rollouts.127.0.0.1.nip.io",
      quota: { cpu: "1", memory: "1Gi", pods: 10 },
    },
    prod: {
      replicas: 2,
      resources: { controller: { cpu: "100m", memory: "256Mi" }, dashboard: { cpu: "10m", memory: "64Mi" } },
      quota: { cpu: "2", memory: "2Gi", pods: 10 },
    },
  },
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: PORTS.metrics }] }],
      // Analysis runs query Prometheus.
      egressTo: [{ namespace: "monitoring", ports: [{ port: 9090 }] }],
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "128Mi" },
    }),
    ...(v.dashboardHost === undefined
      ? []
      : [
          new NetworkPolicy({
            metadata: { name: "allow-ingress-to-dashboard", namespace, labels: { "app.kubernetes.io/part-of": "argo-rollouts" } },
            spec: {
              podSelector: { matchLabels: { "app.kubernetes.io/component": "rollouts-dashboard" } },
              policyTypes: ["Ingress"],
              ingress: [
                {
                  from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
                  ports: [{ port: PORTS.dashboard, protocol: "TCP" }],
                },
              ],
            },
          }),
        ]),
  ],
});
