/**
 * The CRDs a cluster's render installs (from charts or the platform's own files) become strict schemas on
 * the fly, with `schemas import`'s conversion: each custom resource is then checked against the CRD
 * version its cluster really installs, and these schemas replace the bundled ones for the same kinds.
 * The imported folder is cached by the CRDs' content.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { importCrds, writeImportedSchemas } from "../schemas/import-crd.ts";
import { DEFAULT_SCHEMA_DIR } from "../schemas/schema-files.ts";
import { gitopsCacheDir } from "../workspace/cache.ts";
import { isRecord } from "../validate/objects.ts";

/** CustomResourceDefinitions among the objects (apiextensions.k8s.io/v1). */
export function crdObjects(values: readonly unknown[]): unknown[] {
  return values.filter((v) => isRecord(v) && v.kind === "CustomResourceDefinition" && v.apiVersion === "apiextensions.k8s.io/v1");
}

let importCodeKey: string | undefined;
/**
 * What an imported folder depends on besides the CRDs: the import's code (tools/schemas: the conversion,
 * the pattern translation, the file layout) and the apimachinery definitions it copies, so that a changed
 * toolchain imports again instead of reusing a folder the previous one wrote.
 */
function crdImportCodeKey(): string {
  if (importCodeKey === undefined) {
    const hash = createHash("sha256");
    const dir = fileURLToPath(new URL("../schemas/", import.meta.url));
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts")).sort().map((f) => path.join(dir, f));
    for (const file of [...files, path.join(DEFAULT_SCHEMA_DIR, "apimachinery.json")]) {
      hash.update(`${path.basename(file)}\n`);
      if (existsSync(file)) hash.update(readFileSync(file));
    }
    importCodeKey = hash.digest("hex");
  }
  return importCodeKey;
}

/**
 * A schema folder for the CRDs (imported once per distinct set and toolchain), or undefined when there are none.
 * Go/RE2 patterns are translated by the import (re2-pattern.ts); one with no JavaScript equivalent is left
 * out of the schema and never fails an object (`schemas import` names it in a note).
 */
export function renderCrdSchemaDir(crds: readonly unknown[], digests?: readonly string[]): string | undefined {
  if (crds.length === 0) return undefined;
  // `digests`: of the CRDs' texts as the render serialised them, one per CRD (serialized.ts; the text
  // determines the object), so nothing is hashed again.
  const hash = createHash("sha256").update(`code ${crdImportCodeKey()}\n`);
  if (digests && digests.length === crds.length) for (const digest of digests) hash.update(`yaml ${digest}\n`);
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
