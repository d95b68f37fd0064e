import type { Workspace } from "../workspace/workspace.ts";
import { chartKey, compareRefs, type ChartRef } from "./lock.ts";

/** A chart pin and the components that state it. */
export interface WorkspaceChart {
  readonly ref: ChartRef;
  readonly components: readonly string[];
  /** component.ts of the first component that pins it (repo-relative). */
  readonly source: string;
}

/** Every chart the workspace's components pin, once each, sorted by chart and version. */
export function workspaceCharts(workspace: Workspace): WorkspaceChart[] {
  const byKey = new Map<string, { ref: ChartRef; components: string[]; source: string }>();
  for (const { component, source } of workspace.components) {
    const chart = component.chart;
    if (!chart) continue;
    const ref = { repoURL: chart.repoURL, chart: chart.chart, version: chart.version };
    const entry = byKey.get(chartKey(ref));
    if (entry) entry.components.push(component.name);
    else byKey.set(chartKey(ref), { ref, components: [component.name], source });
  }
  return [...byKey.values()].sort((a, b) => compareRefs(a.ref, b.ref));
}
