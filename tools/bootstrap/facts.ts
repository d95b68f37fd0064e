import { entryOf, type Cluster, type ClusterBootstrap, type NodePool } from "../model/cluster.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { GenerateError, GenerateErrors } from "../generate/errors.ts";
import { valuesFor } from "../generate/component-objects.ts";

/** A tool the bootstrap runs, and the version it needs: at least `min`, or exactly `exact`. */
export interface ToolRequirement {
  readonly name: string;
  readonly min?: string;
  readonly exact?: string;
}

/** The Helm release that installs Argo CD: the chart source of its own generated Application. */
export interface ArgoCdInstall {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
}

/** Everything the bootstrap of one cluster needs, derived from its cluster.ts and generated Applications. */
export interface BootstrapFacts {
  readonly cluster: string;
  readonly source: string;
  readonly distribution: Cluster["distribution"];
  readonly delivery: "argocd" | "flux";
  readonly kubernetesVersion: string;
  readonly repo: { readonly url: string; readonly revision: string };
  /** Repo-relative folder of the bootstrap's generated and hand-written files. */
  readonly dir: string;
  /** The root the engine is handed last (clusters/<name>/root.yaml). */
  readonly rootManifest: string;
  /** The kube context the cluster is reached through; any other current context is refused. */
  readonly kubeContext: string;
  /** The kubeconfig the context lives in, when not the user's (K3s writes its own). */
  readonly kubeconfig?: string;
  /** A node label only this cluster's nodes carry: the context must reach such a node, or it is refused. */
  readonly identityNodeSelector: string;
  readonly provider: ClusterBootstrap;
  readonly argocd?: ArgoCdInstall;
  readonly fluxVersion?: string;
  /** MetalLB's address ranges, when the cluster includes MetalLB. */
  readonly metallbRanges: readonly string[];
  readonly tools: readonly ToolRequirement[];
}

/** Minimum versions of the tools that are not pinned by the cluster (Helm 3.14 for `--repo` with OCI-free charts and `--kube-context` everywhere; OpenTofu 1.8 for variables in the backend block). */
const HELM_MIN = "v3.14.0";
const TOFU_MIN = "v1.8.0";
export const BOOTSTRAP_ROOT = "bootstrap";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipNumber(ip: string): number | undefined {
  const m = IPV4.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** [first, last] address of a CIDR, or undefined when it is not one. */
export function cidrRange(cidr: string): [number, number] | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const base = ipNumber(`${m[1]}.${m[2]}.${m[3]}.${m[4]}`);
  const bits = Number(m[5]);
  if (base === undefined || bits > 32) return undefined;
  const size = 2 ** (32 - bits);
  if (base % size !== 0) return undefined;
  return [base, base + size - 1];
}

/** [first, last] of a MetalLB range ("a.b.c.d-e.f.g.h" or a CIDR). */
function addressRange(range: string): [number, number] | undefined {
  if (range.includes("/")) return cidrRange(range);
  const [from, to] = range.split("-");
  const a = from === undefined ? undefined : ipNumber(from);
  const b = to === undefined ? undefined : ipNumber(to);
  return a === undefined || b === undefined || a > b ? undefined : [a, b];
}

/** The minor version of a pinned release tag: "v1.34.0" → "1.34". */
function minorOf(tag: string): string | undefined {
  return /^v(\d+\.\d+)\.\d+/.exec(tag)?.[1];
}

/** kubectl supports one minor version of skew: a client one minor older than the cluster still works. */
function kubectlMin(kubernetesVersion: string): string {
  const [major, minor] = kubernetesVersion.split(".").map(Number);
  return `v${major}.${Math.max(0, minor - 1)}.0`;
}

function checkPools(pools: readonly NodePool[], field: string, problems: string[]): void {
  if (pools.length === 0) problems.push(`${field} must list at least one pool`);
  const names = new Set<string>();
  pools.forEach((pool, i) => {
    const at = `${field}[${i}]`;
    if (!DNS_LABEL.test(pool.name)) problems.push(`${at}.name "${pool.name}" must be a DNS-1123 label`);
    if (names.has(pool.name)) problems.push(`${at}.name "${pool.name}" is used twice`);
    names.add(pool.name);
    if (!Number.isInteger(pool.count) || pool.count < 1) problems.push(`${at}.count must be a whole number of nodes, at least 1, got ${pool.count}`);
  });
}

