/** Sources of components and clusters for temporary workspaces, as a person writes them. */

/**
 * `infrastructure/alloy/component.ts` deploying the alloy chart as a Deployment; `resources` are the
 * component's own objects, as TypeScript expressions with `namespace` in scope. The chart pin is on line 6.
 */
export function alloyComponent(options: { version?: string; replicas?: number; resources?: readonly string[] } = {}): string {
  const { version = "1.11.1", replicas = 1, resources } = options;
  const own = resources ? `  resources: (_v, { namespace }) => [\n${resources.map((r) => `    ${r},\n`).join("")}  ],\n` : "";
  return `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "alloy",
  namespace: "alloy",
  podSecurity: "privileged",
  chart: {
    repoURL: "https://grafana.github.io/helm-charts",
    chart: "alloy",
    version: "${version}",
    values: (v) => ({ controller: { type: "deployment", replicas: v.replicas } }),
  },
  values: { dev: { replicas: ${replicas} }, prod: { replicas: 2 } },
${own}});
`;
}

/** A PodLogs of the alloy chart's CRD, named web, with the given spec (a TypeScript object literal). */
export const podLogs = (spec: string): string =>
  `{ apiVersion: "monitoring.grafana.com/v1alpha2", kind: "PodLogs", metadata: { name: "web", namespace }, spec: ${spec} }`;

/**
 * `clusters/dev1/cluster.ts`: a kind cluster of the dev environment on Kubernetes 1.34 with the given
 * components, each an import name and the component's folder (`{ alloy: "infrastructure/alloy" }`).
 */
export function devClusterSource(components: Readonly<Record<string, string>>): string {
  const imports = Object.entries(components).map(([name, folder]) => `import ${name} from "../../${folder}/component.ts";\n`);
  return `${imports.join("")}import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({
  name: "dev1",
  environment: "dev",
  kubernetesVersion: "1.34",
  distribution: "kind",
  repo: { url: "https://git.example.com/platform.git", revision: "main" },
  components: [${Object.keys(components).join(", ")}],
});
`;
}
