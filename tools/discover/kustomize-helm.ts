/**
 * `helmCharts` of kustomizations, inflated as `kustomize build --enable-helm` inflates them, into a copy
 * of the repository: each chart is templated with the pinned Helm (a chart in the kustomization's
 * chartHome, else the chart cache, pulled through the mirror of GITOPS_CHART_MIRROR), written beside the
 * copied kustomization as a resource, and the rest of the build is Kustomize's own. As Kustomize does,
 * CRDs are included only with includeCRDs, and test hooks unless skipTests.
 * Why not Kustomize's inflation itself: Kustomize 5.7.1 (in the pinned kubectl) refuses Helm 4 (it runs
 * `helm version -c`, a flag Helm 4 removed), and it would pull charts from their repositories, not the mirror.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import * as jsyaml from "js-yaml";
import { toYamlDocument } from "../render/serialize.ts";
import { KUSTOMIZATION_FILE_NAMES } from "../render/kustomize.ts";
import { isRecord, type Record_ } from "../validate/objects.ts";
import { templateChart } from "./helm.ts";

export interface HelmKustomization {
  /** The kustomization's folder in the repository, and its file as findings show it. */
  readonly dir: string;
  readonly shown: string;
  /** The same folder in the copy, where the inflated charts are written. */
  readonly copy: string;
  readonly kustomization: Record_;
}

export interface NotInflated {
  readonly dir: string;
  readonly file: string;
  readonly message: string;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function valuesFile(dir: string, file: string): Record_ {
  const value = jsyaml.load(readFileSync(path.resolve(dir, file), "utf8"), { schema: jsyaml.CORE_SCHEMA });
  return isRecord(value) ? value : {};
}

/** Rewrites, in the copy, every kustomization with `helmCharts` into one whose resources hold the templated charts. */
export function inflateHelmCharts(kustomizations: readonly HelmKustomization[], lockRoot: string): { notRendered: NotInflated[] } {
  const notRendered: NotInflated[] = [];
  for (const k of kustomizations) {
    const charts = k.kustomization.helmCharts;
    if (!Array.isArray(charts) || charts.length === 0) continue;
    const globals = isRecord(k.kustomization.helmGlobals) ? k.kustomization.helmGlobals : {};
    const chartHome = path.resolve(k.dir, str(globals.chartHome) ?? "charts");
    const files: string[] = [];
    charts.forEach((entry, index) => {
      if (!isRecord(entry) || !str(entry.name)) {
        notRendered.push({ dir: k.dir, file: k.shown, message: `helmCharts[${index}] names no chart` });
        return;
      }
      const name = str(entry.name)!;
      const version = str(entry.version);
      const local = [version ? path.join(chartHome, `${name}-${version}`, name) : undefined, path.join(chartHome, name)].find((d) => d && existsSync(path.join(d, "Chart.yaml")));
      let layers: Record_[];
      try {
        // Kustomize's valuesMerge: override (the default), merge (the file wins), replace (inline only).
        const fromFiles = [str(entry.valuesFile), ...(Array.isArray(entry.additionalValuesFiles) ? entry.additionalValuesFiles : [])]
          .filter((f): f is string => typeof f === "string" && f !== "")
          .map((f) => valuesFile(k.dir, f));
        const inline = isRecord(entry.valuesInline) ? [entry.valuesInline] : [];
        const merge = str(entry.valuesMerge) ?? "override";
        layers = merge === "replace" ? inline : merge === "merge" ? [...inline, ...fromFiles] : [...fromFiles, ...inline];
      } catch (error) {
        notRendered.push({ dir: k.dir, file: k.shown, message: `helmCharts[${index}] (${name}): values file not read: ${(error as Error).message.split("\n")[0]}` });
        return;
      }
      const result = templateChart({
        by: `helmCharts[${index}] of ${k.shown}`,
        chart: name,
        version,
        repoURL: local ? undefined : str(entry.repo),
        localDir: local,
        releaseName: str(entry.releaseName) ?? "release-name",
        namespace: str(entry.namespace),
        values: layers,
        lockRoot,
        includeCrds: entry.includeCRDs === true,
        skipTests: entry.skipTests === true,
      });
      if ("notRendered" in result) {
        notRendered.push({ dir: k.dir, file: k.shown, message: `helmCharts[${index}]: chart ${name}${version ? ` ${version}` : ""} not rendered: ${result.notRendered}; its objects are not checked` });
        return;
      }
      const file = `gitops-helm-chart-${index}-${name}.yaml`;
      writeFileSync(path.join(k.copy, file), result.objects.map((o) => toYamlDocument(o)).join("---\n"));
      files.push(file);
    });
    const { helmCharts: _charts, helmGlobals: _globals, ...rest } = k.kustomization;
    const resources = [...(Array.isArray(rest.resources) ? rest.resources : []), ...files];
    const name = KUSTOMIZATION_FILE_NAMES.find((n) => existsSync(path.join(k.copy, n))) ?? "kustomization.yaml";
    writeFileSync(path.join(k.copy, name), toYamlDocument({ ...rest, resources }));
  }
  return { notRendered };
}
