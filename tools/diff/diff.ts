import { clusterObjects, diffCluster, type ClusterObjects, type DiffOptions } from "./compare.ts";
import type { ClusterDiff } from "./model.ts";
import { clusterRisks } from "./risks.ts";
import type { RenderedCluster } from "../pipeline/render-cluster.ts";

export { clusterObjects };

/** Compares base and head renders cluster by cluster (a cluster on one side only is all added or all removed). */
export function diffClusters(base: readonly ClusterObjects[], head: readonly ClusterObjects[], options: DiffOptions = {}): ClusterDiff[] {
  const baseBy = new Map(base.map((c) => [c.cluster, c]));
  const headBy = new Map(head.map((c) => [c.cluster, c]));
  const names = [...new Set([...baseBy.keys(), ...headBy.keys()])].sort();
  return names.map((name) => {
    const b = baseBy.get(name);
    const h = headBy.get(name);
    const diff = diffCluster(b, h, options);
    return { ...diff, risks: clusterRisks(diff, { base: b, head: h }) };
  });
}

export function diffRendered(base: readonly RenderedCluster[], head: readonly RenderedCluster[], options: DiffOptions = {}): ClusterDiff[] {
  return diffClusters(base.map(clusterObjects), head.map(clusterObjects), options);
}
