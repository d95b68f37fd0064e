import { utcToday } from "../lint/exceptions.ts";
import { entryOf } from "../model/cluster.ts";
import { declaredValidateExceptions } from "../model/policy-exception.ts";
import type { LoadedCluster } from "../workspace/workspace.ts";
import type { CrdProvider } from "../validate/cluster-checks.ts";
import type { ClusterContext } from "./checks.ts";
import type { RenderedCluster } from "./render-cluster.ts";

/** Kinds the GitOps engine brings itself: bootstrap installs the engine before the root is applied. */
const ENGINE_CRDS: Record<RenderedCluster["engine"], { group: string; kind: string; versions: string[] }[]> = {
  argocd: [
    { group: "argoproj.io", kind: "Application", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "AppProject", versions: ["v1alpha1"] },
    { group: "argoproj.io", kind: "ApplicationSet", versions: ["v1alpha1"] },
  ],
  flux: [
    { group: "source.toolkit.fluxcd.io", kind: "GitRepository", versions: ["v1"] },
    { group: "source.toolkit.fluxcd.io", kind: "HelmRepository", versions: ["v1"] },
    { group: "source.toolkit.fluxcd.io", kind: "OCIRepository", versions: ["v1"] },
    { group: "source.toolkit.fluxcd.io", kind: "HelmChart", versions: ["v1"] },
    { group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization", versions: ["v1"] },
    { group: "helm.toolkit.fluxcd.io", kind: "HelmRelease", versions: ["v2"] },
  ],
};

/** What validate needs to know about a cluster beyond its rendered objects: who installs which CRDs, and when. */
export function clusterContext(loaded: LoadedCluster, rendered: RenderedCluster, today: string = utcToday()): ClusterContext {
  const waves = new Map(rendered.apps.map((a) => [a.name, a.wave]));
  const crdProviders: CrdProvider[] = ENGINE_CRDS[rendered.engine].map((c) => ({ ...c, component: "bootstrap", wave: -1 }));
  for (const { component } of loaded.cluster.components.map(entryOf)) {
    // On Flux a chart has its own Kustomization (`<name>-chart`) that the component's overlay waits for.
    const app = waves.has(`${component.name}-chart`) ? `${component.name}-chart` : component.name;
    for (const crd of component.crds ?? []) {
      crdProviders.push({ group: crd.group, kind: crd.kind, versions: crd.versions, component: app, wave: waves.get(app) ?? 0 });
    }
  }
  // The CRDs the render itself holds (charts' included), installed by the app that applies them.
  for (const app of rendered.apps) {
    for (const o of [...app.objects, ...app.chartObjects.map((c) => c.object)]) {
      if (o?.kind !== "CustomResourceDefinition") continue;
      const spec = o.spec as { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] } | undefined;
      if (!spec?.group || !spec.names?.kind) continue;
      const versions = (spec.versions ?? []).filter((v) => v.name && v.served !== false).map((v) => v.name!);
      crdProviders.push({ group: spec.group, kind: spec.names.kind, versions, component: app.name, wave: app.wave });
    }
  }
  return {
    crdProviders,
    emptyApps: rendered.apps.filter((a) => a.path !== undefined && a.objects.length === 0).map((a) => a.name),
    exceptions: declaredValidateExceptions(loaded.cluster.components.map((e) => entryOf(e).component), today),
  };
}
