/**
 * Vitest's global setup: the upstream chart mirror served on loopback for the whole run, so that every
 * test that renders charts pulls them with the real `helm pull` (GITOPS_CHART_MIRROR), as air-gapped
 * platforms do. Test processes inherit the variable. A GITOPS_CHART_MIRROR already set is kept.
 */
import { existsSync } from "node:fs";
import { startChartMirror, UPSTREAM_CHARTS, type ChartMirror } from "./chart-mirror.ts";

let mirror: ChartMirror | undefined;

export async function setup(): Promise<void> {
  if (process.env.GITOPS_CHART_MIRROR || !existsSync(UPSTREAM_CHARTS)) return;
  mirror = await startChartMirror();
  process.env.GITOPS_CHART_MIRROR = mirror.url;
}

export async function teardown(): Promise<void> {
  await mirror?.close();
}
