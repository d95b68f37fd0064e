import type { KubeObject } from "../model/kube-object.ts";

export type ChangeType = "added" | "removed" | "changed";

/** `apps/Deployment/shop/api`: what makes an object the same object in base and head (not its apiVersion). */
export type ObjectKey = string;

/** One field that differs, at a path inside the object; Secret values are masked before this is made. */
export interface FieldChange {
  readonly path: readonly (string | number)[];
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ObjectDiff {
  readonly key: ObjectKey;
  readonly kind: string;
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  readonly change: ChangeType;
  readonly apiVersion: { readonly before?: string; readonly after?: string };
  /** Noise removed (unless shown) and Secret values masked: what every output prints. */
  readonly before?: KubeObject;
  readonly after?: KubeObject;
  readonly fields: readonly FieldChange[];
}

export interface ChartRef {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

/** What one Application (or Flux Kustomization) changes; `root` holds the root and the Applications themselves. */
export interface AppDiff {
  readonly name: string;
  readonly wave?: { readonly before?: number; readonly after?: number };
  readonly chart?: { readonly before?: ChartRef; readonly after?: ChartRef };
  readonly objects: readonly ObjectDiff[];
}

export type RiskClass = "immutable" | "data-at-risk" | "availability" | "security" | "supply-chain";

export const RISK_CLASSES: readonly RiskClass[] = ["immutable", "data-at-risk", "availability", "security", "supply-chain"];

export const RISK_TITLES: Record<RiskClass, string> = {
  immutable: "immutable field",
  "data-at-risk": "data at risk",
  availability: "availability",
  security: "security widening",
  "supply-chain": "supply chain",
};

/** A change that can break a sync, lose data, reduce availability, widen access, or bring in new code. */
export interface Risk {
  readonly class: RiskClass;
  /** Stable rule id, e.g. `immutable/selector`. */
  readonly rule: string;
  readonly app: string;
  readonly object: ObjectKey;
  /** `Deployment shop/api` */
  readonly title: string;
  /** Dotted field path, or "" for the whole object. */
  readonly field: string;
  readonly reason: string;
  readonly doc: string;
}

export interface ClusterDiff {
  readonly cluster: string;
  /** Whether the cluster exists on each side. */
  readonly presence: "both" | "added" | "removed";
  readonly apps: readonly AppDiff[];
  readonly risks: readonly Risk[];
}

export interface Counts {
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
}

export interface DiffReport {
  readonly base: { readonly ref: string; readonly commit: string };
  readonly head: { readonly ref: string; readonly commit?: string };
  readonly clusters: readonly ClusterDiff[];
}

export function countObjects(objects: readonly ObjectDiff[]): Counts {
  let added = 0;
  let changed = 0;
  let removed = 0;
  for (const o of objects) {
    if (o.change === "added") added++;
    else if (o.change === "removed") removed++;
    else changed++;
  }
  return { added, changed, removed };
}

export function clusterCounts(cluster: ClusterDiff): Counts {
  return countObjects(cluster.apps.flatMap((a) => a.objects));
}

export function risksByClass(risks: readonly Risk[]): Record<RiskClass, number> {
  const out = Object.fromEntries(RISK_CLASSES.map((c) => [c, 0])) as Record<RiskClass, number>;
  for (const r of risks) out[r.class]++;
  return out;
}

export function hasChanges(report: DiffReport): boolean {
  return report.clusters.some((c) => c.apps.some((a) => a.objects.length > 0));
}

/** `Deployment shop/api` */
export function objectTitle(o: { kind: string; namespace?: string; name: string }): string {
  return o.namespace ? `${o.kind} ${o.namespace}/${o.name}` : `${o.kind} ${o.name}`;
}
