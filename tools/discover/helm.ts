/**
 * Templating a chart for discovery: a chart folder, an Argo CD chart source, a Flux HelmRelease, a
 * kustomization's `helmCharts`. One function, so that the pinned Helm engine plugs in at one place.
 */
import type { KubeObject } from "../model/kube-object.ts";

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
}

export type ChartResult = { readonly objects: KubeObject[] } | { readonly notRendered: string };

export const HELM_NOT_AVAILABLE = "Helm not available";

/** Templates a chart as Helm would, or says why it was not rendered. */
export function templateChart(request: ChartRequest): ChartResult {
  void request;
  return { notRendered: HELM_NOT_AVAILABLE };
}
