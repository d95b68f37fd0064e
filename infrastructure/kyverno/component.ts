import { Namespace } from "kubernetes-models/v1/Namespace";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import argoRollouts from "../argo-rollouts/component.ts";
import { POLICY_EXCEPTION_NAMESPACE, defineComponent, type ChartValues, type CrdKind, type DeclaredPolicyException } from "../../tools/model/index.ts";
import { kyvernoPolicies, kyvernoPolicyExceptions, type KyvernoSettings } from "../../tools/lint/kyverno.ts";
import { RESOURCE_FILTERS } from "../../tools/lint/kyverno-config.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

type Controller = "admission" | "background" | "cleanup" | "reports";

/**
 * Chart workloads the platform runs that need an exception from an enforced rule. Offline lint cannot
 * see chart contents, so these are stated here, per namespace and rule, each with its reason.
 */
export const CHART_EXEMPTIONS: KyvernoSettings["exemptions"] = [
  {
    namespaces: ["metallb-system"],
    rules: ["no-host-namespaces", "run-as-non-root", "no-privilege-escalation"],
    reason: "the MetalLB speaker answers ARP for service addresses on the node's network (hostNetwork, NET_RAW)",
  },
  {
    namespaces: ["istio-ingress"],
    rules: ["image-pinned"],
    reason: "the gateway chart's image is `auto`: istiod's injector replaces it with the pinned proxy image at admission",
  },
  {
    namespaces: ["monitoring"],
    rules: ["no-host-namespaces", "no-host-path", "run-as-non-root"],
    reason: "node-exporter reads the node's /proc and /sys on the host network; the log agent tails /var/log/pods",
  },
  {
    namespaces: ["velero"],
    rules: ["no-host-path", "run-as-non-root"],
    reason: "the Velero node agent reads pod volumes from /var/lib/kubelet/pods to back them up",
  },
];

