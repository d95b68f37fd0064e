/**
 * `helm template` as the engines run it: Argo CD's repo-server (`helm template <release> --namespace
 * <ns> --kube-version <v> --api-versions <…> --include-crds --skip-tests` with the Application's values)
 * and Flux's helm-controller (the same, with its release-name default). The output is cached by chart
 * digest, values, flags and Helm binary, so a warm run starts no Helm process and a change to one
 * chart's values re-templates only that chart.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import * as jsyaml from "js-yaml";
import { parseDocument } from "yaml";
import { binaryIdentity, engineBinary } from "../engines/binaries.ts";
import { runProcessesSync } from "../engines/processes.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { splitDocuments } from "../workspace/documents.ts";
import { pruneCacheFolder, removeUnusedFiles, touchCacheEntry, writeCacheFile } from "../workspace/cache.ts";
import { apiVersionsSeen, apiVersionUse } from "./api-version-use.ts";
import { chartLabel, type ChartRef } from "./lock.ts";
import { chartsCacheDir, helmEnv } from "./pull.ts";

export interface TemplateJob {
  readonly ref: ChartRef;
  /** The chart package in the cache, and its sha256. */
  readonly file: string;
  readonly sha256: string;
  readonly releaseName: string;
  readonly namespace: string;
  /** e.g. "1.34". */
  readonly kubeVersion: string;
  /** Every group/version (and group/version/Kind) the cluster serves. */
  readonly apiVersions: readonly string[];
  readonly values: unknown;
  /** --include-crds (Argo CD always; Flux unless install.crds is Skip). */
  readonly includeCrds: boolean;
  /** --skip-tests (Argo CD and Flux leave test hooks out; Kustomize's helmCharts only with skipTests). @default true */
  readonly skipTests?: boolean;
}

/** One object a chart renders, with the template it came from (`argo-cd/templates/server/deployment.yaml`). */
export interface ChartObject {
  readonly object: KubeObject;
  readonly template: string;
}

export interface TemplateResult {
  readonly objects?: readonly ChartObject[];
  /** `helm template` failed: Helm's message. */
  readonly error?: string;
  /** Whether the output came from the cache (no Helm process). */
  readonly cached: boolean;
  /** The job's cache key (templateCacheKey). */
  readonly key?: string;
}

/** The flags of a job, as passed to `helm template` (the values file comes after). */
export function templateArgs(job: TemplateJob): string[] {
  const args = ["template", job.releaseName, job.file, "--namespace", job.namespace || "default", "--kube-version", job.kubeVersion];
  for (const v of [...new Set(job.apiVersions)].sort()) args.push("--api-versions", v);
  if (job.includeCrds) args.push("--include-crds");
  if (job.skipTests !== false) args.push("--skip-tests");
  return args;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * The cache key of a job: Helm, the flags and the values. The API versions in it are only those the
 * chart can tell apart (api-version-use.ts), so that clusters, and the two passes of a render, that
 * differ in nothing the chart reads share one output.
 */
export function templateCacheKey(job: TemplateJob, helm: string): string {
  const values = canonical(job.values ?? {});
  const apiVersions = apiVersionsSeen(apiVersionUse(job.file, job.sha256), job.apiVersions, values);
  const args = templateArgs({ ...job, file: job.sha256, apiVersions });
  return createHash("sha256").update(`${canonical({ v: 2, helm, args })}\n${values}`).digest("hex");
}

/** Splits Helm's output into objects, each with its `# Source:` template. */
export function parseHelmOutput(text: string, name: string): ChartObject[] {
  const out: ChartObject[] = [];
  for (const doc of splitDocuments(text)) {
    const source = /^# Source: (.+)$/m.exec(doc.text)?.[1]?.trim() ?? "";
    let value: unknown;
    try {
      value = jsyaml.load(doc.text, { schema: jsyaml.CORE_SCHEMA, filename: name });
    } catch (error) {
      // go-yaml, which the engines read Helm's output with, accepts a few layouts js-yaml refuses (a flow
      // sequence closed at its key's indentation, as minio's chart prints its command): the \`yaml\`
      // package reads those the same way.
      const lenient = parseDocument(doc.text, { schema: "core" });
      if (lenient.errors.length) throw new Error(`${name}: ${source || "output"}: YAML does not parse: ${(error as { reason?: string }).reason ?? String(error)}`);
      value = lenient.toJS();
    }
    if (value === null || value === undefined) continue;
    out.push({ object: value as KubeObject, template: source });
  }
  return out;
}

/** Helm's message on one block, without the "Error: " prefix. */
function helmError(stderr: string, error?: string): string {
  return (error ?? stderr).trim().replace(/^Error: /, "") || "helm template failed without a message";
}

/** Templates the jobs: cached output where there is some, else `helm template`, two at a time. */
export function templateCharts(
  jobs: readonly TemplateJob[],
  /** `reuse`: results of an earlier call in this process; one with the same key is taken as it is. */
  options: { progress?: boolean; reuse?: readonly TemplateResult[] } = {},
): TemplateResult[] {
  if (jobs.length === 0) return [];
  const helm = engineBinary("helm");
  const identity = binaryIdentity(helm);
  const dir = path.join(chartsCacheDir(), "templates");
  const keys = jobs.map((j) => templateCacheKey(j, identity));
  const earlier = new Map((options.reuse ?? []).filter((r) => r.key !== undefined && r.objects).map((r) => [r.key!, r]));
  const results: (TemplateResult | undefined)[] = keys.map((key) => {
    const same = earlier.get(key);
    if (same) return same;
    const file = path.join(dir, `${key}.json`);
    if (!existsSync(file)) return undefined;
    try {
      const objects = JSON.parse(readFileSync(file, "utf8")) as ChartObject[];
      touchCacheEntry(file);
      return { objects, cached: true, key };
    } catch {
      return undefined;
    }
  });
  const todo = jobs.map((_, i) => i).filter((i) => !results[i]);
  if (todo.length) {
    const env = helmEnv();
    const valuesFiles = todo.map((i) => {
      const text = `${JSON.stringify(jobs[i].values ?? {}, null, 1)}\n`;
      const file = path.join(chartsCacheDir(), "values", `${createHash("sha256").update(text).digest("hex").slice(0, 32)}.json`);
      if (!existsSync(file)) writeCacheFile(file, text);
      else touchCacheEntry(file);
      // Values files of templates no run has made for a week.
      removeUnusedFiles(path.dirname(file), 7 * 24 * 3600 * 1000);
      return file;
    });
    const done = runProcessesSync(
      todo.map((i, k) => ({ command: helm.path, args: [...templateArgs(jobs[i]), "--values", valuesFiles[k]], env, label: `helm template ${chartLabel(jobs[i].ref)} (release ${jobs[i].releaseName})` })),
      { progress: options.progress },
    );
    todo.forEach((i, k) => {
      const r = done[k];
      if (r.status !== 0) {
        results[i] = { error: helmError(r.stderr, r.error), cached: false };
        return;
      }
      try {
        const text = JSON.stringify(parseHelmOutput(r.stdout, `helm template ${chartLabel(jobs[i].ref)}`));
        writeCacheFile(path.join(dir, `${keys[i]}.json`), text);
        pruneCacheFolder(dir);
        // The objects as the cache gives them back (JSON has no .inf, .nan or -0: null, null, 0), so that a
        // run that templates a chart sees exactly what a warm run will.
        results[i] = { objects: JSON.parse(text) as ChartObject[], cached: false, key: keys[i] };
      } catch (error) {
        results[i] = { error: (error as Error).message, cached: false };
      }
    });
  }
  return results as TemplateResult[];
}
