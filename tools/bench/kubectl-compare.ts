/**
 * Real Kustomize on the same input: every folder a cluster's GitOps engine builds (the root's apps folder
 * and each Application's or Kustomization's path), built once per cluster with `kubectl kustomize` as
 * Argo CD's repo server (or Flux's kustomize-controller) would, timed, and compared object by object
 * (key order included) with this toolchain's renderer.
 */
import { engineBinary } from "../engines/binaries.ts";
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { KubeObject } from "../model/kube-object.ts";
import { renderCluster } from "../pipeline/render-cluster.ts";
import { buildKustomization } from "../render/kustomize.ts";
import { parseKubectlOutput } from "../render/kubectl.ts";
import { median } from "./measure.ts";

export interface OverlayComparison {
  readonly cluster: string;
  readonly path: string;
  readonly objects: number;
  readonly kubectlMs: number;
  readonly oursMs: number;
  /** Undefined when identical; otherwise what differs first. */
  readonly difference?: string;
}

export interface KubectlComparison {
  /** Folders built per cluster, summed over clusters (what the engines build). */
  readonly overlays: number;
  /** Folders actually run through kubectl (all of them unless sampled). */
  readonly compared: number;
  readonly sampled: boolean;
  readonly objects: number;
  /** kubectl over every folder (measured, or extrapolated from the sample when sampled). */
  readonly kubectlSeconds: number;
  readonly kubectlMedianMs: number;
  /** This renderer, in process, over the same folders (every folder, never sampled). */
  readonly oursSeconds: number;
  readonly oursMedianMs: number;
  readonly identical: number;
  readonly differences: readonly OverlayComparison[];
  readonly kubectlVersion: string;
}

/** The folders a cluster's engine builds, in the order the renderer builds them. */
export function engineFolders(root: string, clusterDir: string): string[] {
  const rendered = renderCluster(root, clusterDir);
  const rootObject = rendered.root.find((o) => o.kind === "Application" || o.kind === "Kustomization");
  const spec = (rootObject?.spec ?? {}) as { source?: { path?: string }; path?: string };
  const appsPath = (spec.source?.path ?? spec.path ?? "").replace(/^\.\//, "").replace(/\/$/, "");
  const folders = appsPath ? [appsPath] : [];
  for (const app of rendered.apps) if (app.path) folders.push(app.path);
  return folders;
}

function firstDifference(ours: readonly KubeObject[], theirs: readonly KubeObject[]): string | undefined {
  if (ours.length !== theirs.length) return `${ours.length} objects here, ${theirs.length} from kubectl`;
  for (let i = 0; i < ours.length; i++) {
    const a = JSON.stringify(ours[i]);
    const b = JSON.stringify(theirs[i]);
    if (a !== b) return `object ${i + 1} (${ours[i]?.kind} ${ours[i]?.metadata?.name}) differs: ${a.slice(0, 200)} vs ${b.slice(0, 200)}`;
  }
  return undefined;
}

export function kubectlVersion(): string {
  const r = spawnSync(engineBinary("kubectl").path, ["version", "--client"], { encoding: "utf8" });
  if (r.error || r.status !== 0) throw new Error(`kubectl version failed: ${r.error?.message ?? r.stderr.trim()}`);
  return r.stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => l.trim())
    .join(", ");
}

/**
 * Builds every engine folder of every cluster with this renderer (timed per folder, one cache per
 * cluster as `gitops render` has) and with kubectl (every folder, or `sample` of them spread evenly).
 */
export function compareWithKubectl(root: string, clusterDirs: readonly string[], options: { sample?: number; onProgress?: (done: number, total: number) => void } = {}): KubectlComparison {
  const version = kubectlVersion();
  const folders = clusterDirs.flatMap((dir) => engineFolders(root, dir).map((folder) => ({ cluster: path.posix.basename(dir), folder })));
  const sampleSize = options.sample && options.sample < folders.length ? options.sample : folders.length;
  const step = folders.length / sampleSize;
  const chosen = new Set(Array.from({ length: sampleSize }, (_, i) => Math.floor(i * step)));
  const results: OverlayComparison[] = [];
  const oursAll: number[] = [];
  let objects = 0;
  let cache = new Map<string, unknown>();
  let currentCluster = "";
  let done = 0;
  folders.forEach(({ cluster, folder }, index) => {
    if (cluster !== currentCluster) {
      cache = new Map();
      currentCluster = cluster;
    }
    const abs = path.join(root, folder);
    const t0 = performance.now();
    const ours = buildKustomization(abs, { cache, allowKubectlFallback: false }).objects;
    const oursMs = performance.now() - t0;
    oursAll.push(oursMs);
    objects += ours.length;
    if (!chosen.has(index)) return;
    const t1 = performance.now();
    const r = spawnSync(engineBinary("kubectl").path, ["kustomize", abs], { encoding: "utf8", maxBuffer: 1 << 30 });
    const kubectlMs = performance.now() - t1;
    let difference: string | undefined;
    if (r.error || r.status !== 0) difference = `kubectl kustomize failed: ${r.error?.message ?? r.stderr.trim()}`;
    else difference = firstDifference(ours, parseKubectlOutput(r.stdout, `kubectl kustomize ${folder}`));
    results.push({ cluster, path: folder, objects: ours.length, kubectlMs, oursMs, ...(difference ? { difference } : {}) });
    options.onProgress?.(++done, sampleSize);
  });
  const kubectlTimes = results.map((r) => r.kubectlMs);
  const kubectlMeasured = kubectlTimes.reduce((a, b) => a + b, 0) / 1000;
  const sampled = results.length < folders.length;
  return {
    overlays: folders.length,
    compared: results.length,
    sampled,
    objects,
    kubectlSeconds: sampled ? (kubectlMeasured / results.length) * folders.length : kubectlMeasured,
    kubectlMedianMs: median(kubectlTimes),
    oursSeconds: oursAll.reduce((a, b) => a + b, 0) / 1000,
    oursMedianMs: median(oursAll),
    identical: results.filter((r) => !r.difference).length,
    differences: results.filter((r) => r.difference),
    kubectlVersion: version,
  };
}
