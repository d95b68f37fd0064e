/**
 * Cross-checks the schemas built from npm packages (and the project's own kinds) against schemas imported
 * from the upstream CRD manifests in ../shared/upstream/crds (read at test time only): the field names under
 * `spec` must agree, apart from the differences listed here with their reason. Fields below a free-form value
 * on the other side (preserve-unknown-fields, `any`) are not compared.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";
import { parseDocuments } from "../workspace/documents.ts";
import { DEFAULT_SCHEMA_DIR, REPO_ROOT } from "./build-schemas.ts";
import { importCrds, writeImportedSchemas } from "./import-crd.ts";
import { diffPaths, isUnder, kindFieldPaths, schemaDirReader, type SchemaDirReader } from "./schema-paths.ts";

const UPSTREAM_CRDS = upstreamPath("crds");

interface Known {
  /** Field path prefixes present only in the npm-built (or own) schema. */
  readonly onlyOurs?: readonly string[];
  /** Field path prefixes present only in the upstream CRD. */
  readonly onlyCrd?: readonly string[];
  readonly why: string;
}

const CHECKS: readonly { apiVersion: string; kind: string; crdDir: string; known?: Known }[] = [
  {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    crdDir: "argo-cd",
    known: {
      onlyCrd: ["spec.source.tagPrefix", "spec.sources[].tagPrefix", "spec.sourceHydrator.syncSource.repoURL"],
      why: "@kubernetes-models/argo-cd 4.0.0 models an older Argo CD 3.x than the pinned CRDs (v3.5.1)",
    },
  },
  {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    crdDir: "argo-cd",
    known: { onlyCrd: ["spec.sourceIntegrity", "spec.syncWindows[].syncOverrun"], why: "newer Argo CD fields (v3.5.1 CRDs)" },
  },
  {
    apiVersion: "cert-manager.io/v1",
    kind: "ClusterIssuer",
    crdDir: "cert-manager",
    known: {
      onlyCrd: ["spec.acme.solvers[].waitInsteadOfSelfCheck", "spec.vault.auth.aws", "spec.venafi.ngts"],
      why: "@kubernetes-models/cert-manager 6.0.0 predates cert-manager v1.21",
    },
  },
  {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    crdDir: "cert-manager",
    known: { onlyCrd: ["spec.renewal"], why: "@kubernetes-models/cert-manager 6.0.0 predates cert-manager v1.21" },
  },
  {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Rollout",
    crdDir: "argo-rollouts",
    known: {
      onlyOurs: ["spec.template.metadata", "spec.template.spec.schedulingGroup"],
      why:
        "the Rollout CRD trims the pod template's metadata to labels and annotations (the Go type is ObjectMeta), " +
        "and its PodSpec predates Kubernetes 1.36 (schedulingGroup) while the package reuses kubernetes-models' PodSpec",
    },
  },
];

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out.sort();
}

describe.skipIf(skipWithoutUpstream("crds"))("npm-built schemas agree with upstream CRDs on the fields under spec", () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "schemas-cross-check-"));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  let ours: SchemaDirReader;
  let upstream: SchemaDirReader;

  beforeAll(() => {
    const documents: unknown[] = [];
    for (const dir of new Set(CHECKS.map((c) => c.crdDir))) {
      for (const file of yamlFiles(path.join(UPSTREAM_CRDS, dir))) documents.push(...parseDocuments(readFileSync(file, "utf8"), file).map((d) => d.value));
    }
    writeImportedSchemas(importCrds(documents).schemas, outDir);
    ours = schemaDirReader(DEFAULT_SCHEMA_DIR);
    upstream = schemaDirReader(outDir);
  });

  for (const check of CHECKS) {
    it(`${check.apiVersion} ${check.kind}`, () => {
      const a = kindFieldPaths(ours, check.apiVersion, check.kind, { under: "spec" });
      const b = kindFieldPaths(upstream, check.apiVersion, check.kind, { under: "spec" });
      const belowOpen = (p: string, open: readonly string[]): boolean => open.some((o) => p !== o && isUnder(p, o));
      const known = (p: string, prefixes: readonly string[] | undefined): boolean => (prefixes ?? []).some((k) => isUnder(p, k));
      const left = a.paths.filter((p) => !belowOpen(p, b.open));
      const right = b.paths.filter((p) => !belowOpen(p, a.open));
      const leftOnly = new Set(left.filter((p) => !right.includes(p)));
      const rightOnly = new Set(right.filter((p) => !left.includes(p)));
      const diff = diffPaths(
        left.filter((p) => !(leftOnly.has(p) && known(p, check.known?.onlyOurs))),
        right.filter((p) => !(rightOnly.has(p) && known(p, check.known?.onlyCrd))),
        ["ours (npm package)", "upstream CRD"],
      );
      expect(diff, `field names under spec differ:\n${diff}`).toBe("");
      // Every listed difference still exists (remove it from CHECKS once a package update closes it).
      for (const k of check.known?.onlyOurs ?? []) expect([...leftOnly].some((p) => isUnder(p, k)), `stale known difference ${k}`).toBe(true);
      for (const k of check.known?.onlyCrd ?? []) expect([...rightOnly].some((p) => isUnder(p, k)), `stale known difference ${k}`).toBe(true);
      // The comparison had something to compare.
      if (check.kind !== "Project") expect(left.filter((p) => right.includes(p)).length).toBeGreaterThan(2);
    });
  }
});
