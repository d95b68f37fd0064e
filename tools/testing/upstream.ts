/**
 * Upstream data the tests check the toolchain against (Kubernetes OpenAPI specs, projects' CRD files):
 * `../shared/upstream` beside the repository, or `$GITOPS_UPSTREAM_DIR`. Never read at run time.
 *
 * Where the data is absent (a fork's CI, a laptop) the tests that need it are skipped, and vitest lists
 * them as skipped; with `GITOPS_REQUIRE_UPSTREAM=1` (set by .ci/run) they run and fail instead, so a
 * missing folder cannot pass unnoticed where it is expected.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const UPSTREAM_DIR = process.env.GITOPS_UPSTREAM_DIR ? path.resolve(process.env.GITOPS_UPSTREAM_DIR) : path.resolve(REPO_ROOT, "../shared/upstream");

/** A path inside the upstream data folder. */
export function upstreamPath(...parts: string[]): string {
  return path.join(UPSTREAM_DIR, ...parts);
}

/** Whether tests that need `parts` (inside the upstream folder) should be skipped here. */
export function skipWithoutUpstream(...parts: string[]): boolean {
  return process.env.GITOPS_REQUIRE_UPSTREAM !== "1" && !existsSync(upstreamPath(...parts));
}
