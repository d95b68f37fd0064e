/**
 * The CRDs a cluster's render installs (from charts or the platform's own files) become strict schemas on
 * the fly, with `schemas import`'s conversion: each custom resource is then checked against the CRD
 * version its cluster really installs, and these schemas replace the bundled ones for the same kinds.
 * The imported folder is cached by the CRDs' content.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { importCrds, writeImportedSchemas } from "../schemas/import-crd.ts";
import { gitopsCacheDir } from "../workspace/cache.ts";
import { isRecord } from "../validate/objects.ts";

/** CustomResourceDefinitions among the objects (apiextensions.k8s.io/v1). */
export function crdObjects(values: readonly unknown[]): unknown[] {
  return values.filter((v) => isRecord(v) && v.kind === "CustomResourceDefinition" && v.apiVersion === "apiextensions.k8s.io/v1");
}

/**
 * A schema folder for the CRDs (imported once per distinct set), or undefined when there are none.
 * Go/RE2 patterns are translated by the import (re2-pattern.ts); one with no JavaScript equivalent is left
 * out of the schema and never fails an object (`schemas import` names it in a note).
 */
export function renderCrdSchemaDir(crds: readonly unknown[], texts?: readonly string[]): string | undefined {
  if (crds.length === 0) return undefined;
  // `texts`: the CRDs as the render serialised them, one per CRD (cheaper to hash than a JSON copy).
  const hash = createHash("sha256");
  if (texts && texts.length === crds.length) for (const text of texts) hash.update(`yaml ${text.length}\n`).update(text);
  else hash.update(JSON.stringify(crds));
  const key = hash.digest("hex").slice(0, 24);
  const dir = path.join(gitopsCacheDir(), "crd-schemas", key);
  if (existsSync(dir)) return dir;
  const result = importCrds([...crds]);
  if (result.kinds.length === 0) return undefined;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeImportedSchemas(result.schemas, tmp);
  try {
    renameSync(tmp, dir);
  } catch {
    // Another process imported the same set meanwhile.
    rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}
