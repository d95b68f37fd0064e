/**
 * Vitest's global setup: the upstream chart mirror served on loopback for the whole run, so that every
 * test that renders charts pulls them with the real `helm pull` (GITOPS_CHART_MIRROR), as air-gapped
 * platforms do. Test processes inherit the variable. A GITOPS_CHART_MIRROR already set is kept.
 *
 * And one temporary folder for the run (TMPDIR, inherited by the test processes and every process they
 * start): the workspaces, repositories, caches and worktrees the tests make go there, and it is removed at
 * the end, also where a test did not remove its own. GITOPS_TEST_KEEP_TMP=1 keeps it, to look inside.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startChartMirror, UPSTREAM_CHARTS, type ChartMirror } from "./chart-mirror.ts";

let mirror: ChartMirror | undefined;
let runTmp: string | undefined;

export async function setup(): Promise<void> {
  runTmp = mkdtempSync(path.join(os.tmpdir(), "gitops-test-run-"));
  process.env.TMPDIR = runTmp;
  if (process.env.GITOPS_CHART_MIRROR || !existsSync(UPSTREAM_CHARTS)) return;
  mirror = await startChartMirror();
  process.env.GITOPS_CHART_MIRROR = mirror.url;
}

export async function teardown(): Promise<void> {
  await mirror?.close();
  if (runTmp && !process.env.GITOPS_TEST_KEEP_TMP) rmSync(runTmp, { recursive: true, force: true });
}
