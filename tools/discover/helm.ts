/**
 * Templating a chart for discovery: a chart folder, an Argo CD chart source, a Flux HelmRelease. One
 * function, so that the pinned Helm engine plugs in at one place: a chart folder is templated in place
 * (its cache key holds a hash of its files), a remote chart from the chart cache, pulled through
 * `pullCharts` (the mirror of GITOPS_CHART_MIRROR, or the chart's repository) when it is not there.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { KubeObject } from "../model/kube-object.ts";
import { chartLabel, normalizeRepo, readLock, type ChartLock, type ChartRef } from "../charts/lock.ts";
import { chartMirror, helmEnv, pullCharts } from "../charts/pull.ts";
import { engineBinary } from "../engines/binaries.ts";
import { templateCharts, type TemplateJob } from "../charts/template.ts";

export interface ChartRequest {
  /** What asks for the chart, for messages: "chart folder charts/web", "HelmRelease flux-system/podinfo". */
  readonly by: string;
  readonly chart: string;
  readonly version?: string;
  readonly repoURL?: string;
  /** A chart folder in the repository (absolute path). */
  readonly localDir?: string;
  readonly releaseName: string;
  readonly namespace?: string;
  /** Values, lowest precedence first. */
  readonly values: readonly Record<string, unknown>[];
  /** The folder whose charts.lock.json pins chart digests (the repository root); none: no lock. */
  readonly lockRoot?: string;
  /** --include-crds. @default true (Argo CD always passes it; Kustomize's helmCharts only with includeCRDs). */
  readonly includeCrds?: boolean;
  /** --skip-tests. @default true (Kustomize's helmCharts keep test hooks unless skipTests). */
  readonly skipTests?: boolean;
}

export type ChartResult = { readonly objects: KubeObject[] } | { readonly notRendered: string };

/** The Kubernetes version charts are templated for when the repository names none (as `gitops render`). */
export const DISCOVER_KUBE_VERSION = "1.34";

type Values = Record<string, unknown>;
const isValues = (v: unknown): v is Values => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's coalescing of values files: maps merge key by key, anything else is replaced by the later file. */
export function mergeValues(layers: readonly Values[]): Values {
  const merge = (base: Values, over: Values): Values => {
    const out: Values = { ...base };
    for (const [key, value] of Object.entries(over)) out[key] = isValues(value) && isValues(out[key]) ? merge(out[key] as Values, value) : value;
    return out;
  };
  return layers.reduce<Values>((acc, layer) => merge(acc, layer), {});
}

/** sha256 of a chart folder: every file's path (relative, `/`-separated) and bytes, in a stable order. */
export function folderDigest(dir: string): string {
  const hash = createHash("sha256");
  const walk = (rel: string): void => {
    const entries = readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) hash.update(`${child}\0`).update(readFileSync(path.join(dir, child))).update("\0");
    }
  };
  walk("");
  return hash.digest("hex");
}

function job(ref: ChartRef, file: string, sha256: string, request: ChartRequest): TemplateJob {
  return {
    ref,
    file,
    sha256,
    releaseName: request.releaseName,
    namespace: request.namespace || "default",
    kubeVersion: DISCOVER_KUBE_VERSION,
    apiVersions: [],
    values: mergeValues(request.values),
    // Argo CD always passes --include-crds; Flux does unless told to skip them.
    includeCrds: request.includeCrds ?? true,
    ...(request.skipTests === false ? { skipTests: false } : {}),
  };
}

function lockOf(request: ChartRequest): ChartLock | string {
  if (!request.lockRoot) return { lockVersion: 1, charts: [] };
  try {
    return readLock(request.lockRoot);
  } catch (error) {
    return (error as Error).message;
  }
}

/** Templates a chart as Helm would, or says why it was not rendered. */
export function templateChart(request: ChartRequest): ChartResult {
  let templateJob: TemplateJob;
  if (request.localDir) {
    const ref: ChartRef = { repoURL: request.localDir, chart: request.chart, version: request.version ?? "0.0.0" };
    templateJob = job(ref, request.localDir, `folder:${folderDigest(request.localDir)}`, request);
  } else {
    if (!request.repoURL) return { notRendered: `chart ${request.chart} names no repository` };
    if (!request.version) return { notRendered: `chart ${request.chart} from ${request.repoURL} pins no version` };
    let version = request.version;
    if (!EXACT_VERSION.test(version)) {
      const resolved = resolveChartVersion(request.repoURL, request.chart, version);
      if ("notRendered" in resolved) return resolved;
      version = resolved.version;
    }
    const ref: ChartRef = { repoURL: request.repoURL, chart: request.chart, version };
    const lock = lockOf(request);
    if (typeof lock === "string") return { notRendered: lock };
    const [pulled] = pullCharts([ref], lock);
    if (!pulled.file || !pulled.sha256 || pulled.problem === "digest-mismatch") {
      const where = `${chartLabel(ref)} from ${ref.repoURL}`;
      if (pulled.problem === "not-found") return { notRendered: `${where} is not in the chart cache, and ${chartMirror() ? "the chart mirror (GITOPS_CHART_MIRROR)" : "that repository"} has no such chart or version` };
      return { notRendered: pulled.message ?? `${where} is not in the chart cache and could not be pulled` };
    }
    templateJob = job(ref, pulled.file, pulled.sha256, request);
  }
  const [result] = templateCharts([templateJob]);
  if (result.error !== undefined) {
    // Helm's message on one line, without its hint to re-run with --debug (which discovery cannot pass on).
    const message = result.error.split("\n").map((l) => l.trim()).filter((l) => l && !/^Use --debug flag/.test(l)).join("; ");
    return { notRendered: `helm template failed: ${message}` };
  }
  return { objects: (result.objects ?? []).map((o) => o.object) };
}

/** A version written out in full (`1.2.3`, `v1.2.3-rc.1+build`); anything else is a semver constraint. */
const EXACT_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/**
 * The version a semver constraint (`>=4.0.0 <5.0.0`, `^1.2`, `*`) selects from a chart repository's
 * index, as Flux's source-controller selects it: an exact match first, else the highest version that
 * satisfies the constraint (Masterminds semver, so `*` takes no pre-release). Helm resolves it from the
 * index (the mirror of GITOPS_CHART_MIRROR, else the repository) with the same library and order.
 */
export function resolveChartVersion(repoURL: string, chart: string, constraint: string): { version: string } | { notRendered: string } {
  if (repoURL.startsWith("oci://") && !chartMirror()) return { notRendered: `chart ${chart} version ${JSON.stringify(constraint)} is a range, and an OCI repository's tags are not resolved here; pin a version` };
  const repo = chartMirror() ?? normalizeRepo(repoURL);
  const r = spawnSync(engineBinary("helm").path, ["show", "chart", chart, "--repo", repo, "--version", constraint], { encoding: "utf8", env: helmEnv(), timeout: 120_000 });
  const version = r.status === 0 ? /^version:\s*["']?([^"'\s]+)/m.exec(r.stdout ?? "")?.[1] : undefined;
  if (version) return { version };
  const why = (r.stderr || r.error?.message || "").replace(/^Error: /gm, "").trim().split("\n").filter(Boolean).join("; ");
  if (/not found|no chart version found/i.test(why)) return { notRendered: `no '${chart}' chart with version matching '${constraint}' found in ${repoURL}${chartMirror() ? " (chart mirror GITOPS_CHART_MIRROR)" : ""}` };
  return { notRendered: `chart ${chart} version ${JSON.stringify(constraint)} not resolved from ${repo}: ${why || "helm show chart failed"}` };
}
