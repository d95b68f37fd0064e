/** Test-only access to the upstream Kubernetes OpenAPI specs (tools/testing/upstream.ts; never read at run time). */
import { existsSync, readFileSync } from "node:fs";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";

export const SPEC_VERSIONS = ["1.32", "1.33", "1.34", "1.35", "1.36"] as const;

export interface OpenApiSpec {
  readonly definitions: Record<string, { properties?: Record<string, { description?: string }>; "x-kubernetes-group-version-kind"?: Gvk[] }>;
  readonly paths: Record<string, Record<string, unknown>>;
}

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export function specFile(version: string): string {
  return upstreamPath("k8s-openapi", `swagger-${version}.json`);
}

/** Skip the cross-checks where the specs are absent (see tools/testing/upstream.ts). */
export const SKIP_SPECS = skipWithoutUpstream("k8s-openapi");

const cache = new Map<string, OpenApiSpec>();

export function loadSpec(version: string): OpenApiSpec {
  let spec = cache.get(version);
  if (!spec) {
    const file = specFile(version);
    if (!existsSync(file)) throw new Error(`${file} is missing: the cross-checks need the upstream data (../shared/upstream beside the repository, or $GITOPS_UPSTREAM_DIR)`);
    spec = JSON.parse(readFileSync(file, "utf8")) as OpenApiSpec;
    cache.set(version, spec);
  }
  return spec;
}

const apiVersionOf = (gvk: Gvk) => (gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version);

/** `apiVersion kind` of every kind the spec's definitions declare. */
export function definedTypes(spec: OpenApiSpec): Set<string> {
  const out = new Set<string>();
  for (const definition of Object.values(spec.definitions)) {
    for (const gvk of definition["x-kubernetes-group-version-kind"] ?? []) out.add(`${apiVersionOf(gvk)} ${gvk.kind}`);
  }
  return out;
}

/** `apiVersion kind` of every kind some path's operations act on. */
export function servedTypes(spec: OpenApiSpec): Set<string> {
  const out = new Set<string>();
  for (const operations of Object.values(spec.paths)) {
    for (const operation of Object.values(operations)) {
      const gvk = (operation as { "x-kubernetes-group-version-kind"?: Gvk })?.["x-kubernetes-group-version-kind"];
      if (gvk) out.add(`${apiVersionOf(gvk)} ${gvk.kind}`);
    }
  }
  return out;
}
