import { entryOf, type Cluster } from "../model/cluster.ts";
import type { Component } from "../model/component.ts";
import { declaredPolicyExceptions } from "../model/policy-exception.ts";
import { ENVIRONMENTS, type Environment } from "../model/environment.ts";
import { describeObject, objectKey, type KubeObject } from "../model/kube-object.ts";
import { loadedComponentOf, type LoadedCluster, type LoadedComponent, type Workspace } from "../workspace/workspace.ts";
import { appProjects, componentApplication, rootApplication, type ApplicationPlan } from "./argocd.ts";
import { componentObjects, valuesFor } from "./component-objects.ts";
import { GenerateError, GenerateErrors } from "./errors.ts";
import { baseFiles, commonObjects, overlayFiles, type GeneratedFile } from "./kustomize-files.ts";
import { deepEqual } from "./json-patch.ts";
import { checkLabelName } from "./names.ts";
import { syncWaves } from "./waves.ts";
import { toYaml, toYamlStream } from "./yaml-file.ts";
import { fluxObjects, fluxRoot, helmRelease } from "./flux.ts";
import { undeclaredDependencies, unservedIngresses } from "./dependencies.ts";
import { noPlainSecret } from "../lint/rules/secrets.ts";
import { activeExceptions, utcToday } from "../lint/exceptions.ts";
import type { RuleContext } from "../lint/rule.ts";
import { clusterBootstrapFiles } from "../bootstrap/plan.ts";

/** Checks a generated object beyond what its model checks (strict schemas); returns messages. */
export type ObjectChecker = (object: KubeObject) => string[];

export interface ComponentPlan {
  readonly loaded: LoadedComponent;
  readonly files: GeneratedFile[];
  readonly objects: Record<Environment, KubeObject[]>;
}

export interface ClusterPlan {
  readonly loaded: LoadedCluster;
  readonly files: GeneratedFile[];
  readonly applications: ApplicationPlan[];
}

/** Everything one `generate` run writes, and the folders whose other generated files are orphans. */
export interface GeneratePlan {
  readonly files: GeneratedFile[];
  readonly ownedDirs: string[];
  readonly components: ComponentPlan[];
  readonly clusters: ClusterPlan[];
}

function checkObjects(objects: readonly KubeObject[], where: string, check?: ObjectChecker): void {
  if (!check) return;
  const problems = objects.flatMap((o) => check(o).map((m) => `${where}: ${describeObject(o)}: ${m}`));
  if (problems.length) throw new GenerateErrors(problems.map((p) => new GenerateError(p)));
}

/**
 * A Secret with data is refused before anything is written: once its values are in a committed file
 * they are in the repository's history for good. Only a typed exception of the component waives it,
 * as lint allows.
 */
function refusePlainSecrets(objects: readonly KubeObject[], where: string, component: Component<any>): void {
  const waivers = activeExceptions(declaredPolicyExceptions([component]), utcToday());
  const problems = objects.flatMap((o) =>
    waivers.waived(o).has(noPlainSecret.id)
      ? []
      : // The rule looks at the object alone (no settings, no other objects).
        noPlainSecret.check(o, { objects } as unknown as RuleContext).map((f) => new GenerateError(`${where}: ${describeObject(o)}: a plain Secret with ${f.path?.[0] ?? "data"} is never written to git; commit a SealedSecret (kubeseal) or an ExternalSecret that reads it from Vault`)),
  );
  if (problems.length) throw new GenerateErrors(problems);
}

