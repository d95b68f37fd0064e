/**
 * Real Kustomize, through `kubectl kustomize` (the pinned kubectl, see engines/binaries.ts): the fallback
 * of the renderer and the reference of its tests.
 */
import { spawnSync } from "node:child_process";
import { EngineError, engineBinary } from "../engines/binaries.ts";
import type { KubeObject } from "../model/kube-object.ts";
import { parseDocuments } from "../workspace/documents.ts";

export class KubectlError extends Error {
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
    this.name = "KubectlError";
  }
}

/** The kubectl to run: pinned, `$GITOPS_KUBECTL`, or the PATH's after a version check. */
function kubectlPath(): string {
  try {
    return engineBinary("kubectl").path;
  } catch (error) {
    if (error instanceof EngineError) throw new KubectlError(error.message, true);
    throw error;
  }
}

/** Whether kubectl can be run (resolved once per process and setting). */
export function kubectlAvailable(): boolean {
  try {
    kubectlPath();
    return true;
  } catch (error) {
    if (error instanceof KubectlError) return false;
    throw error;
  }
}

/** The message of a failed `kubectl kustomize`, without klog's prefix and quoting. */
export function kubectlErrorMessage(stderr: string): string {
  const text = stderr.trim();
  const quoted = /"command failed" err="((?:[^"\\]|\\.)*)"/.exec(text);
  if (quoted) {
    try {
      return JSON.parse(`"${quoted[1]}"`) as string;
    } catch {
      return quoted[1];
    }
  }
  const block = /"command failed" err=<\n([\s\S]*?)\n\s*>\s*$/.exec(text);
  if (block) return block[1].replace(/^\t/gm, "").trim();
  return text;
}

/** Runs `kubectl kustomize <dir>` and parses what it prints. */
export function kubectlKustomize(dir: string): KubeObject[] {
  const r = spawnSync(kubectlPath(), ["kustomize", dir], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error) {
    throw new KubectlError(`kubectl kustomize ${dir}: ${r.error.message}`);
  }
  if (r.status !== 0) throw new KubectlError(`kubectl kustomize ${dir} failed: ${kubectlErrorMessage(r.stderr)}`);
  return parseKubectlOutput(r.stdout, `kubectl kustomize ${dir}`);
}

/** Parses what kubectl prints with workspace/documents.ts (YAML 1.2 core schema, as every file is read). */
export function parseKubectlOutput(text: string, name: string): KubeObject[] {
  return parseDocuments(text, name).map((d) => d.value as KubeObject);
}
