import { existsSync } from "node:fs";
import path from "node:path";
import { buildKustomization } from "../render/kustomize.ts";
import { describeObject, isClusterScoped, type KubeObject } from "../model/kube-object.ts";
import { loadDocuments } from "../workspace/documents.ts";
import { GenerateError } from "../generate/errors.ts";

export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";

/** One Argo CD Application (or Flux Kustomization) of a cluster and what it applies. */
export interface RenderedApp {
  readonly name: string;
  /** Argo CD sync wave; for Flux, the depth in the dependsOn graph. */
  readonly wave: number;
  readonly project?: string;
  /** Repo-relative folder built with Kustomize, when the app has a git source in this repo. */
  readonly path?: string;
  /** Pinned Helm chart the app also deploys (its contents are opaque here). */
  readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
  readonly namespace: string;
  readonly objects: KubeObject[];
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
}

interface AppSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
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
export function renderCluster(root: string, clusterDir: string, cache = new Map<string, unknown>()): RenderedCluster {
  const rootFile = `${clusterDir}/root.yaml`;
  if (!existsSync(path.join(root, rootFile))) {
    throw new GenerateError(`${rootFile} does not exist: run \`npm run generate\` first`);
  }
  const rootObjects = loadDocuments(path.join(root, rootFile), rootFile).map((d) => d.value as KubeObject);
  const builtWithKubectl: string[] = [];
  const build = (dir: string, by: string): KubeObject[] => {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) throw new GenerateError(`${by}: path ${dir} does not exist`);
    const result = buildKustomization(abs, { cache });
    if (result.usedKubectl) builtWithKubectl.push(dir);
    return result.objects;
  };
  const cluster = path.posix.basename(clusterDir);
  const argoRoot = rootObjects.find(isArgoApp);
  const fluxRoot = rootObjects.find(isFluxKustomization);
  const apps: RenderedApp[] = [];
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
      apps.push({
        name: app.metadata.name,
        wave: Number.isFinite(wave) ? wave : 0,
        project: spec.project,
        path: gitPath,
        chart: chartSource ? { repoURL: chartSource.repoURL ?? "", chart: chartSource.chart!, version: chartSource.targetRevision ?? "" } : undefined,
        namespace,
        objects: namespace ? objects.map((o) => withDestinationNamespace(o, namespace)) : objects,
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
      const releaseSpec = release?.spec as { targetNamespace?: string; chart?: { spec?: { chart?: string; version?: string; sourceRef?: { name?: string } } } } | undefined;
      const chartSpec = releaseSpec?.chart?.spec;
      const namespace = spec.targetNamespace ?? releaseSpec?.targetNamespace ?? objects.find((o) => o.kind === "Namespace")?.metadata.name ?? "";
      apps.push({
        name: k.metadata.name,
        wave: waveOf(k.metadata.name),
        path: gitPath,
        chart: chartSpec ? { repoURL: repositories.get(chartSpec.sourceRef?.name ?? "") ?? "", chart: chartSpec.chart ?? "", version: chartSpec.version ?? "" } : undefined,
        namespace,
        objects: spec.targetNamespace ? objects.map((o) => withDestinationNamespace(o, spec.targetNamespace!)) : objects,
      });
    }
  } else {
    throw new GenerateError(`${rootFile}: expected an Argo CD Application or a Flux Kustomization`);
  }
  apps.sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  return { cluster, engine: argoRoot ? "argocd" : "flux", root: rootObjects, appObjects, apps, builtWithKubectl };
}
