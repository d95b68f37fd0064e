import { Application } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application";
import { AppProject } from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1/AppProject";
import type { Cluster } from "../model/cluster.ts";
import type { Component } from "../model/component.ts";
import { groupOf, isClusterScoped, type KubeObject } from "../model/kube-object.ts";
import { POLICY_EXCEPTION_NAMESPACE } from "../model/policy-exception.ts";
import { validatedPlain } from "./component-objects.ts";
import { GenerateError } from "./errors.ts";

export const ARGOCD_NAMESPACE = "argocd";
export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";
export const IN_CLUSTER = "https://kubernetes.default.svc";

/** What a cluster's Application for one component needs to know. */
export interface ApplicationPlan {
  readonly component: Component<any>;
  /** `platform` for infrastructure/, `apps` for apps/. */
  readonly project: string;
  readonly wave: number;
  /** Repo-relative folder Argo CD builds with Kustomize. */
  readonly path: string;
  /** Rendered chart values, when the component deploys a Helm chart. */
  readonly chartValues?: object;
  /** The objects the path builds to, for deriving AppProject allow-lists. */
  readonly objects: readonly KubeObject[];
}

function plain<T>(model: { toJSON(): unknown; validate(): void }): T {
  return validatedPlain<T>(model);
}

export function rootApplication(cluster: Cluster, appsPath: string): KubeObject {
  return plain<KubeObject>(
    new Application({
      metadata: { name: "root", namespace: ARGOCD_NAMESPACE, finalizers: ["resources-finalizer.argocd.argoproj.io"] },
      spec: {
        project: "default",
        source: { repoURL: cluster.repo.url, targetRevision: cluster.repo.revision, path: appsPath },
        destination: { server: cluster.server ?? IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
        syncPolicy: { automated: { prune: true, selfHeal: true } },
      },
    }),
  );
}

export function componentApplication(cluster: Cluster, plan: ApplicationPlan): KubeObject {
  const { component } = plan;
  const gitSource = { repoURL: cluster.repo.url, targetRevision: cluster.repo.revision, path: plan.path };
  const syncOptions = ["CreateNamespace=true"];
  const ownCrdKinds = new Set((component.crds ?? []).map((c) => `${c.group}/${c.kind}`));
  if (component.chart && plan.objects.some((o) => ownCrdKinds.has(`${groupOf(o.apiVersion)}/${o.kind}`))) {
    // The chart installs the CRDs of custom resources this same Application applies.
    syncOptions.push("SkipDryRunOnMissingResource=true");
  }
  if (component.crds?.length) syncOptions.push("ServerSideApply=true");
  const spec: Record<string, unknown> = {
    project: plan.project,
    destination: { server: cluster.server ?? IN_CLUSTER, namespace: component.namespace },
  };
  if (component.chart) {
    spec.sources = [
      {
        repoURL: component.chart.repoURL,
        chart: component.chart.chart,
        targetRevision: component.chart.version,
        helm: { releaseName: component.chart.releaseName ?? component.name, valuesObject: plan.chartValues ?? {} },
      },
      gitSource,
    ];
  } else {
    spec.source = gitSource;
  }
  spec.syncPolicy = { automated: { prune: true, selfHeal: true }, syncOptions };
  if (component.description) spec.info = [{ name: "description", value: component.description }];
  return plain<KubeObject>(
    new Application({
      metadata: {
        name: component.name,
        namespace: ARGOCD_NAMESPACE,
        annotations: { [SYNC_WAVE]: String(plan.wave) },
        finalizers: ["resources-finalizer.argocd.argoproj.io"],
      },
      spec: spec as any,
    }),
  );
}

/**
 * One AppProject per project name, allowing exactly the namespaces and cluster-scoped kinds its
 * components' objects use. Chart contents are opaque, so a project holding a chart allows every
 * cluster-scoped kind.
 */
export function appProjects(cluster: Cluster, plans: readonly ApplicationPlan[]): KubeObject[] {
  const byProject = new Map<string, ApplicationPlan[]>();
  for (const plan of plans) byProject.set(plan.project, [...(byProject.get(plan.project) ?? []), plan]);
  return [...byProject.keys()].sort().map((name) => {
    const members = byProject.get(name)!;
    const namespaces = new Set<string>();
    const clusterKinds = new Set<string>();
    const repos = new Set([cluster.repo.url]);
    let opaque = false;
    for (const plan of members) {
      namespaces.add(plan.component.namespace);
      if (plan.component.chart) {
        opaque = true;
        repos.add(plan.component.chart.repoURL);
      }
      for (const o of plan.objects) {
        if (o.metadata.namespace) namespaces.add(o.metadata.namespace);
        // A namespace the project creates is one it writes into.
        if (o.kind === "Namespace" && o.apiVersion === "v1") namespaces.add(o.metadata.name);
        if (isClusterScoped(o.kind)) clusterKinds.add(`${groupOf(o.apiVersion)}\u0000${o.kind}`);
      }
    }
    if (name !== "platform" && namespaces.has(POLICY_EXCEPTION_NAMESPACE)) {
      // Whoever can write this namespace can exempt any workload from any policy.
      const writers = members.filter((p) => p.component.namespace === POLICY_EXCEPTION_NAMESPACE || p.objects.some((o) => o.metadata.namespace === POLICY_EXCEPTION_NAMESPACE));
      throw new GenerateError(
        `cluster ${cluster.name}: ${writers.map((p) => `component "${p.component.name}"`).join(", ")} of project "${name}" writes namespace ${POLICY_EXCEPTION_NAMESPACE}, which only the platform project may write (declare policyExceptions in component.ts instead)`,
      );
    }
    const clusterResourceWhitelist = opaque
      ? [{ group: "*", kind: "*" }]
      : [...clusterKinds].sort().map((k) => {
          const [group, kind] = k.split("\u0000");
          return { group, kind };
        });
    return plain<KubeObject>(
      new AppProject({
        metadata: { name, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: "-1" } },
        spec: {
          description: `${name === "apps" ? "Application workloads" : "Platform components"} of cluster ${cluster.name}`,
          sourceRepos: [...repos].sort(),
          destinations: [...namespaces].sort().map((namespace) => ({ server: cluster.server ?? IN_CLUSTER, namespace })),
          clusterResourceWhitelist,
        },
      }),
    );
  });
}
