/** Where `gitops charts types` writes, and what the type check reads from there (no dependencies: generate loads it). */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";

/** Where the generated declarations go, from the repository root (gitignored). */
export const CHART_TYPES_DIR = ".gitops/chart-types";

/** The generated declarations present in a workspace, repo-relative and sorted. */
export function chartTypeFiles(root: string): string[] {
  const dir = path.join(root, CHART_TYPES_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".d.ts"))
    .sort()
    .map((name) => `${CHART_TYPES_DIR}/${name}`);
}