export function planComponent(loaded: LoadedComponent, check?: ObjectChecker): ComponentPlan {
  const { component, dir, source } = loaded;
  checkLabelName("component", component.name, source);
  checkLabelName("namespace", component.namespace, source);
  if (component.chart && !/^v?\d+\.\d+\.\d+([-+][\w.-]+)?$/.test(component.chart.version)) {
    throw new GenerateError(`${source}: chart ${component.chart.chart} version "${component.chart.version}" must be an exact version such as 1.2.3`);
  }
  const objects = {} as Record<Environment, KubeObject[]>;
  for (const environment of ENVIRONMENTS) {
    objects[environment] = componentObjects(component, source, environment);
    refusePlainSecrets(objects[environment], `${source} (${environment})`, component);
    checkObjects(objects[environment], `${source} (${environment})`, check);
    if (component.chart) {
      try {
        component.chart.values(valuesFor(component, environment), { environment, namespace: component.namespace });
      } catch (error) {
        throw new GenerateError(`${source} (${environment}): chart values threw: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  const base = commonObjects(ENVIRONMENTS.map((e) => objects[e]));
  const files = [
    ...baseFiles(`${dir}/base`, base, source),
    ...ENVIRONMENTS.flatMap((e) => overlayFiles(`${dir}/overlays/${e}`, "../../base", base, objects[e], source)),
  ];
  return { loaded, files, objects };
}

export function planCluster(workspace: Workspace, loaded: LoadedCluster, componentPlans: Map<Component<any>, ComponentPlan>, check?: ObjectChecker): ClusterPlan {
  const { cluster, dir, source } = loaded;
  checkLabelName("cluster", cluster.name, source);
  if (!ENVIRONMENTS.includes(cluster.environment)) {
    throw new GenerateError(`${source}: environment "${cluster.environment}" is not one of ${ENVIRONMENTS.join(", ")}`);
  }
  if (!/^1\.\d+$/.test(cluster.kubernetesVersion)) {
    throw new GenerateError(`${source}: kubernetesVersion "${cluster.kubernetesVersion}" must be a minor version such as 1.34`);
  }
  const entries = cluster.components.map(entryOf);
  const included = new Set(entries.map((e) => e.component));
  const names = new Map<string, Component<any>>();
  for (const { component } of entries) {
    if (!component || typeof component !== "object") throw new GenerateError(`${source}: components contains ${component}, not a component`);
    if (names.has(component.name)) throw new GenerateError(`${source}: component "${component.name}" is listed twice`);
    names.set(component.name, component);
    if (component.runsOn && !component.runsOn.includes(cluster.distribution)) {
      throw new GenerateError(
        `${source}: component "${component.name}" cannot run on ${cluster.distribution} (it runs on ${component.runsOn.join(", ")})`,
      );
    }
    for (const dependency of component.dependsOn ?? []) {
      if (dependency && !included.has(dependency)) {
        throw new GenerateError(`${source}: component "${component.name}" depends on "${dependency.name}", which the cluster does not include`);
      }
    }
  }
  const roles = new Map<string, string>();
  for (const { component } of entries) {
    if (!component.role) continue;
    const other = roles.get(component.role);
    if (other) {
      throw new GenerateError(`${source}: components "${other}" and "${component.name}" are both the cluster's ${component.role}; include one of them`);
    }
    roles.set(component.role, component.name);
  }
  const waves = syncWaves([...included], source);
  const facts = {
    name: cluster.name,
    environment: cluster.environment,
    distribution: cluster.distribution,
    kubernetesVersion: cluster.kubernetesVersion,
    components: entries.map((e) => e.component.name).sort(),
    policy: cluster.policy,
    policyExceptions: declaredPolicyExceptions(entries.map((e) => e.component)),
  };
  const owner = new Map<string, string>();
  const applications: ApplicationPlan[] = [];
  const files: GeneratedFile[] = [];
  for (const entry of [...entries].sort((a, b) => a.component.name.localeCompare(b.component.name))) {
    const { component } = entry;
    const loadedComponent = loadedComponentOf(workspace, component);
    const plan = componentPlans.get(component);
    if (!plan) throw new GenerateError(`${source}: component "${component.name}" was not planned`);
    const envObjects = plan.objects[cluster.environment];
    let objects = envObjects;
    let path = `${loadedComponent.dir}/overlays/${cluster.environment}`;
    let derived: object | undefined;
    try {
      derived = component.fromCluster?.(facts);
    } catch (error) {
      throw new GenerateError(`${source} → ${component.name}: fromCluster() threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    const overrides = { ...derived, ...entry.values };
    if (Object.keys(overrides).length > 0) {
      objects = componentObjects(component, `${source} → ${component.name}`, cluster.environment, {
        overrides,
        cluster: cluster.name,
      });
      refusePlainSecrets(objects, `${source} → ${component.name}`, component);
      checkObjects(objects, `${source} → ${component.name}`, check);
      if (!deepEqual(objects, envObjects)) {
        path = `${dir}/components/${component.name}`;
        const up = path.split("/").map(() => "..").join("/");
        files.push(...overlayFiles(path, `${up}/${loadedComponent.dir}/overlays/${cluster.environment}`, envObjects, objects, source));
      }
    }
    for (const o of objects) {
      const key = objectKey(o);
      const other = owner.get(key);
      if (other) {
        throw new GenerateError(
          `${source}: components "${other}" and "${component.name}" both produce ${describeObject(o)}` +
            (o.kind === "Namespace" ? ` (set createNamespace: false on one and make it depend on the other)` : ""),
        );
      }
      owner.set(key, component.name);
    }
    const values = valuesFor(component, cluster.environment, overrides);
    let chartValues: object | undefined;
    try {
      chartValues = component.chart?.values(values, { environment: cluster.environment, namespace: component.namespace, cluster: cluster.name });
    } catch (error) {
      throw new GenerateError(`${source} → ${component.name}: chart values threw: ${error instanceof Error ? error.message : String(error)}`);
    }
    applications.push({
      component,
      project: loadedComponent.dir.startsWith("apps/") ? "apps" : "platform",
      wave: waves.get(component)!,
      path,
      chartValues,
      objects,
    });
  }
  const sourceOf = (c: Component<any>) => loadedComponentOf(workspace, c).source;
  const undeclared = [...undeclaredDependencies(applications, sourceOf), ...unservedIngresses(applications, sourceOf, cluster.name)];
  if (undeclared.length) throw new GenerateErrors(undeclared);
  try {
    files.push(...engineFiles(cluster, dir, applications, source, check));
  } catch (error) {
    // The engine's objects are built from cluster.ts (its repository URL, its components): name it.
    if (error instanceof GenerateError && !(error instanceof GenerateErrors) && !error.message.startsWith(source)) throw new GenerateError(`${source}: ${error.message}`);
    throw error;
  }
  // bootstrap/<cluster>/: what creates the cluster and hands it to the engine, from the same facts.
  files.push(...clusterBootstrapFiles(cluster, source, applications));
  return { loaded, files, applications };
}

/** The GitOps engine's own files of a cluster: Argo CD's root, AppProjects and Applications, or Flux's objects. */
function engineFiles(cluster: Cluster, dir: string, applications: readonly ApplicationPlan[], source: string, check?: ObjectChecker): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  const appsDir = `${dir}/apps`;
  if (cluster.delivery === "flux") {
    const chartDir = (component: string) => `${dir}/charts/${component}`;
    for (const plan of applications.filter((a) => a.component.chart)) {
      const release = helmRelease(plan);
      checkObjects([release], source, check);
      files.push(...baseFiles(chartDir(plan.component.name), [release], source));
    }
    const fluxApps = fluxObjects(cluster, applications, chartDir);
    const root = fluxRoot(cluster, appsDir);
    checkObjects([...fluxApps, ...root], source, check);
    files.push(...baseFiles(appsDir, fluxApps, source));
    files.push({ path: `${dir}/root.yaml`, source, body: toYamlStream(root) });
    return files;
  }
  const appObjects = [...appProjects(cluster, applications), ...applications.map((a) => componentApplication(cluster, a))];
  const root = rootApplication(cluster, appsDir);
  // The engine's own objects go through the same strict schemas as the components' objects.
  checkObjects([...appObjects, root], source, check);
  files.push(...baseFiles(appsDir, appObjects, source));
  files.push({ path: `${dir}/root.yaml`, source, body: toYaml(root) });
  return files;
}

/** The public hosts an object claims: Ingress rules, Gateway API routes, Istio VirtualServices bound to a gateway. */
export function publicHosts(object: KubeObject): string[] {
  const spec = (object as { spec?: Record<string, unknown> }).spec ?? {};
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((h): h is string => typeof h === "string") : []);
  if (object.kind === "Ingress") return strings(((spec.rules as { host?: unknown }[] | undefined) ?? []).map((r) => r?.host));
  if (object.kind === "HTTPRoute" || object.kind === "GRPCRoute" || object.kind === "TLSRoute") return strings(spec.hostnames);
  if (object.kind === "VirtualService") {
    const gateways = strings(spec.gateways).filter((g) => g !== "mesh");
    return gateways.length ? strings(spec.hosts).filter((h) => h.includes(".") && !h.endsWith(".svc.cluster.local")) : [];
  }
  return [];
}

/**
 * Two components, or one component on two clusters of one environment, claiming the same public host:
 * DNS can send the host to only one of them. One error per host, at the cluster file of its second claim.
 */
export function hostCollisions(clusters: readonly ClusterPlan[]): GenerateError[] {
  const claims = new Map<string, { cluster: ClusterPlan; component: string }[]>();
  for (const plan of clusters) {
    for (const app of plan.applications) {
      for (const host of new Set(app.objects.flatMap(publicHosts))) {
        const key = `${plan.loaded.cluster.environment}\u0000${host.toLowerCase()}`;
        const list = claims.get(key) ?? [];
        if (!list.some((c) => c.cluster === plan && c.component === app.component.name)) list.push({ cluster: plan, component: app.component.name });
        claims.set(key, list);
      }
    }
  }
  const errors: GenerateError[] = [];
  for (const [key, list] of [...claims].sort(([a], [b]) => a.localeCompare(b))) {
    if (list.length < 2) continue;
    const [environment, host] = key.split("\u0000");
    const who = list.map((c) => `"${c.component}" on cluster "${c.cluster.loaded.cluster.name}"`).join(" and ");
    errors.push(
      new GenerateError(
        `${list[1].cluster.loaded.source}: public host "${host}" is claimed by ${who} (environment ${environment}); a host belongs to one component of one cluster per environment: give each its own host`,
      ),
    );
  }
  return errors;
}

/** Plans every file of the workspace (or of the components and clusters it was loaded with). */
export function planWorkspace(workspace: Workspace, options: { check?: ObjectChecker; only?: { components?: string[]; clusters?: string[] } } = {}): GeneratePlan {
  const errors: GenerateError[] = [];
  const componentPlans = new Map<Component<any>, ComponentPlan>();
  for (const loaded of workspace.components) {
    try {
      componentPlans.set(loaded.component, planComponent(loaded, options.check));
    } catch (error) {
      if (!(error instanceof GenerateError)) throw error;
      errors.push(...(error instanceof GenerateErrors ? error.errors : [error]));
    }
  }
  try {
    syncWaves(workspace.components.map((c) => c.component), "components");
  } catch (error) {
    errors.push(error as GenerateError);
  }
  const clusterPlans: ClusterPlan[] = [];
  if (errors.length === 0) {
    for (const loaded of workspace.clusters) {
      try {
        clusterPlans.push(planCluster(workspace, loaded, componentPlans, options.check));
      } catch (error) {
        if (!(error instanceof GenerateError)) throw error;
        errors.push(...(error instanceof GenerateErrors ? error.errors : [error]));
      }
    }
  }
  if (errors.length === 0) errors.push(...hostCollisions(clusterPlans));
  // The same component fails the same way on each cluster that includes it: once is enough.
  if (errors.length) throw new GenerateErrors([...new Map(errors.map((e) => [e.message, e])).values()]);
  const only = options.only;
  const componentsWritten = [...componentPlans.values()].filter((p) => !only || (only.components ?? []).includes(p.loaded.component.name));
  const clustersWritten = clusterPlans.filter((p) => !only || (only.clusters ?? []).includes(p.loaded.cluster.name));
  return {
    files: [...componentsWritten.flatMap((p) => p.files), ...clustersWritten.flatMap((p) => p.files)],
    ownedDirs: [
      ...componentsWritten.flatMap((p) => [`${p.loaded.dir}/base`, `${p.loaded.dir}/overlays`]),
      ...clustersWritten.map((p) => p.loaded.dir),
    ],
    components: componentsWritten,
    clusters: clustersWritten,
  };
}
