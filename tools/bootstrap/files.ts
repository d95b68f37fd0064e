import type { GeneratedFile } from "../generate/kustomize-files.ts";
import { toYaml } from "../generate/yaml-file.ts";
import type { BootstrapFacts } from "./facts.ts";
import { INGRESS_NODE_LABELS } from "../platform/node-pools.ts";

/** File names under bootstrap/<cluster>/ that generate writes; the scripts read them. */
export const FACTS_FILE = "facts.env";
export const KIND_CONFIG_FILE = "kind-config.yaml";
export const ARGOCD_VALUES_FILE = "argocd-values.yaml";
export const TFVARS_FILE = "cluster.auto.tfvars";

/** A value in single quotes, for `source` by bash. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The shell variables the scripts read: one line each, no logic. */
export function factsEnv(facts: BootstrapFacts): string {
  const vars: [string, string][] = [
    ["CLUSTER", facts.cluster],
    ["DISTRIBUTION", facts.distribution],
    ["DELIVERY", facts.delivery],
    ["KUBERNETES_VERSION", facts.kubernetesVersion],
    ["KUBE_CONTEXT", facts.kubeContext],
    ["IDENTITY_NODE_SELECTOR", facts.identityNodeSelector],
    ["REPO_URL", facts.repo.url],
    ["REPO_REVISION", facts.repo.revision],
    ["ROOT_MANIFEST", facts.rootManifest],
    // name, name>=version or name=version, space-separated.
    ["REQUIRED_TOOLS", facts.tools.map((t) => (t.exact ? `${t.name}=${t.exact}` : t.min ? `${t.name}>=${t.min}` : t.name)).join(" ")],
    ["METALLB_RANGES", facts.metallbRanges.join(" ")],
  ];
  if (facts.kubeconfig) vars.push(["K3S_KUBECONFIG", facts.kubeconfig]);
  const p = facts.provider;
  if (p.provider === "kind") {
    vars.push(
      ["KIND_VERSION", p.kindVersion],
      ["KIND_NODE_IMAGE", p.nodeImage],
      ["KIND_NETWORK", p.network.name],
      ["KIND_NETWORK_SUBNET", p.network.subnet],
      ["KIND_CONFIG", `${facts.dir}/${KIND_CONFIG_FILE}`],
    );
  }
  if (p.provider === "k3s") {
    vars.push(
      ["K3S_VERSION", p.k3sVersion],
      ["K3S_DISABLE", p.disable.join(" ")],
      ["K3S_CLUSTER_CIDR", p.podSubnet],
      ["K3S_SERVICE_CIDR", p.serviceSubnet],
    );
  }
  if (p.provider === "doks") {
    vars.push(["DOKS_REGION", p.region], ["TOFU_DIR", facts.dir]);
  }
  if (facts.argocd) {
    const a = facts.argocd;
    vars.push(
      ["ARGOCD_CHART_REPO", a.repoURL],
      ["ARGOCD_CHART", a.chart],
      ["ARGOCD_CHART_VERSION", a.version],
      ["ARGOCD_RELEASE", a.releaseName],
      ["ARGOCD_NAMESPACE", a.namespace],
      ["ARGOCD_VALUES", `${facts.dir}/${ARGOCD_VALUES_FILE}`],
    );
  }
  if (facts.fluxVersion) vars.push(["FLUX_VERSION", facts.fluxVersion]);
  return `# shellcheck shell=bash disable=SC2034\n${vars.map(([k, v]) => `${k}=${shellQuote(v)}`).join("\n")}\n`;
}

/** kind's cluster config: the pinned image on every node, the declared subnets, host ports to the ingress node. */
export function kindConfig(facts: BootstrapFacts): object | undefined {
  const p = facts.provider;
  if (p.provider !== "kind") return undefined;
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: facts.cluster,
    networking: { podSubnet: p.podSubnet, serviceSubnet: p.serviceSubnet },
    nodes: [
      {
        role: "control-plane",
        image: p.nodeImage,
        // The ingress node: the controller's ports on it are the host's.
        labels: { ...INGRESS_NODE_LABELS },
        extraPortMappings: p.portMappings.map((m) => ({ containerPort: m.containerPort, hostPort: m.hostPort, protocol: m.protocol ?? "TCP" })),
      },
      ...Array.from({ length: p.workers }, () => ({ role: "worker", image: p.nodeImage })),
    ],
  };
}

