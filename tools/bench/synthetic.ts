/**
 * A synthetic platform for the benchmark: N service components and one platform component, included by
 * M clusters, written as real component.ts and cluster.ts files in a real workspace (nx.json, TypeScript
 * config, tools/ and schemas/ copied, node_modules linked), so that every stage runs exactly as it runs
 * in this repository.
 *
 * Each service component has about 19 objects per environment: Namespace, ServiceAccount, Role,
 * RoleBinding, two ConfigMaps, an API Deployment (probes, resources, securityContext) with its Service,
 * Ingress, HorizontalPodAutoscaler and PodDisruptionBudget, a worker Deployment and its metrics Service,
 * a cert-manager Certificate, a ServiceMonitor, the namespace baseline (two NetworkPolicies,
 * ResourceQuota, LimitRange); dev and prod differ in replicas, resources, image tags, hosts and log
 * levels, prod adds a PodDisruptionBudget for the worker and drops the debug ConfigMap. Every eighth
 * service depends on the one before it; one prod cluster overrides a few components' values; with three
 * or more clusters the last one is delivered by Flux.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface SyntheticOptions {
  readonly components: number;
  readonly clusters: number;
}

export interface SyntheticPlatform {
  readonly root: string;
  /** Service component names, e.g. svc-0001. */
  readonly components: string[];
  /** Repo-relative component folders, platform component included. */
  readonly componentDirs: string[];
  readonly clusters: string[];
  /** A service no other component depends on (the one the `nx affected` measurement changes). */
  readonly leaf: string;
  readonly leafDir: string;
}

export const PLATFORM_COMPONENT = "bench-platform";

function pad(i: number): string {
  return String(i).padStart(4, "0");
}

export function serviceName(i: number): string {
  return `svc-${pad(i)}`;
}

/** Every eighth service (from the second on) depends on the service before it. */
export function dependencyOf(i: number): number | undefined {
  return i % 8 === 1 ? i - 1 : undefined;
}

/** Every fourth service lives under infrastructure/, the others under apps/. */
export function serviceDir(i: number): string {
  return `${i % 4 === 3 ? "infrastructure" : "apps"}/${serviceName(i)}`;
}

export function platformComponentSource(): string {
  return `import { ClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";

export interface PlatformValues {
  readonly replicas: number;
  readonly logLevel: "debug" | "info";
}

/** Installs the CRDs the services use (cert-manager, Prometheus Operator) and the platform CA issuer. */
export default defineComponent<PlatformValues>({
  name: "${PLATFORM_COMPONENT}",
  description: "Benchmark platform: cert-manager and Prometheus Operator CRDs, and the CA issuer every service uses.",
  namespace: "${PLATFORM_COMPONENT}",
  // The ingress class the services' Ingresses use (the controller itself is not part of the benchmark).
  ingressClasses: ["nginx"],
  crds: [
    { group: "cert-manager.io", kind: "Certificate", versions: ["v1"] },
    { group: "cert-manager.io", kind: "Issuer", versions: ["v1"] },
    { group: "cert-manager.io", kind: "ClusterIssuer", versions: ["v1"] },
    { group: "monitoring.coreos.com", kind: "ServiceMonitor", versions: ["v1"] },
  ],
  chart: {
    repoURL: "https://charts.jetstack.io",
    chart: "cert-manager",
    version: "1.16.1",
    values: (v) => ({ crds: { enabled: true }, replicaCount: v.replicas, global: { logLevel: v.logLevel === "debug" ? 4 : 2 } }),
  },
  values: {
    dev: { replicas: 1, logLevel: "debug" },
    prod: { replicas: 2, logLevel: "info" },
  },
  resources: (_v, { namespace }) => [
    ...namespaceBaseline({ namespace, apiServerEgress: true, internetEgress: true }),
    new ClusterIssuer({ metadata: { name: "platform-ca" }, spec: { selfSigned: {} } }),
  ],
});
`;
}

