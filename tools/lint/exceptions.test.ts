import { beforeAll, describe, expect, it } from "vitest";
import { appProjects, type ApplicationPlan } from "../generate/argocd.ts";
import { planWorkspace, type GeneratePlan } from "../generate/generate.ts";
import { defineCluster } from "../model/cluster.ts";
import { defineComponent } from "../model/component.ts";
import { POLICY_EXCEPTION_NAMESPACE } from "../model/policy-exception.ts";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { loadWorkspace } from "../workspace/workspace.ts";

type Project = { metadata: { name: string }; spec: { destinations: { namespace: string }[] } };

describe("the PolicyException namespace: only the platform project writes it", () => {
  let plan: GeneratePlan;
  beforeAll(async () => {
    plan = planWorkspace(await loadWorkspace(REPO_ROOT));
  });

  it("GIVEN the repository's clusters THEN the platform AppProject may write it and the apps AppProject may not", () => {
    for (const cluster of plan.clusters) {
      if (cluster.loaded.cluster.delivery === "flux") continue;
      const byName = new Map(
        appProjects(cluster.loaded.cluster, cluster.applications).map((p) => [p.metadata.name, (p as unknown as Project).spec.destinations.map((d) => d.namespace)]),
      );
      expect(byName.get("platform"), cluster.loaded.cluster.name).toContain(POLICY_EXCEPTION_NAMESPACE);
      expect(byName.get("apps") ?? [], cluster.loaded.cluster.name).not.toContain(POLICY_EXCEPTION_NAMESPACE);
    }
  });

  it("GIVEN an apps component that writes the namespace THEN generating the cluster is refused", () => {
    const rogue = defineComponent({ name: "rogue", namespace: POLICY_EXCEPTION_NAMESPACE, values: { dev: {}, prod: {} } });
    const cluster = defineCluster({ name: "c", environment: "dev", kubernetesVersion: "1.34", distribution: "kind", repo: { url: "https://git.example/r", revision: "main" }, components: [rogue] });
    const plans: ApplicationPlan[] = [{ component: rogue, project: "apps", wave: 0, path: "apps/rogue/overlays/dev", objects: [] }];
    expect(() => appProjects(cluster, plans)).toThrow(
      `cluster c: component "rogue" of project "apps" writes namespace ${POLICY_EXCEPTION_NAMESPACE}, which only the platform project may write (declare policyExceptions in component.ts instead)`,
    );
  });
});