type Hcl = string | number | boolean | readonly Hcl[] | { readonly [key: string]: Hcl };

function hclKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
}

function hclScalar(value: Hcl): string | undefined {
  if (typeof value === "string") return JSON.stringify(value).replaceAll("${", "$${").replaceAll("%{", "%%{");
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.length === 0) return "[]";
  if (!Array.isArray(value) && typeof value === "object" && Object.keys(value).length === 0) return "{}";
  return undefined;
}

/** Attribute lines of an object, `=` aligned within runs of one-line attributes as `tofu fmt` does. */
function hclAttributes(entries: [string, Hcl][], indent: string): string[] {
  const out: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) out.push(`${indent}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [key, value] of entries) {
    const scalar = hclScalar(value);
    if (scalar !== undefined) {
      run.push([hclKey(key), scalar]);
      continue;
    }
    flush();
    out.push(...hclValue(value, indent, `${indent}${hclKey(key)} = `));
  }
  flush();
  return out;
}

function hclValue(value: Hcl, indent: string, lead: string): string[] {
  const scalar = hclScalar(value);
  if (scalar !== undefined) return [`${lead}${scalar}`];
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return [`${lead}[`, ...value.flatMap((item) => withComma(hclValue(item, inner, inner))), `${indent}]`];
  }
  return [`${lead}{`, ...hclAttributes(Object.entries(value as Record<string, Hcl>), inner), `${indent}}`];
}

function withComma(lines: string[]): string[] {
  return [...lines.slice(0, -1), `${lines[lines.length - 1]},`];
}

/** OpenTofu variables for bootstrap/<cluster>/ (DOKS): the pools, VPC and databases as cluster.ts declares them. */
export function doksTfvars(facts: BootstrapFacts): string | undefined {
  const p = facts.provider;
  if (p.provider !== "doks") return undefined;
  const vars: [string, Hcl][] = [
    ["cluster_name", facts.cluster],
    ["region", p.region],
    ["kubernetes_version", facts.kubernetesVersion],
    ["vpc", { name: p.vpc.name, ip_range: p.vpc.ipRange }],
    [
      "node_pools",
      p.nodePools.map((pool) => ({
        name: pool.name,
        size: pool.size,
        node_count: pool.count,
        labels: { ...pool.labels },
        taints: (pool.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
      })),
    ],
    [
      "databases",
      Object.fromEntries(
        Object.entries(p.databases ?? {})
          .filter(([, db]) => db)
          .map(([key, db]) => [key, { name: db!.name, engine: db!.engine, version: db!.version, size: db!.size, node_count: db!.nodes }]),
      ),
    ],
  ];
  return `${hclAttributes(vars, "").join("\n")}\n`;
}

/** The generated files of a cluster's bootstrap, beside its hand-written scripts and OpenTofu files. */
export function bootstrapFiles(facts: BootstrapFacts): GeneratedFile[] {
  const files: GeneratedFile[] = [{ path: `${facts.dir}/${FACTS_FILE}`, source: facts.source, body: factsEnv(facts) }];
  const kind = kindConfig(facts);
  if (kind) files.push({ path: `${facts.dir}/${KIND_CONFIG_FILE}`, source: facts.source, body: toYaml(kind) });
  if (facts.argocd) files.push({ path: `${facts.dir}/${ARGOCD_VALUES_FILE}`, source: facts.source, body: toYaml(facts.argocd.values) });
  const tfvars = doksTfvars(facts);
  if (tfvars) files.push({ path: `${facts.dir}/${TFVARS_FILE}`, source: facts.source, body: tfvars });
  return files;
}
