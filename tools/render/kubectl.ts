/** Real Kustomize, through `kubectl kustomize`: the fallback of the renderer and the reference of its tests. */
import { spawnSync } from "node:child_process";
import type { KubeObject } from "../model/kube-object.ts";
import { parseDocuments } from "../workspace/documents.ts";

export const KUBECTL_MISSING =
  "kubectl not found on the PATH: install kubectl (v1.27 or later, which bundles Kustomize v5) to build kustomizations this renderer does not handle natively";

export class KubectlError extends Error {
  constructor(
    message: string,
    readonly missing = false,
  ) {
    super(message);
    this.name = "KubectlError";
  }
}

let availability: boolean | undefined;

/** Whether `kubectl` runs (checked once per process). */
export function kubectlAvailable(): boolean {
  if (availability === undefined) {
    const r = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8", timeout: 30_000 });
    availability = !r.error && r.status === 0;
  }
  return availability;
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
  const r = spawnSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.error) {
    if ((r.error as NodeJS.ErrnoException).code === "ENOENT") throw new KubectlError(KUBECTL_MISSING, true);
    throw new KubectlError(`kubectl kustomize ${dir}: ${r.error.message}`);
  }
  if (r.status !== 0) throw new KubectlError(`kubectl kustomize ${dir} failed: ${kubectlErrorMessage(r.stderr)}`);
  return parseKubectlOutput(r.stdout, `kubectl kustomize ${dir}`);
}

/** Parses what kubectl prints with workspace/documents.ts (YAML 1.2 core schema, as every file is read). */
export function parseKubectlOutput(text: string, name: string): KubeObject[] {
  return parseDocuments(text, name).map((d) => d.value as KubeObject);
}