/** The Argo CD Helm install: the chart source of the engine's own generated Application, as it is. */
export function argoCdInstall(application: KubeObject, source: string): ArgoCdInstall {
  const spec = (application as { spec?: { destination?: { namespace?: string }; sources?: Record<string, any>[] } }).spec;
  const chartSource = spec?.sources?.find((s) => typeof s.chart === "string");
  if (!chartSource) throw new GenerateError(`${source}: the Argo CD Application has no chart source to install Argo CD from`);
  return {
    repoURL: chartSource.repoURL,
    chart: chartSource.chart,
    version: chartSource.targetRevision,
    releaseName: chartSource.helm?.releaseName ?? application.metadata?.name,
    namespace: spec?.destination?.namespace ?? "argocd",
    values: chartSource.helm?.valuesObject ?? {},
  };
}

/**
 * The bootstrap facts of a cluster, checked: names, pinned versions, subnets, and that MetalLB's range
 * lies in the network the nodes are on. `argocdApplication` is the generated Application of the
 * component that provides Argo CD's Application kind (the engine that then manages itself).
 */
export function bootstrapFacts(cluster: Cluster, source: string, argocdApplication: KubeObject | undefined): BootstrapFacts | undefined {
  const b = cluster.bootstrap;
  if (!b) return undefined;
  const problems: string[] = [];
  const delivery = cluster.delivery ?? "argocd";
  const field = "bootstrap";
  if (b.provider !== cluster.distribution) {
    problems.push(`${field}.provider "${b.provider}" must be the cluster's distribution "${cluster.distribution}"`);
  }
  const tools: ToolRequirement[] = [];
  let kubeContext: string;
  let kubeconfig: string | undefined;
  let identityNodeSelector: string;
  const checkSubnets = (p: { podSubnet: string; serviceSubnet: string }) => {
    if (!cidrRange(p.podSubnet)) problems.push(`${field}.podSubnet "${p.podSubnet}" must be a CIDR such as 10.244.0.0/16`);
    if (!cidrRange(p.serviceSubnet)) problems.push(`${field}.serviceSubnet "${p.serviceSubnet}" must be a CIDR such as 10.96.0.0/12`);
  };
  const metallbRanges: string[] = [];
  for (const entry of cluster.components.map(entryOf)) {
    if (entry.component.name !== "metallb") continue;
    const values = valuesFor(entry.component, cluster.environment, entry.values) as { addresses?: readonly string[] };
    metallbRanges.push(...(values.addresses ?? []));
  }
  switch (b.provider) {
    case "kind": {
      kubeContext = `kind-${cluster.name}`;
      identityNodeSelector = `kubernetes.io/hostname=${cluster.name}-control-plane`;
      const m = /^kindest\/node:(v\d+\.\d+\.\d+)@sha256:[0-9a-f]{64}$/.exec(b.nodeImage);
      if (!m) problems.push(`${field}.nodeImage "${b.nodeImage}" must be pinned by digest: kindest/node:vX.Y.Z@sha256:<64 hex digits>`);
      else if (minorOf(m[1]) !== cluster.kubernetesVersion) {
        problems.push(`${field}.nodeImage is Kubernetes ${m[1]}, but kubernetesVersion is ${cluster.kubernetesVersion}`);
      }
      if (!/^v\d+\.\d+\.\d+$/.test(b.kindVersion)) problems.push(`${field}.kindVersion "${b.kindVersion}" must be a release such as v0.30.0`);
      if (!Number.isInteger(b.workers) || b.workers < 0) problems.push(`${field}.workers must be a whole number, got ${b.workers}`);
      checkSubnets(b);
      const network = cidrRange(b.network.subnet);
      if (!network) problems.push(`${field}.network.subnet "${b.network.subnet}" must be a CIDR such as 172.18.0.0/16`);
      for (const range of metallbRanges) {
        const r = addressRange(range);
        if (network && r && (r[0] < network[0] || r[1] > network[1])) {
          problems.push(`metallb's address range ${range} is outside the kind network ${b.network.subnet} (${field}.network.subnet): nothing would reach it`);
        }
      }
      b.portMappings.forEach((p, i) => {
        for (const key of ["containerPort", "hostPort"] as const) {
          if (!Number.isInteger(p[key]) || p[key] < 1 || p[key] > 65535) problems.push(`${field}.portMappings[${i}].${key} must be a port (1-65535), got ${p[key]}`);
        }
      });
      tools.push({ name: "docker" }, { name: "kind", min: b.kindVersion });
      break;
    }
    case "k3s": {
      // K3s writes its own kubeconfig, with the context "default".
      kubeContext = "default";
      kubeconfig = "/etc/rancher/k3s/k3s.yaml";
      // K3s labels its nodes with its own instance type.
      identityNodeSelector = "node.kubernetes.io/instance-type=k3s";
      const m = /^(v\d+\.\d+\.\d+)\+k3s\d+$/.exec(b.k3sVersion);
      if (!m) problems.push(`${field}.k3sVersion "${b.k3sVersion}" must be a K3s release such as v1.34.1+k3s1`);
      else if (minorOf(m[1]) !== cluster.kubernetesVersion) {
        problems.push(`${field}.k3sVersion is Kubernetes ${m[1]}, but kubernetesVersion is ${cluster.kubernetesVersion}`);
      }
      checkSubnets(b);
      tools.push({ name: "curl" });
      break;
    }
    case "doks": {
      kubeContext = `do-${b.region}-${cluster.name}`;
      identityNodeSelector = `doks.digitalocean.com/node-pool=${b.nodePools[0]?.name ?? ""}`;
      if (!/^[a-z]{3}\d$/.test(b.region)) problems.push(`${field}.region "${b.region}" must be a DigitalOcean region slug such as fra1`);
      if (!cidrRange(b.vpc.ipRange)) problems.push(`${field}.vpc.ipRange "${b.vpc.ipRange}" must be a CIDR such as 10.20.0.0/16`);
      checkPools(b.nodePools, `${field}.nodePools`, problems);
      const vpc = cidrRange(b.vpc.ipRange);
      for (const [key, db] of Object.entries(b.databases ?? {})) {
        if (!db) continue;
        if (!DNS_LABEL.test(db.name)) problems.push(`${field}.databases.${key}.name "${db.name}" must be a DNS-1123 label`);
        if (!Number.isInteger(db.nodes) || db.nodes < 1 || db.nodes > 3) problems.push(`${field}.databases.${key}.nodes must be 1, 2 or 3, got ${db.nodes}`);
        for (const address of db.addresses) {
          const ip = ipNumber(address);
          if (ip === undefined || (vpc && (ip < vpc[0] || ip > vpc[1]))) {
            problems.push(`${field}.databases.${key}.addresses: ${address} is not an address in the VPC ${b.vpc.ipRange}`);
          }
        }
      }
      tools.push({ name: "tofu", min: TOFU_MIN }, { name: "doctl" });
      break;
    }
  }
  tools.push({ name: "kubectl", min: kubectlMin(cluster.kubernetesVersion) });
  let argocd: ArgoCdInstall | undefined;
  if (delivery === "argocd") {
    if (!argocdApplication) problems.push(`the cluster includes no component that installs Argo CD (argoproj.io Application), so nothing can take it over`);
    else argocd = argoCdInstall(argocdApplication, source);
    tools.push({ name: "helm", min: HELM_MIN });
  }
  if (delivery === "flux") {
    if (!b.fluxVersion) problems.push(`${field}.fluxVersion is required: the cluster is delivered by Flux`);
    else if (!/^v\d+\.\d+\.\d+$/.test(b.fluxVersion)) problems.push(`${field}.fluxVersion "${b.fluxVersion}" must be a release such as v2.7.5`);
    // The flux CLI installs its own version's controllers: it must be the pinned one.
    tools.push({ name: "flux", exact: b.fluxVersion });
  } else if (b.fluxVersion) {
    problems.push(`${field}.fluxVersion is set, but the cluster is delivered by Argo CD`);
  }
  if (problems.length) throw new GenerateErrors(problems.map((p) => new GenerateError(`${source}: ${p}`)));
  return {
    cluster: cluster.name,
    source,
    distribution: cluster.distribution,
    delivery,
    kubernetesVersion: cluster.kubernetesVersion,
    repo: cluster.repo,
    dir: `${BOOTSTRAP_ROOT}/${cluster.name}`,
    rootManifest: `clusters/${cluster.name}/root.yaml`,
    kubeContext: kubeContext!,
    kubeconfig,
    identityNodeSelector: identityNodeSelector!,
    provider: b,
    argocd,
    fluxVersion: b.fluxVersion,
    metallbRanges,
    tools: tools.sort((x, y) => x.name.localeCompare(y.name)),
  };
}