/** The component.ts of service i: typed objects, values per environment. */
export function serviceComponentSource(i: number): string {
  const name = serviceName(i);
  const dep = dependencyOf(i);
  const depImport = dep === undefined ? "" : `import upstream from "../../${serviceDir(dep)}/component.ts";\n`;
  const upstreamEnv = dep === undefined ? "" : `\n              { name: "UPSTREAM_URL", value: \`http://api.\${upstream.namespace}.svc.cluster.local\` },`;
  const team = `team-${i % 7}`;
  const port = 8080 + (i % 5);
  return `import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IPodSpec } from "kubernetes-models/v1/PodSpec";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { Certificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import platform from "../../infrastructure/${PLATFORM_COMPONENT}/component.ts";
${depImport}import { defineComponent } from "../../tools/model/index.ts";
import { namespaceBaseline } from "../../tools/platform/baseline.ts";
import { contentChecksum } from "../../tools/platform/checksum.ts";

export interface ServiceValues {
  readonly tag: string;
  readonly replicas: number;
  readonly workerReplicas: number;
  readonly autoscaling: { readonly min: number; readonly max: number };
  readonly resources: { readonly cpu: string; readonly memory: string; readonly cpuLimit: string; readonly memoryLimit: string };
  readonly host: string;
  readonly logLevel: "debug" | "info";
  readonly debug: boolean;
}

const name = "${name}";
const port = ${port};
const image = "registry.example.com/${team}/${name}";
const labels = { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "api", "app.kubernetes.io/part-of": "${team}" };
const workerLabels = { "app.kubernetes.io/name": name, "app.kubernetes.io/component": "worker", "app.kubernetes.io/part-of": "${team}" };

function container(role: string, v: ServiceValues): IContainer {
  return {
    name: role,
    image: \`\${image}:\${v.tag}\`,
    args: ["--role", role, "--log-level", v.logLevel],
    ports: [{ name: "http", containerPort: port }, { name: "metrics", containerPort: 9090 }],
    envFrom: [{ configMapRef: { name: \`\${name}-config\` } }],
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },${upstreamEnv}
    ],
    resources: { requests: { cpu: v.resources.cpu, memory: v.resources.memory }, limits: { cpu: v.resources.cpuLimit, memory: v.resources.memoryLimit } },
    readinessProbe: { httpGet: { path: "/ready", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { httpGet: { path: "/healthz", port: "http" }, initialDelaySeconds: 10, periodSeconds: 10 },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

function config(v: ServiceValues): Record<string, string> {
  return { LOG_LEVEL: v.logLevel, HTTP_PORT: String(port), METRICS_PORT: "9090", FEATURE_FLAGS: "search,export", CACHE_TTL: "30s" };
}

/** The pod templates roll when a config they read changes. */
function checksums(v: ServiceValues): Record<string, string> {
  return {
    [\`checksum/\${name}-config\`]: contentChecksum(config(v)),
    ...(v.debug ? { [\`checksum/\${name}-debug\`]: contentChecksum({ PPROF: "true", TRACE_SAMPLING: "1.0" }) } : {}),
  };
}

function podSpec(role: string, v: ServiceValues): IPodSpec {
  return {
    serviceAccountName: name,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container(role, v)],
    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: labels } }],
  };
}

export default defineComponent<ServiceValues>({
  name,
  description: "Benchmark service ${i}: an API and a worker.",
  namespace: name,
  dependsOn: [platform${dep === undefined ? "" : ", upstream"}],
  values: {
    dev: {
      tag: "1.${(i % 9) + 1}.0-rc.${i % 13}",
      replicas: 1,
      workerReplicas: 1,
      autoscaling: { min: 1, max: 3 },
      resources: { cpu: "50m", memory: "64Mi", cpuLimit: "250m", memoryLimit: "128Mi" },
      host: "${name}.dev.example.com",
      logLevel: "debug",
      debug: true,
    },
    prod: {
      tag: "1.${i % 9}.${i % 17}",
      replicas: ${2 + (i % 3)},
      workerReplicas: 2,
      autoscaling: { min: 2, max: ${6 + (i % 10)} },
      resources: { cpu: "${100 + (i % 4) * 50}m", memory: "${128 * (1 + (i % 3))}Mi", cpuLimit: "1", memoryLimit: "${256 * (1 + (i % 3))}Mi" },
      host: "${name}.example.com",
      logLevel: "info",
      debug: false,
    },
  },
  // A public host belongs to one cluster per environment: each prod cluster serves its own.
  fromCluster: (cluster) => (cluster.environment === "prod" ? { host: \`${name}.\${cluster.name}.example.com\` } : {}),
  resources: (v, { namespace }) => [
    ...namespaceBaseline({
      namespace,
      ingressFrom: [{ namespace: "ingress-nginx", ports: [{ port }] }, { namespace: "monitoring", ports: [{ port: 9090 }] }],
      quota: { cpu: "8", memory: "16Gi", pods: 40 },
      defaults: { cpu: "50m", memory: "64Mi", memoryLimit: "256Mi" },
    }),
    new ServiceAccount({ metadata: { name, namespace, labels } }),
    new Role({
      metadata: { name, namespace, labels },
      rules: [
        { apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
      ],
    }),
    new RoleBinding({
      metadata: { name, namespace, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    }),
    new ConfigMap({ metadata: { name: \`\${name}-config\`, namespace, labels }, data: config(v) }),
    ...(v.debug ? [new ConfigMap({ metadata: { name: \`\${name}-debug\`, namespace, labels }, data: { PPROF: "true", TRACE_SAMPLING: "1.0" } })] : []),
    new Deployment({
      metadata: { name, namespace, labels },
      spec: {
        // No replicas: the autoscaler owns the count (a sync would reset it).
        revisionHistoryLimit: 3,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        template: { metadata: { labels, annotations: { "prometheus.io/scrape": "true", ...checksums(v) } }, spec: podSpec("api", v) },
      },
    }),
    new Deployment({
      metadata: { name: \`\${name}-worker\`, namespace, labels: workerLabels },
      spec: {
        replicas: v.workerReplicas,
        revisionHistoryLimit: 3,
        selector: { matchLabels: workerLabels },
        template: { metadata: { labels: workerLabels, annotations: checksums(v) }, spec: podSpec("worker", v) },
      },
    }),
    new Service({
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "metrics", port: 9090, targetPort: "metrics" }] },
    }),
    new Service({
      metadata: { name: \`\${name}-worker-metrics\`, namespace, labels: workerLabels },
      spec: { selector: workerLabels, ports: [{ name: "metrics", port: 9090, targetPort: "metrics" }] },
    }),
    new Ingress({
      metadata: { name, namespace, labels, annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "8m" } },
      spec: {
        ingressClassName: "nginx",
        tls: [{ hosts: [v.host], secretName: \`\${name}-tls\` }],
        rules: [{ host: v.host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name, port: { name: "http" } } } }] } }],
      },
    }),
    new Certificate({
      metadata: { name: \`\${name}-tls\`, namespace, labels },
      spec: { secretName: \`\${name}-tls\`, dnsNames: [v.host], issuerRef: { name: "platform-ca", kind: "ClusterIssuer", group: "cert-manager.io" } },
    }),
    new HorizontalPodAutoscaler({
      metadata: { name, namespace, labels },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: Math.max(v.autoscaling.min, v.replicas),
        maxReplicas: Math.max(v.autoscaling.max, v.replicas),
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 75 } } }],
      },
    }),
    new PodDisruptionBudget({ metadata: { name, namespace, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }),
    ...(v.workerReplicas > 1
      ? [new PodDisruptionBudget({ metadata: { name: \`\${name}-worker\`, namespace, labels: workerLabels }, spec: { minAvailable: 1, selector: { matchLabels: workerLabels } } })]
      : []),
    new ServiceMonitor({
      metadata: { name, namespace, labels },
      spec: { selector: { matchLabels: labels }, endpoints: [{ port: "metrics", interval: "30s", path: "/metrics" }] },
    }),
  ],
});
`;
}