export interface KyvernoValues {
  readonly replicas: Readonly<Record<Controller, number>>;
  readonly resources: Readonly<Record<Controller, Size>>;
  /**
   * The cluster's policy settings (the same as `policy` in cluster.ts, which lint uses): rules off,
   * severities, allowed registries, digests. A cluster passes its own through this component's values.
   */
  readonly policy: Omit<KyvernoSettings, "environment"> & {
    /** Every typed exception the cluster's components declare; each becomes a PolicyException. */
    readonly exceptions?: readonly DeclaredPolicyException[];
  };
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export interface ChartResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

interface ControllerValues {
  replicas: number;
  resources: ChartResources;
  podDisruptionBudget: { enabled: boolean; minAvailable: number };
}

/** The kyverno chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type KyvernoChartValues = ChartValues<"kyverno">;

const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
const size = (s: Size): ChartResources => ({ requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } });
const pdb = (replicas: number) => ({ enabled: replicas > 1, minAvailable: 1 });

const crd = (group: string, versions: string[], kinds: string[]): CrdKind[] => kinds.map((kind) => ({ group, kind, versions }));

export default defineComponent<KyvernoValues>({
  name: "kyverno",
  description: "Kyverno: admission policies generated from the platform's lint rules (Audit in dev, Enforce in prod).",
  namespace: "kyverno",
  // The generated policies also match argoproj.io/v1alpha1 Rollout (settings.argoRollouts, on by
  // default), and Kyverno refuses a policy naming a kind the API server does not serve: the
  // Rollout CRD must exist first.
  dependsOn: [argoRollouts],
  crds: [
    ...crd("kyverno.io", ["v1", "v2beta1"], ["ClusterPolicy", "Policy"]),
    ...crd("kyverno.io", ["v2", "v2beta1"], ["PolicyException", "ClusterCleanupPolicy", "CleanupPolicy"]),
    ...crd("kyverno.io", ["v2"], ["UpdateRequest"]),
    ...crd("kyverno.io", ["v2", "v2alpha1", "v2beta1"], ["GlobalContextEntry"]),
    ...crd("policies.kyverno.io", ["v1", "v1alpha1", "v1beta1"], [
      "ValidatingPolicy",
      "ImageValidatingPolicy",
      "MutatingPolicy",
      "GeneratingPolicy",
      "DeletingPolicy",
      "PolicyException",
    ]),
    ...crd("policies.kyverno.io", ["v1", "v1beta1"], [
      "NamespacedValidatingPolicy",
      "NamespacedImageValidatingPolicy",
      "NamespacedMutatingPolicy",
      "NamespacedGeneratingPolicy",
      "NamespacedDeletingPolicy",
    ]),
    ...crd("reports.kyverno.io", ["v1"], ["EphemeralReport", "ClusterEphemeralReport"]),
    ...crd("wgpolicyk8s.io", ["v1alpha2"], ["PolicyReport", "ClusterPolicyReport"]),
  ],
  chart: {
    repoURL: "https://kyverno.github.io/kyverno",
    chart: "kyverno",
    // Chart 3.6.4 ships Kyverno v1.16.4. A downgrade from 3.9.0 (v1.19.0): 3.7.0 and later depend on
    // the kyverno-api chart, which the chart mirror (GITOPS_CHART_MIRROR) cannot hold; 3.6.4 is the
    // newest 3.x it has.
    version: "3.6.4",
    values: (v): KyvernoChartValues => ({
      crds: { install: true },
      config: { resourceFilters: [...RESOURCE_FILTERS], excludeKyvernoNamespace: true },
      // PolicyExceptions are honoured only from the one namespace only the platform's AppProject writes.
      features: { policyExceptions: { enabled: true, namespace: POLICY_EXCEPTION_NAMESPACE } },
      admissionController: {
        replicas: v.replicas.admission,
        container: { resources: size(v.resources.admission) },
        podDisruptionBudget: pdb(v.replicas.admission),
      },
      backgroundController: { replicas: v.replicas.background, resources: size(v.resources.background), podDisruptionBudget: pdb(v.replicas.background) },
      cleanupController: { replicas: v.replicas.cleanup, resources: size(v.resources.cleanup), podDisruptionBudget: pdb(v.replicas.cleanup) },
      reportsController: { replicas: v.replicas.reports, resources: size(v.resources.reports), podDisruptionBudget: pdb(v.replicas.reports) },
    }),
  },
  // One source of truth: the cluster's `policy` (which lint applies offline) becomes its Kyverno policies.
  fromCluster: (cluster) => ({
    policy: {
      ...cluster.policy,
      argoRollouts: cluster.components.includes("argo-rollouts"),
      exemptions: CHART_EXEMPTIONS,
      exceptions: (cluster.policyExceptions ?? []).map(({ source: _source, ...exception }) => exception),
    },
  }),
  values: {
    dev: {
      replicas: { admission: 1, background: 1, cleanup: 1, reports: 1 },
      resources: {
        admission: { cpu: "100m", memory: "256Mi" },
        background: { cpu: "50m", memory: "128Mi" },
        cleanup: { cpu: "20m", memory: "64Mi" },
        reports: { cpu: "50m", memory: "128Mi" },
      },
      policy: { argoRollouts: true, exemptions: CHART_EXEMPTIONS },
      quota: { cpu: "2", memory: "2Gi", pods: 15 },
    },
    prod: {
      // Kyverno's documented high-availability layout: three admission controllers, two of the others.
      replicas: { admission: 3, background: 2, cleanup: 2, reports: 2 },
      resources: {
        admission: { cpu: "250m", memory: "512Mi" },
        background: { cpu: "100m", memory: "256Mi" },
        cleanup: { cpu: "50m", memory: "128Mi" },
        reports: { cpu: "100m", memory: "256Mi" },
      },
      policy: { argoRollouts: true, exemptions: CHART_EXEMPTIONS },
      quota: { cpu: "4", memory: "6Gi", pods: 25 },
    },
  },
  resources: (v, { environment, namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "monitoring", ports: [{ port: 8000 }] }],
      apiServerEgress: true,
      quota: v.quota,
      defaults: { cpu: "10m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    // The API server calls the admission and cleanup webhooks; it is not a pod, so no peer selects it.
    new NetworkPolicy({
      metadata: { name: "allow-webhooks", namespace, labels: { "app.kubernetes.io/part-of": "kyverno" } },
      spec: {
        podSelector: { matchExpressions: [{ key: "app.kubernetes.io/component", operator: "In", values: ["admission-controller", "cleanup-controller"] }] },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ port: 9443, protocol: "TCP" }] }],
      },
    }),
    // The one namespace Kyverno reads PolicyExceptions from; only this (platform) Application writes it.
    new Namespace({
      metadata: {
        name: POLICY_EXCEPTION_NAMESPACE,
        labels: { "pod-security.kubernetes.io/enforce": "restricted", "app.kubernetes.io/part-of": "kyverno" },
      },
    }),
    // After the chart's CRDs and webhooks (a later wave of this Application).
    ...[...kyvernoPolicies({ environment, ...v.policy }), ...kyvernoPolicyExceptions(v.policy.exceptions ?? [], { environment, ...v.policy })].map((object) => ({
      ...object,
      metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [SYNC_WAVE]: "1" } },
    })),
  ],
});
