import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { ObjectLike } from "../model/kube-object.ts";

/** A peer allowed to reach (ingress) or be reached from (egress) a namespace's pods. */
export interface Peer {
  /** Namespace name; omitted means the same namespace. */
  readonly namespace?: string;
  /** Pod labels within that namespace; omitted means every pod. */
  readonly pods?: Readonly<Record<string, string>>;
  /** CIDR (for egress outside the cluster, e.g. an external database). */
  readonly cidr?: string;
  readonly ports?: readonly { readonly port: number | string; readonly protocol?: "TCP" | "UDP" }[];
}

export interface BaselineOptions {
  readonly namespace: string;
  /** Who may connect to pods of this namespace. Same-namespace traffic is always allowed. */
  readonly ingressFrom?: readonly Peer[];
  /** What pods of this namespace may connect to, besides DNS and the same namespace. */
  readonly egressTo?: readonly Peer[];
  /** Allow egress to the Kubernetes API server (operators, controllers). */
  readonly apiServerEgress?: boolean;
  /** Allow all egress (e.g. fetching charts, ACME, webhooks to the internet). */
  readonly internetEgress?: boolean;
  /** ResourceQuota hard limits; no quota when omitted. */
  readonly quota?: { readonly cpu: string; readonly memory: string; readonly pods: number };
  /** LimitRange defaults for containers that set no resources. */
  readonly defaults?: { readonly cpu: string; readonly memory: string; readonly memoryLimit: string };
}

function peerOf(peer: Peer): Record<string, unknown> {
  if (peer.cidr) return { ipBlock: { cidr: peer.cidr } };
  const out: Record<string, unknown> = {};
  if (peer.namespace !== undefined) out.namespaceSelector = { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } };
  out.podSelector = peer.pods ? { matchLabels: { ...peer.pods } } : {};
  return out;
}

function ruleOf(key: "from" | "to", peer: Peer): Record<string, unknown> {
  const rule: Record<string, unknown> = { [key]: [peerOf(peer)] };
  if (peer.ports?.length) rule.ports = peer.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
  return rule;
}

/**
 * The baseline every namespace of the platform carries: default-deny NetworkPolicies with the
 * allowances its component needs (same namespace and DNS always), and optionally a ResourceQuota
 * and a LimitRange.
 */
export function namespaceBaseline(options: BaselineOptions): ObjectLike[] {
  const { namespace } = options;
  const labels = { "app.kubernetes.io/part-of": "platform-baseline" };
  const egress: Record<string, unknown>[] = [
    ruleOf("to", {}),
    ruleOf("to", { namespace: "kube-system", pods: { "k8s-app": "kube-dns" }, ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }),
    ...(options.egressTo ?? []).map((p) => ruleOf("to", p)),
  ];
  if (options.apiServerEgress) egress.push({ ports: [{ port: 443, protocol: "TCP" }, { port: 6443, protocol: "TCP" }] });
  if (options.internetEgress) egress.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] });
  const objects: ObjectLike[] = [
    new NetworkPolicy({
      metadata: { name: "default-deny", namespace, labels },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }),
    new NetworkPolicy({
      metadata: { name: "allow-baseline", namespace, labels },
      spec: {
        podSelector: {},
        policyTypes: ["Ingress", "Egress"],
        ingress: [ruleOf("from", {}), ...(options.ingressFrom ?? []).map((p) => ruleOf("from", p))],
        egress,
      },
    }),
  ];
  if (options.quota) {
    objects.push(
      new ResourceQuota({
        metadata: { name: "baseline", namespace, labels },
        spec: { hard: { "requests.cpu": options.quota.cpu, "requests.memory": options.quota.memory, "limits.memory": options.quota.memory, pods: String(options.quota.pods) } },
      }),
    );
  }
  if (options.defaults) {
    objects.push(
      new LimitRange({
        metadata: { name: "baseline", namespace, labels },
        spec: {
          limits: [
            {
              type: "Container",
              defaultRequest: { cpu: options.defaults.cpu, memory: options.defaults.memory },
              default: { memory: options.defaults.memoryLimit },
            },
          ],
        },
      }),
    );
  }
  return objects;
}
