import { entryOf } from "../model/cluster.ts";
import type { LoadedCluster } from "../workspace/workspace.ts";
import type { CrdProvider } from "../validate/cluster-checks.ts";
import type { ClusterContext } from "./checks.ts";
import type { RenderedCluster } from "./render-cluster.ts";

/** What validate needs to know about a cluster beyond its rendered objects: who installs which CRDs, and when. */
export function clusterContext(loaded: LoadedCluster, rendered: RenderedCluster): ClusterContext {
  const waves = new Map(rendered.apps.map((a) => [a.name, a.wave]));
  const crdProviders: CrdProvider[] = [];
  for (const { component } of loaded.cluster.components.map(entryOf)) {
    for (const crd of component.crds ?? []) {
      crdProviders.push({ group: crd.group, kind: crd.kind, versions: crd.versions, component: component.name, wave: waves.get(component.name) ?? 0 });
    }
  }
  return {
    crdProviders,
    emptyApps: rendered.apps.filter((a) => a.path !== undefined && a.objects.length === 0).map((a) => a.name),
    opaqueNamespaces: [...new Set(rendered.apps.filter((a) => a.chart).map((a) => a.namespace))].sort(),
  };
}
