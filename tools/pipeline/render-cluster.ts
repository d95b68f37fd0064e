import { existsSync } from "node:fs";
import path from "node:path";
import { buildKustomization } from "../render/kustomize.ts";
import { describeObject, isClusterScoped, type KubeObject } from "../model/kube-object.ts";
import { loadDocuments } from "../workspace/documents.ts";
import { GenerateError } from "../generate/errors.ts";

export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";

/** One Argo CD Application of a cluster and what it applies. */
export interface RenderedApp {
  readonly name: string;
  readonly wave: number;
  readonly project: string;
  /** Repo-relative folder built with Kustomize, when the app has a git source in this repo. */
  readonly path?: string;
  /** Pinned Helm chart the app also deploys (its contents are opaque here). */
  readonly chart?: { readonly repoURL: string; readonly chart: string; readonly version: string };
  readonly namespace: string;
  readonly objects: KubeObject[];
}

export interface RenderedCluster {
  readonly cluster: string;
  /** The root Application (from clusters/<name>/root.yaml). */
  readonly root: KubeObject;
  /** What the root Application applies: AppProjects and Applications. */
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
  return source.path.replace(/^\.\//, "").replace(/\/$/, "");
}

/** Argo CD puts namespaced objects without a namespace into the Application's destination namespace. */
function withDestinationNamespace(o: KubeObject, namespace: string): KubeObject {
  if (o.metadata?.namespace || isClusterScoped(o.kind)) return o;
  return { ...o, metadata: { ...o.metadata, namespace } };
}

/**
 * Renders a cluster from its committed files, as Argo CD does: the root Application's folder gives the
 * AppProjects and Applications, and each Application's git source folder is built with Kustomize.
 */
export function renderCluster(root: string, clusterDir: string, cache = new Map<string, unknown>()): RenderedCluster {
  const rootFile = `${clusterDir}/root.yaml`;
  if (!existsSync(path.join(root, rootFile))) {
    throw new GenerateError(`${rootFile} does not exist: run \`npm run generate\` first`);
  }
  const rootDocs = loadDocuments(path.join(root, rootFile), rootFile);
  const rootApp = rootDocs[0]?.value as KubeObject | undefined;
  if (!rootApp || rootApp.kind !== "Application") throw new GenerateError(`${rootFile}: expected an Argo CD Application`);
  const repoURL = (rootApp.spec as { source?: AppSource }).source?.repoURL;
  const builtWithKubectl: string[] = [];
  const build = (dir: string, by: string): KubeObject[] => {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) throw new GenerateError(`${by}: path ${dir} does not exist`);
    const result = buildKustomization(abs, { cache });
    if (result.usedKubectl) builtWithKubectl.push(dir);
    return result.objects;
  };
  const appsPath = localPath((rootApp.spec as { source: AppSource }).source, repoURL);
  if (!appsPath) throw new GenerateError(`${rootFile}: the root Application has no path in this repository`);
  const appObjects = build(appsPath, `${rootFile}: Application root`);
  const apps: RenderedApp[] = [];
  for (const app of appObjects.filter((o) => o.kind === "Application" && o.apiVersion.startsWith("argoproj.io/"))) {
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
  apps.sort((a, b) => a.wave - b.wave || a.name.localeCompare(b.name));
  return { cluster: path.posix.basename(clusterDir), root: rootApp, appObjects, apps, builtWithKubectl };
}
