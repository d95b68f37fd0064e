import { GenerateError } from "../generate/errors.ts";
import { planWorkspace } from "../generate/generate.ts";
import { generatedFilesUnder } from "../generate/write.ts";
import { formatYaml, mayNeedFormatting, withHeader } from "../generate/yaml-file.ts";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Workspace } from "../workspace/workspace.ts";

export const STALE_MESSAGE = "generated files are stale: run npm run generate";

/** The committed generated files differ from what the component and cluster files produce. */
export class StaleGeneratedFilesError extends GenerateError {
  constructor(readonly files: readonly string[]) {
    super(`${STALE_MESSAGE}\n${files.map((f) => `  ${f}`).join("\n")}`);
    this.name = "StaleGeneratedFilesError";
  }
}

/**
 * The generated files of a loaded workspace (every component and cluster it holds) that are missing,
 * out of date, edited by hand or left over: what render, validate and lint would read wrongly.
 * Plans in memory and writes nothing.
 */
export async function staleGeneratedFiles(root: string, workspace: Workspace): Promise<string[]> {
  const only = { components: workspace.components.map((c) => c.component.name), clusters: workspace.clusters.map((c) => c.cluster.name) };
  const plan = planWorkspace(workspace, { only });
  const stale: string[] = [];
  const planned = new Set<string>();
  for (const file of plan.files) {
    planned.add(file.path);
    let current: string | undefined;
    try {
      current = readFileSync(path.join(root, file.path), "utf8");
    } catch {
      stale.push(file.path);
      continue;
    }
    // Most bodies are already formatted: prettier loads only for the few it could change.
    if (current === withHeader(file.source, file.body)) continue;
    if (mayNeedFormatting(file.body) && current === withHeader(file.source, await formatYaml(file.body))) continue;
    stale.push(file.path);
  }
  for (const orphan of generatedFilesUnder(root, plan.ownedDirs)) if (!planned.has(orphan)) stale.push(orphan);
  return stale.sort();
}

/** Throws StaleGeneratedFilesError unless the workspace's generated files are what generate writes. */
export async function assertGeneratedFresh(root: string, workspace: Workspace): Promise<void> {
  const stale = await staleGeneratedFiles(root, workspace);
  if (stale.length) throw new StaleGeneratedFilesError(stale);
}
