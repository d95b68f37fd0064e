import path from "node:path";
import { chartLabel, readLock, type ChartRef } from "../charts/lock.ts";
import { pullCharts } from "../charts/pull.ts";
import { templateCharts, type ChartObject, type TemplateJob } from "../charts/template.ts";
import { buildKustomization } from "../render/kustomize.ts";
import { describeObject, isClusterScoped, type KubeObject } from "../model/kube-object.ts";
import { parseDocuments } from "../workspace/documents.ts";
import { diskFiles, type FileSource } from "../render/file-source.ts";
import { GenerateError } from "../generate/errors.ts";

/** The Kubernetes version charts are templated for when the cluster's is not known. */
const DEFAULT_KUBE_VERSION = "1.34";

export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";

/** One Argo CD Application (or Flux Kustomization) of a cluster and what it applies. */
export interface RenderedApp {
  readonly name: string;
  /** Argo CD sync wave; for Flux, the depth in the dependsOn graph. */
  readonly wave: number;
  readonly project?: string;
  /** Repo-relative folder built with Kustomize, when the app has a git source in this repo. */
  readonly path?: string;
  /** Pinned Helm chart the app also deploys. */
  readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
  readonly namespace: string;
  /** What the app's git folder builds. */
  readonly objects: KubeObject[];
  /** What the app's chart renders, each object with its template; empty when the chart was not rendered. */
  readonly chartObjects: readonly ChartObject[];
  /** The template cache key of `chartObjects` (tools/charts/template.ts) and their namespace: they are a function of it. */
  readonly chartKey?: string;
}

/** How each chart of a cluster fared: rendered, or why not. */
export interface ChartRender {
  readonly app: string;
  readonly ref: ChartRef;
  readonly releaseName: string;
  readonly namespace: string;
  /**
   * not-found: the repository (or mirror) answered that it has no such chart or version; unreachable:
   * no answer (no network, no mirror); skipped: GITOPS_CHARTS=off.
   */
  readonly status: "rendered" | "not-found" | "unreachable" | "refused" | "failed" | "skipped";
  /** Why it was not rendered (Helm's message, plus what was passed). */
  readonly message?: string;
  readonly objects: number;
  /** Whether the output came from the cache (no Helm process). */
  readonly cached: boolean;
}

export interface RenderClusterOptions {
  /** Template the charts (pull them when not cached). @default true, unless GITOPS_CHARTS=off */
  readonly charts?: boolean;
  /** The cluster's Kubernetes version (--kube-version). @default the literal in cluster.ts, else 1.34 */
  readonly kubernetesVersion?: string;
  /** Print Helm progress lines to stderr. */
  readonly progress?: boolean;
  /** Where the committed files are read (another commit's, for a diff). @default the disk */
  readonly files?: FileSource;
}

export interface RenderedCluster {
  readonly cluster: string;
  readonly engine: "argocd" | "flux";
  /** The root objects (clusters/<name>/root.yaml), applied by bootstrap. */
  readonly root: KubeObject[];
  /** What the root applies: AppProjects and Applications, or Flux sources and Kustomizations. */
  readonly appObjects: KubeObject[];
  readonly apps: RenderedApp[];
  /** Folders Kustomize could not build natively and that were built with kubectl instead. */
  readonly builtWithKubectl: string[];
  /** Every chart source of the cluster, in app order. */
  readonly charts: readonly ChartRender[];
}

interface AppSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  helm?: { releaseName?: string; valuesObject?: unknown; values?: string; skipCrds?: boolean; skipTests?: boolean };
}

/** A chart to template for an app, before it is pulled. */
interface ChartSource {
  readonly app: string;
  readonly ref: ChartRef;
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: unknown;
  readonly includeCrds: boolean;
}

/** `kubernetesVersion: "1.34"` as cluster.ts states it (render reads committed files, not the TypeScript). */
export function clusterKubernetesVersion(root: string, clusterDir: string, files: FileSource = diskFiles): string {
  try {
    const text = files.read(path.join(root, clusterDir, "cluster.ts"));
    return /\bkubernetesVersion:\s*["'](\d+\.\d+)/.exec(text)?.[1] ?? DEFAULT_KUBE_VERSION;
  } catch {
    return DEFAULT_KUBE_VERSION;
  }
}

/** The API versions a set of CRDs serves: group/version and group/version/Kind, as discovery lists them. */
export function crdApiVersions(objects: readonly KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    if (o?.kind !== "CustomResourceDefinition" || !String(o.apiVersion ?? "").startsWith("apiextensions.k8s.io/")) continue;
    const spec = o.spec as { group?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] } | undefined;
    if (!spec?.group) continue;
    for (const v of spec.versions ?? []) {
      if (!v.name || v.served === false) continue;
      out.push(`${spec.group}/${v.name}`);
      if (spec.names?.kind) out.push(`${spec.group}/${v.name}/${spec.names.kind}`);
    }
  }
  return out;
}