export function clusterName(k: number): string {
  return `cluster-${k + 1}`;
}

/** The cluster.ts of cluster k: dev for the first, prod for the others, Flux for the last of three or more. */
export function clusterSource(k: number, clusters: number, components: number): string {
  const name = clusterName(k);
  const environment = k === 0 ? "dev" : "prod";
  const flux = clusters >= 3 && k === clusters - 1;
  const overrides = environment === "prod" && k === 1;
  const imports = [`import platform from "../../infrastructure/${PLATFORM_COMPONENT}/component.ts";`];
  const entries = ["platform"];
  for (let i = 0; i < components; i++) {
    const id = `s${pad(i)}`;
    imports.push(`import ${id} from "../../${serviceDir(i)}/component.ts";`);
    // The second cluster runs the first three services with more replicas: cluster-specific overlays.
    entries.push(overrides && i < 3 ? `withValues(${id}, { replicas: ${5 + i} })` : id);
  }
  return `${imports.join("\n")}
import { defineCluster, withValues } from "../../tools/model/index.ts";

export default defineCluster({
  name: "${name}",
  description: "Benchmark cluster ${k + 1} (${environment}${flux ? ", Flux" : ""}).",
  environment: "${environment}",
  kubernetesVersion: "1.34",
  distribution: "${k === 0 ? "kind" : "generic"}",
  repo: { url: "https://git.example.com/bench/platform.git", revision: "main" },${flux ? `\n  delivery: "flux",` : ""}
  components: [
    ${entries.join(",\n    ")},
  ],
});
`;
}

