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
}

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