/**
 * Pulls and templates the charts of a cluster, as the engine would: with the API versions of the CRDs
 * the cluster's render installs. Those come partly from the charts themselves, so the charts are
 * templated again when their own CRDs add API versions (a chart that tests none of the added versions
 * keeps its first output).
 */
function renderCharts(
  root: string,
  sources: readonly ChartSource[],
  baseApiVersions: readonly string[],
  kubeVersion: string,
  progress: boolean,
  files: FileSource,
): { renders: ChartRender[]; objects: ChartObject[][]; keys: (string | undefined)[] } {
  const lock = readLock(root, files);
  const pulled = pullCharts(sources.map((s) => s.ref), lock, { progress });
  const ready = sources.map((_, i) => i).filter((i) => pulled[i].file && !pulled[i].problem);
  const jobsFor = (apiVersions: readonly string[]): TemplateJob[] =>
    ready.map((i) => ({
      ref: sources[i].ref,
      file: pulled[i].file!,
      sha256: pulled[i].sha256!,
      releaseName: sources[i].releaseName,
      namespace: sources[i].namespace,
      kubeVersion,
      apiVersions,
      values: sources[i].values,
      includeCrds: sources[i].includeCrds,
    }));
  let apiVersions = [...new Set(baseApiVersions)].sort();
  let results = templateCharts(jobsFor(apiVersions), { progress });
  const withCharts = [...new Set([...apiVersions, ...results.flatMap((r) => crdApiVersions((r.objects ?? []).map((o) => o.object)))])].sort();
  if (withCharts.length !== apiVersions.length) {
    apiVersions = withCharts;
    // A chart that tests none of the added versions has the same key: its first output is taken as it is.
    results = templateCharts(jobsFor(apiVersions), { progress, reuse: results });
  }
  const renders: ChartRender[] = [];
  const objects: ChartObject[][] = [];
  const keys: (string | undefined)[] = [];
  sources.forEach((s, i) => {
    keys.push(undefined);
    const base = { app: s.app, ref: s.ref, releaseName: s.releaseName, namespace: s.namespace };
    const k = ready.indexOf(i);
    if (k < 0) {
      const problem = pulled[i].problem;
      renders.push({ ...base, status: problem === "digest-mismatch" ? "refused" : problem === "not-found" ? "not-found" : "unreachable", message: pulled[i].message, objects: 0, cached: false });
      objects.push([]);
      return;
    }
    const r = results[k];
    if (r.error !== undefined) {
      const values = JSON.stringify(s.values ?? {});
      renders.push({
        ...base,
        status: "failed",
        message: `helm template ${chartLabel(s.ref)} (release ${s.releaseName}, namespace ${s.namespace}) failed: ${r.error}\n  values passed: ${values.length > 2000 ? `${values.slice(0, 2000)}…` : values}`,
        objects: 0,
        cached: false,
      });
      objects.push([]);
      return;
    }
    const chartObjects = (r.objects ?? []).map((o) => ({ ...o, object: s.namespace ? withDestinationNamespace(o.object, s.namespace) : o.object }));
    renders.push({ ...base, status: "rendered", objects: chartObjects.length, cached: r.cached });
    objects.push(chartObjects);
    // With the namespace the objects were put into (helm template's --namespace is "default" for none).
    keys[i] = r.key === undefined ? undefined : `${r.key} namespace ${s.namespace}`;
  });
  return { renders, objects, keys };
}

/** The repo-relative path an Argo CD source points at, when the source is this repository. */
function localPath(source: AppSource, repoURL: string | undefined): string | undefined {
  if (!source.path || source.chart) return undefined;
  if (repoURL && source.repoURL !== repoURL) return undefined;
  return cleanPath(source.path);
}