function write(root: string, rel: string, text: string): void {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The component and cluster files of the synthetic platform, repo-relative. */
export function syntheticFiles(options: SyntheticOptions): Record<string, string> {
  const files: Record<string, string> = {};
  files[`infrastructure/${PLATFORM_COMPONENT}/component.ts`] = platformComponentSource();
  for (let i = 0; i < options.components; i++) files[`${serviceDir(i)}/component.ts`] = serviceComponentSource(i);
  for (let k = 0; k < options.clusters; k++) files[`clusters/${clusterName(k)}/cluster.ts`] = clusterSource(k, options.clusters, options.components);
  return files;
}

/**
 * Writes a synthetic workspace into a new temporary folder: the repository's nx.json, TypeScript and
 * package files, a copy of tools/ and schemas/ (so that Nx hashes them as it does here), node_modules
 * linked, and the platform's source files. Nothing is generated yet. `toolsDir` measures another
 * toolchain (an older checkout's tools/, for before/after figures).
 */
export function writeSyntheticWorkspace(
  repoRoot: string,
  options: SyntheticOptions,
  where: { parent?: string; toolsDir?: string } = {},
): SyntheticPlatform {
  const parent = where.parent ?? os.tmpdir();
  if (!Number.isInteger(options.components) || options.components < 1) throw new Error(`components must be a positive integer, got ${options.components}`);
  if (!Number.isInteger(options.clusters) || options.clusters < 1) throw new Error(`clusters must be a positive integer, got ${options.clusters}`);
  const root = mkdtempSync(path.join(parent, `gitops-bench-${options.components}x${options.clusters}-`));
  for (const file of ["nx.json", ".env", "tsconfig.base.json", "tsconfig.json", "package.json", ".gitignore"]) cpSync(path.join(repoRoot, file), path.join(root, file));
  const skip = (src: string) => !src.split(path.sep).includes("node_modules") && !/\.test\.ts$/.test(src) && !src.split(path.sep).includes("fixtures");
  cpSync(where.toolsDir ?? path.join(repoRoot, "tools"), path.join(root, "tools"), { recursive: true, filter: skip });
  cpSync(path.join(repoRoot, "schemas"), path.join(root, "schemas"), { recursive: true });
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
  for (const [rel, text] of Object.entries(syntheticFiles(options))) write(root, rel, text);
  const components = Array.from({ length: options.components }, (_, i) => serviceName(i));
  const dependedOn = new Set(Array.from({ length: options.components }, (_, i) => dependencyOf(i)).filter((d) => d !== undefined));
  let leafIndex = options.components - 1;
  while (leafIndex > 0 && dependedOn.has(leafIndex)) leafIndex--;
  return {
    root,
    components,
    componentDirs: [`infrastructure/${PLATFORM_COMPONENT}`, ...components.map((_, i) => serviceDir(i))].sort(),
    clusters: Array.from({ length: options.clusters }, (_, k) => clusterName(k)),
    leaf: serviceName(leafIndex),
    leafDir: serviceDir(leafIndex),
  };
}
