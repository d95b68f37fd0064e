import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { type ChartValues, type CustomResource, type KubeObject, defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

/** MetalLB's kinds, typed from the pinned chart's CRDs (`gitops charts types`; loose until generated). */
type IPAddressPool = CustomResource<"metallb.io/v1beta1", "IPAddressPool">;
type L2Advertisement = CustomResource<"metallb.io/v1beta1", "L2Advertisement">;

export interface Size {
  readonly cpu: string;
  readonly memory: string;
}

export interface MetalLbValues {
  /**
   * Addresses MetalLB hands out to LoadBalancer Services: a range or CIDRs on the nodes' layer-2
   * network. The default is the top of kind's docker network (172.18.0.0/16).
   */
  readonly addresses: readonly string[];
  readonly resources: { readonly controller: Size; readonly speaker: Size };
  readonly logLevel: "debug" | "info" | "warn" | "error";
  readonly quota: { readonly cpu: string; readonly memory: string; readonly pods: number };
}

export interface ChartResources {
  requests: { cpu: string; memory: string };
  limits: { memory: string };
}

/** The metallb chart's values, typed from the chart itself (`gitops charts types`; loose until generated). */
export type MetalLbChartValues = ChartValues<"metallb">;

/** The pool every LoadBalancer Service draws from. */
export const ADDRESS_POOL = "default";

const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
const size = (s: Size): ChartResources => ({ requests: { cpu: s.cpu, memory: s.memory }, limits: { memory: s.memory } });

/** A typed MetalLB object as the plain object the pipeline takes (there is no kubernetes-models package for MetalLB). */
function plain(object: IPAddressPool | L2Advertisement): KubeObject {
  return object as unknown as KubeObject;
}

export default defineComponent<MetalLbValues>({
  name: "metallb",
  description: "MetalLB: LoadBalancer Services on bare metal and kind, addresses announced over layer 2 (ARP).",
  namespace: "metallb-system",
  // Cloud clusters (DOKS) have the provider's load balancers.
  runsOn: ["kind", "k3s"],
  // The speaker runs on the host network with NET_RAW to answer ARP.
  podSecurity: "privileged",
  policyExceptions: [
    {
      rule: "no-host-namespaces",
      objects: [{ kind: "DaemonSet", name: "metallb-speaker" }],
      reason: "layer-2 mode answers ARP for Service addresses on the node's own interfaces, which only the host network namespace reaches",
    },
    {
      rule: "run-as-non-root",
      objects: [{ kind: "DaemonSet", name: "metallb-speaker" }],
      reason: "sends ARP replies on a raw socket: NET_RAW (the one capability it keeps) is not effective for a non-root user",
    },
    {
      rule: "capabilities-dropped",
      objects: [{ kind: "DaemonSet", name: "metallb-speaker" }],
      reason: "the speaker drops ALL and adds back NET_RAW alone: layer-2 mode answers ARP (and IPv6 neighbour discovery) on a raw socket, which needs it",
    },
  ],
  crds: [
    { group: "metallb.io", kind: "IPAddressPool", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "L2Advertisement", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "BGPPeer", versions: ["v1beta1", "v1beta2"] },
    { group: "metallb.io", kind: "BGPAdvertisement", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "BFDProfile", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "Community", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "ServiceL2Status", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "ServiceBGPStatus", versions: ["v1beta1"] },
    { group: "metallb.io", kind: "ConfigurationState", versions: ["v1beta1"] },
  ],
  chart: {
    repoURL: "https://metallb.github.io/metallb",
    chart: "metallb",
    version: "0.16.1",
    values: (v): MetalLbChartValues => ({
      crds: { enabled: true },
      controller: { logLevel: v.logLevel, resources: size(v.resources.controller) },
      speaker: { logLevel: v.logLevel, resources: size(v.resources.speaker), frr: { enabled: false } },
      frrk8s: { enabled: false },
    }),
  },
  values: {
    dev: {
      addresses: ["172.18.255.200-172.18.255.250"],
      resources: { controller: { cpu: "10m", memory: "64Mi" }, speaker: { cpu: "10m", memory: "64Mi" } },
      logLevel: "info",
      quota: { cpu: "1", memory: "1Gi", pods: 20 },
    },
    prod: {
      addresses: ["172.18.255.200-172.18.255.250"],
      resources: { controller: { cpu: "50m", memory: "128Mi" }, speaker: { cpu: "50m", memory: "128Mi" } },
      logLevel: "info",
      quota: { cpu: "2", memory: "2Gi", pods: 30 },
    },
  },
  resources: (v, { namespace }) => {
    // Custom resources go after the chart's CRDs and admission webhook (a later wave of this Application).
    const annotations = { [SYNC_WAVE]: "1" };
    const pool: IPAddressPool = {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: ADDRESS_POOL, namespace, annotations },
      spec: { addresses: [...v.addresses], autoAssign: true },
    };
    const advertisement: L2Advertisement = {
      apiVersion: "metallb.io/v1beta1",
      kind: "L2Advertisement",
      metadata: { name: ADDRESS_POOL, namespace, annotations },
      spec: { ipAddressPools: [ADDRESS_POOL] },
    };
    return [
      ...namespaceBaseline({
        namespace,
        // Metrics of the controller (the speaker is on the host network, outside NetworkPolicies).
        ingressFrom: [{ namespace: "monitoring", ports: [{ port: 7472 }, { port: 9120 }] }],
        apiServerEgress: true,
        quota: v.quota,
        defaults: { cpu: "10m", memory: "32Mi", memoryLimit: "128Mi" },
      }),
      // The API server calls the controller's validating webhook; it is not a pod, so no peer selects it.
      new NetworkPolicy({
        metadata: { name: "allow-webhook", namespace, labels: { "app.kubernetes.io/part-of": "metallb" } },
        spec: {
          podSelector: { matchLabels: { "app.kubernetes.io/component": "controller" } },
          policyTypes: ["Ingress"],
          ingress: [{ ports: [{ port: 9443, protocol: "TCP" }] }],
        },
      }),
      plain(pool),
      plain(advertisement),
    ];
  },
});