function cleanPath(p: string): string {
  return p.replace(/^\.\//, "").replace(/\/$/, "");
}

/** Argo CD (and Flux's targetNamespace) put namespaced objects without a namespace into the destination namespace. */
function withDestinationNamespace(o: KubeObject, namespace: string): KubeObject {
  if (o.metadata?.namespace || isClusterScoped(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

const isArgoApp = (o: KubeObject) => o.kind === "Application" && o.apiVersion.startsWith("argoproj.io/");
const isFluxKustomization = (o: KubeObject) => o.kind === "Kustomization" && o.apiVersion.startsWith("kustomize.toolkit.fluxcd.io/");

/**
 * Renders a cluster from its committed files, as its GitOps engine does: the root's folder gives the
 * Applications (Argo CD) or Kustomizations (Flux), and each one's git folder is built with Kustomize.
 */
export function renderCluster(root: string, clusterDir: string, cache = new Map<string, unknown>(), options: RenderClusterOptions = {}): RenderedCluster {
  const files = options.files ?? diskFiles;
  const rootFile = `${clusterDir}/root.yaml`;
  if (files.signature(path.join(root, rootFile)) === undefined) {
    throw new GenerateError(`${rootFile} does not exist: run \`npm run generate\` first`);
  }
  const rootObjects = parseDocuments(files.read(path.join(root, rootFile)), rootFile).map((d) => d.value as KubeObject);
  const builtWithKubectl: string[] = [];
  const build = (dir: string, by: string): KubeObject[] => {
    const abs = path.join(root, dir);
    if (files.signature(abs) === undefined) throw new GenerateError(`${by}: path ${dir} does not exist`);
    const result = buildKustomization(abs, { cache, files });
    if (result.usedKubectl) builtWithKubectl.push(dir);
    return result.objects;
  };
  const cluster = path.posix.basename(clusterDir);
  const argoRoot = rootObjects.find(isArgoApp);
  const fluxRoot = rootObjects.find(isFluxKustomization);
  const apps: RenderedApp[] = [];
  const chartSources: ChartSource[] = [];
  let appObjects: KubeObject[];

  if (argoRoot) {
    const repoURL = (argoRoot.spec as { source?: AppSource }).source?.repoURL;
    const appsPath = localPath((argoRoot.spec as { source: AppSource }).source, repoURL);
    if (!appsPath) throw new GenerateError(`${rootFile}: the root Application has no path in this repository`);
    appObjects = build(appsPath, `${rootFile}: Application root`);
    for (const app of appObjects.filter(isArgoApp)) {
      const spec = app.spec as { project: string; source?: AppSource; sources?: AppSource[]; destination?: { namespace?: string } };
      const sources = spec.sources ?? (spec.source ? [spec.source] : []);
      const chartSource = sources.find((s) => s.chart);
      const gitPath = sources.map((s) => localPath(s, repoURL)).find((p) => p !== undefined);
      const wave = Number(app.metadata.annotations?.[SYNC_WAVE] ?? "0");
      const namespace = spec.destination?.namespace ?? "";
      const objects = gitPath ? build(gitPath, `${appsPath}: ${describeObject(app)}`) : [];
      const chart = chartSource ? { repoURL: chartSource.repoURL ?? "", chart: chartSource.chart!, version: chartSource.targetRevision ?? "" } : undefined;
      if (chartSource && chart) {
        // Argo CD's repo-server: release name from helm.releaseName, else the Application's name.
        chartSources.push({
          app: app.metadata.name,
          ref: chart,
          releaseName: chartSource.helm?.releaseName ?? app.metadata.name,
          namespace,
          values: chartSource.helm?.valuesObject ?? {},
          includeCrds: chartSource.helm?.skipCrds !== true,
        });
      }
      apps.push({
        name: app.metadata.name,
        wave: Number.isFinite(wave) ? wave : 0,
        project: spec.project,
        path: gitPath,
        chart,
        namespace,
        objects: namespace ? objects.map((o) => withDestinationNamespace(o, namespace)) : objects,
        chartObjects: [],
      });
    }
  } else if (fluxRoot) {
    const appsPath = cleanPath(String((fluxRoot.spec as { path?: string }).path ?? ""));
    appObjects = build(appsPath, `${rootFile}: Kustomization root`);
    const repositories = new Map(
      appObjects.filter((o) => o.kind === "HelmRepository").map((o) => [o.metadata.name, String((o.spec as { url?: string }).url ?? "")]),
    );
    const kustomizations = appObjects.filter(isFluxKustomization);
    const depends = new Map(kustomizations.map((k) => [k.metadata.name, ((k.spec as { dependsOn?: { name: string }[] }).dependsOn ?? []).map((d) => d.name)]));
    const depth = new Map<string, number>();
    const waveOf = (name: string, seen: string[] = []): number => {
      if (depth.has(name)) return depth.get(name)!;
      if (seen.includes(name)) throw new GenerateError(`${appsPath}: Flux dependsOn cycle: ${[...seen, name].join(" → ")}`);
      const wave = Math.max(-1, ...(depends.get(name) ?? []).map((d) => waveOf(d, [...seen, name]))) + 1;
      depth.set(name, wave);
      return wave;
    };
    for (const k of kustomizations) {
      const spec = k.spec as { path?: string; targetNamespace?: string };
      const gitPath = spec.path ? cleanPath(spec.path) : undefined;
      const objects = gitPath ? build(gitPath, `${appsPath}: ${describeObject(k)}`) : [];
      const release = objects.find((o) => o.kind === "HelmRelease");
      const releaseSpec = release?.spec as
        | {
            targetNamespace?: string;
            releaseName?: string;
            values?: unknown;
            install?: { crds?: string };
            chart?: { spec?: { chart?: string; version?: string; sourceRef?: { name?: string } } };
          }
        | undefined;
      const chartSpec = releaseSpec?.chart?.spec;
      const namespace = spec.targetNamespace ?? releaseSpec?.targetNamespace ?? objects.find((o) => o.kind === "Namespace")?.metadata.name ?? "";
      const chart = chartSpec ? { repoURL: repositories.get(chartSpec.sourceRef?.name ?? "") ?? "", chart: chartSpec.chart ?? "", version: chartSpec.version ?? "" } : undefined;
      if (release && releaseSpec && chart) {
        // Flux's helm-controller: release name spec.releaseName, else [targetNamespace-]name; the release
        // goes to targetNamespace, else the HelmRelease's namespace; CRDs are created unless install.crds is Skip.
        const releaseNamespace = releaseSpec.targetNamespace ?? release.metadata.namespace ?? "default";
        chartSources.push({
          app: k.metadata.name,
          ref: chart,
          releaseName: releaseSpec.releaseName ?? (releaseSpec.targetNamespace ? `${releaseSpec.targetNamespace}-${release.metadata.name}` : release.metadata.name),
          namespace: releaseNamespace,
          values: releaseSpec.values ?? {},
          includeCrds: releaseSpec.install?.crds !== "Skip",
        });
      }
      apps.push({
        name: k.metadata.name,
        wave: waveOf(k.metadata.name),
        path: gitPath,
        chart,
        namespace,
        objects: spec.targetNamespace ? objects.map((o) => withDestinationNamespace(o, spec.targetNamespace!)) : objects,
        chartObjects: [],
      });
    }
  } else {
    throw new GenerateError(`${rootFile}: expected an Argo CD Application or a Flux Kustomization`);
  }
  const engine = argoRoot ? "argocd" : "flux";
  let charts: ChartRender[] = [];
  if (chartSources.length && (options.charts ?? process.env.GITOPS_CHARTS !== "off") === false) {
    charts = chartSources.map((s) => ({ app: s.app, ref: s.ref, releaseName: s.releaseName, namespace: s.namespace, status: "skipped", message: "charts not rendered (GITOPS_CHARTS=off)", objects: 0, cached: false }));
  } else if (chartSources.length) {
    const gitObjects = [...rootObjects, ...appObjects, ...apps.flatMap((a) => a.objects)];
    const engineApis = engine === "argocd" ? ["argoproj.io/v1alpha1"] : ["source.toolkit.fluxcd.io/v1", "kustomize.toolkit.fluxcd.io/v1", "helm.toolkit.fluxcd.io/v2"];
    const kubeVersion = options.kubernetesVersion ?? clusterKubernetesVersion(root, clusterDir, files);
    const rendered = renderCharts(root, chartSources, [...engineApis, ...crdApiVersions(gitObjects)], kubeVersion, options.progress ?? false, files);
    charts = rendered.renders;
    chartSources.forEach((s, i) => {
      const index = apps.findIndex((a) => a.name === s.app);
      if (index >= 0) apps[index] = { ...apps[index], chartObjects: rendered.objects[i], chartKey: rendered.keys[i] };
    });
  }
  apps.sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  charts = [...charts].sort((a, b) => apps.findIndex((x) => x.name === a.app) - apps.findIndex((x) => x.name === b.app));
  return { cluster, engine, root: rootObjects, appObjects, apps, builtWithKubectl, charts };
}
