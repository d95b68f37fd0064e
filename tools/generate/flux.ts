import { HelmRelease } from "@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2/HelmRelease";
import { Kustomization } from "@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1/Kustomization";
import { GitRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/GitRepository";
import { HelmRepository } from "@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1/HelmRepository";
import type { Cluster } from "../model/cluster.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { ApplicationPlan } from "./argocd.ts";
import { validatedPlain } from "./component-objects.ts";

export const FLUX_NAMESPACE = "flux-system";
/** The GitRepository every generated Flux Kustomization syncs from. */
export const FLUX_SOURCE = "platform";

function plain(model: { toJSON(): unknown; validate(): void }): KubeObject {
  return validatedPlain<KubeObject>(model);
}

/** A stable HelmRepository name for a chart repository URL: its host and path, as a DNS label. */
export function helmRepositoryName(repoURL: string): string {
  const name = repoURL
    .replace(/^[a-z]+:\/\//, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name.slice(0, 63).replace(/-+$/, "");
}

/** The root of a Flux cluster: the git source and the Kustomization that applies clusters/<name>/apps. */
export function fluxRoot(cluster: Cluster, appsPath: string): KubeObject[] {
  return [
    plain(
      new GitRepository({
        metadata: { name: FLUX_SOURCE, namespace: FLUX_NAMESPACE },
        spec: { interval: "1m", url: cluster.repo.url, ref: { branch: cluster.repo.revision } },
      }),
    ),
    plain(
      new Kustomization({
        metadata: { name: "root", namespace: FLUX_NAMESPACE },
        spec: {
          interval: "10m",
          path: `./${appsPath}`,
          prune: true,
          sourceRef: { kind: "GitRepository", name: FLUX_SOURCE },
        },
      }),
    ),
  ];
}

/** The Flux Kustomization that installs a component's chart (named `<component>-chart`). */
export function chartKustomizationName(component: string): string {
  return `${component}-chart`;
}

export function helmRelease(plan: ApplicationPlan): KubeObject {
  const chart = plan.component.chart!;
  return plain(
    new HelmRelease({
      metadata: { name: plan.component.name, namespace: FLUX_NAMESPACE },
      spec: {
        interval: "30m",
        releaseName: chart.releaseName ?? plan.component.name,
        targetNamespace: plan.component.namespace,
        install: { createNamespace: true, crds: "CreateReplace", remediation: { retries: 3 } },
        upgrade: { crds: "CreateReplace", remediation: { retries: 3 } },
        chart: {
          spec: {
            chart: chart.chart,
            version: chart.version,
            sourceRef: { kind: "HelmRepository", name: helmRepositoryName(chart.repoURL), namespace: FLUX_NAMESPACE },
          },
        },
        values: (plan.chartValues ?? {}) as Record<string, unknown>,
      },
    }),
  );
}

/**
 * What the root Kustomization applies on a Flux cluster: one HelmRepository per chart repository, and per
 * component a Kustomization for its overlay (and one for its chart), ordered with dependsOn from the
 * components' dependencies instead of Argo CD's sync waves.
 */
export function fluxObjects(cluster: Cluster, plans: readonly ApplicationPlan[], chartPath: (component: string) => string): KubeObject[] {
  const repositories = new Map<string, string>();
  for (const plan of plans) if (plan.component.chart) repositories.set(helmRepositoryName(plan.component.chart.repoURL), plan.component.chart.repoURL);
  const objects: KubeObject[] = [...repositories.keys()].sort().map((name) => {
    const url = repositories.get(name)!;
    return plain(
      new HelmRepository({
        metadata: { name, namespace: FLUX_NAMESPACE },
        spec: url.startsWith("oci://") ? { interval: "1h", type: "oci", url } : { interval: "1h", url },
      }),
    );
  });
  const sourceRef = { kind: "GitRepository" as const, name: FLUX_SOURCE };
  for (const plan of plans) {
    const name = plan.component.name;
    const dependsOn = (plan.component.dependsOn ?? []).map((d) => d.name).sort();
    if (plan.component.chart) {
      objects.push(
        plain(
          new Kustomization({
            metadata: { name: chartKustomizationName(name), namespace: FLUX_NAMESPACE },
            spec: {
              interval: "10m",
              path: `./${chartPath(name)}`,
              prune: true,
              wait: true,
              timeout: "10m",
              sourceRef,
              ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
            },
          }),
        ),
      );
    }
    const overlayDeps = [...(plan.component.chart ? [chartKustomizationName(name)] : []), ...dependsOn];
    objects.push(
      plain(
        new Kustomization({
          metadata: { name, namespace: FLUX_NAMESPACE },
          spec: {
            interval: "10m",
            path: `./${plan.path}`,
            prune: true,
            wait: true,
            timeout: "5m",
            sourceRef,
            ...(overlayDeps.length ? { dependsOn: overlayDeps.map((d) => ({ name: d })) } : {}),
          },
        }),
      ),
    );
  }
  return objects;
}
