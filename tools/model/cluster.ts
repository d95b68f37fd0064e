import type { Component } from "./component.ts";
import { callerFile, type Distribution } from "./component.ts";
import type { Environment } from "./environment.ts";
import type { PolicySettings } from "../lint/settings.ts";

/** A component included in a cluster, with values that apply to that cluster only. */
export interface ClusterComponent<V = any> {
  readonly component: Component<V>;
  /** Shallow overrides of the environment's values for this cluster. */
  readonly values?: Partial<V>;
}

export type ClusterEntry = Component<any> | ClusterComponent<any>;

export interface ClusterSpec {
  /** DNS-1123 label; the folder name under clusters/ must be the same. */
  readonly name: string;
  readonly description?: string;
  readonly environment: Environment;
  /** Kubernetes minor version the cluster runs, e.g. "1.34". */
  readonly kubernetesVersion: string;
  /** Distribution, for checks on what can run where. */
  readonly distribution: Distribution;
  /** The git repository and revision Argo CD syncs. */
  readonly repo: { readonly url: string; readonly revision: string };
  /** The GitOps engine that syncs the cluster: Argo CD (app-of-apps, sync waves) or Flux v2 (Kustomizations with dependsOn, HelmReleases). @default "argocd" */
  readonly delivery?: "argocd" | "flux";
  /** API server Argo CD deploys to. @default "https://kubernetes.default.svc" */
  readonly server?: string;
  readonly components: readonly ClusterEntry[];
  /** Policy settings for `lint` and the cluster's Kyverno policies: rules off, severities, registries, digests. */
  readonly policy?: Omit<PolicySettings, "environment">;
  /** How the cluster is created and handed to its engine (`gitops bootstrap`, bootstrap/<name>/). */
  readonly bootstrap?: ClusterBootstrap;
}

/** A taint on the nodes of a pool; components that must run there tolerate it. */
export interface NodeTaint {
  readonly key: string;
  readonly value: string;
  readonly effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** A pool of identical nodes of a managed cluster. */
export interface NodePool {
  /** DNS-1123 label. */
  readonly name: string;
  /** The provider's machine size, e.g. DigitalOcean's "s-4vcpu-8gb". */
  readonly size: string;
  readonly count: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly NodeTaint[];
}

/** A host port forwarded to a kind node (the ingress node). */
export interface PortMapping {
  readonly containerPort: number;
  readonly hostPort: number;
  /** @default "TCP" */
  readonly protocol?: "TCP" | "UDP";
}

/** A local kind cluster: one control plane (the ingress node) and workers on a docker network. */
export interface KindBootstrap {
  readonly provider: "kind";
  /** kind release the node image was built for (its release notes pair them), e.g. "v0.30.0". */
  readonly kindVersion: string;
  /** Node image pinned by digest: `kindest/node:v1.34.0@sha256:…`. */
  readonly nodeImage: string;
  readonly workers: number;
  /** The docker network kind attaches nodes to; MetalLB hands out addresses from it. */
  readonly network: { readonly name: string; readonly subnet: string };
  readonly podSubnet: string;
  readonly serviceSubnet: string;
  /** Host ports forwarded to the control plane, which runs the ingress controller (label ingress-ready=true). */
  readonly portMappings: readonly PortMapping[];
}

/** A K3s server installed on a host. */
export interface K3sBootstrap {
  readonly provider: "k3s";
  /** K3s release, e.g. "v1.34.1+k3s1". */
  readonly k3sVersion: string;
  /** Packaged components turned off (their replacements are platform components), e.g. traefik, servicelb. */
  readonly disable: readonly string[];
  readonly podSubnet: string;
  readonly serviceSubnet: string;
}

/** A managed PostgreSQL or Redis-compatible (Valkey) cluster in the VPC. */
export interface ManagedDatabase {
  readonly name: string;
  /** DigitalOcean engine: "pg" or "valkey". */
  readonly engine: "pg" | "valkey";
  /** Major version, e.g. "17" for PostgreSQL, "8" for Valkey. */
  readonly version: string;
  /** DigitalOcean database size, e.g. "db-s-2vcpu-4gb". */
  readonly size: string;
  readonly nodes: number;
  /**
   * The private addresses DigitalOcean gave the nodes (`tofu output`), once created; the external
   * components' EndpointSlices point at them.
   */
  readonly addresses: readonly string[];
}

/** A DigitalOcean Kubernetes cluster made by OpenTofu (bootstrap/doks). */
export interface DoksBootstrap {
  readonly provider: "doks";
  /** DigitalOcean region slug, e.g. "fra1". */
  readonly region: string;
  readonly vpc: { readonly name: string; readonly ipRange: string };
  /** The first pool is the cluster's default pool. */
  readonly nodePools: readonly NodePool[];
  readonly databases?: { readonly postgres?: ManagedDatabase; readonly redis?: ManagedDatabase };
}

/** Where the cluster comes from and the pinned engine that takes it over. */
export type ClusterBootstrap = (KindBootstrap | K3sBootstrap | DoksBootstrap) & {
  /** Flux release installed on a Flux-delivered cluster, e.g. "v2.7.5". */
  readonly fluxVersion?: string;
};

export interface Cluster extends ClusterSpec {
  readonly __cluster: true;
  readonly sourceFile: string | undefined;
}

/** Declares a cluster; call it once, in `clusters/<name>/cluster.ts`, and export the result as `default`. */
export function defineCluster(spec: ClusterSpec): Cluster {
  return Object.freeze({ ...spec, __cluster: true as const, sourceFile: callerFile() });
}

export function isCluster(value: unknown): value is Cluster {
  return typeof value === "object" && value !== null && (value as Cluster).__cluster === true;
}

export function entryOf(entry: ClusterEntry): ClusterComponent {
  return "__component" in entry ? { component: entry } : entry;
}

/** A component with values for one cluster; typed, so a misspelled or mistyped value is a compile error. */
export function withValues<V>(component: Component<V>, values: Partial<V>): ClusterComponent<V> {
  return { component, values };
}
