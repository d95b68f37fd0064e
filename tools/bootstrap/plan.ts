import type { Cluster } from "../model/cluster.ts";
import { componentApplication, type ApplicationPlan } from "../generate/argocd.ts";
import type { GeneratedFile } from "../generate/kustomize-files.ts";
import { bootstrapFacts, type BootstrapFacts } from "./facts.ts";
import { bootstrapFiles } from "./files.ts";

/** The component that installs Argo CD's Application kind: the engine that then manages itself. */
function argoCdEngine(applications: readonly ApplicationPlan[]): ApplicationPlan | undefined {
  return applications.find((a) => a.component.crds?.some((c) => c.group === "argoproj.io" && c.kind === "Application"));
}

/** A cluster's bootstrap facts, with Argo CD's install taken from its generated Application. */
export function clusterBootstrapFacts(cluster: Cluster, source: string, applications: readonly ApplicationPlan[]): BootstrapFacts | undefined {
  const engine = (cluster.delivery ?? "argocd") === "argocd" ? argoCdEngine(applications) : undefined;
  return bootstrapFacts(cluster, source, engine && componentApplication(cluster, engine));
}

/** The generated files under bootstrap/<cluster>/ (none when the cluster declares no bootstrap). */
export function clusterBootstrapFiles(cluster: Cluster, source: string, applications: readonly ApplicationPlan[]): GeneratedFile[] {
  const facts = clusterBootstrapFacts(cluster, source, applications);
  return facts ? bootstrapFiles(facts) : [];
}
