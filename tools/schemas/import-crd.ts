/**
 * Turns CustomResourceDefinition manifests (apiextensions.k8s.io/v1) into strict schemas in the format the
 * validator loads (see schema-files.ts), so that `createSchemaValidator({ extraSchemaDirs })` checks a user's
 * own custom resources:
 *
 * - `additionalProperties: false` wherever `properties` is given, unless `x-kubernetes-preserve-unknown-fields`
 *   is true or `additionalProperties` is set;
 * - `x-kubernetes-int-or-string` → integer or string; `nullable` → null allowed;
 * - `x-kubernetes-embedded-resource` → apiVersion, kind and metadata allowed (metadata checked as ObjectMeta);
 * - apiVersion and kind fixed at the top, metadata checked as ObjectMeta (taken from the schemas built from
 *   kubernetes-models, copied into each file so that an imported directory stands alone);
 * - value checks kept: enum, pattern (Go/RE2 syntax translated to JavaScript where the meaning is the same,
 *   re2-pattern.ts; otherwise left out with a note), min/max, lengths, item and property counts, required,
 *   allOf/anyOf/oneOf/not; dropped: descriptions, defaults, formats, CEL validations.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocuments } from "../workspace/documents.ts";
import { compareStrings } from "./npm-models.ts";
import { translateRe2Pattern } from "./re2-pattern.ts";
import {
  DEFAULT_IMPORT_DIR,
  DEFAULT_SCHEMA_DIR,
  INDEX_FILE,
  readIndex,
  serializeDefinitions,
  serializeIndex,
  writeSchemaDir,
  type JsonSchema,
  type SchemaIndex,
} from "./schema-files.ts";

export { DEFAULT_IMPORT_DIR };

export const OBJECT_META = "IoK8sApimachineryPkgApisMetaV1ObjectMeta";

export interface ImportedKind {
  readonly group: string;
  readonly kind: string;
  readonly version: string;
}

export interface ImportedSchemas {
  /** File name (`<group>.json`) → definitions. */
  readonly files: Record<string, Record<string, JsonSchema>>;
  readonly index: SchemaIndex;
}

export interface ImportResult {
  readonly schemas: ImportedSchemas;
  readonly kinds: ImportedKind[];
  /** Documents that looked like CRDs but could not be imported, with the reason. */
  readonly skipped: string[];
  /**
   * Checks left out of an imported schema, with the reason: `<crd> <version> <field>: pattern "…" skipped: …`
   * for a Go pattern with no JavaScript equivalent. The rest of the schema still applies.
   */
  readonly notes: string[];
}

export interface ImportOptions {
  /** Where to read the ObjectMeta definitions from (default: schemas/kubernetes of this repository). */
  schemaDir?: string;
}

type Json = { [key: string]: unknown };

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Imports every CustomResourceDefinition among `documents`; other documents are ignored. */
export function importCrds(documents: unknown[], options: ImportOptions = {}): ImportResult {
  const objectMeta = objectMetaDefinitions(options.schemaDir ?? DEFAULT_SCHEMA_DIR);
  const files: Record<string, Record<string, JsonSchema>> = {};
  const index: SchemaIndex = { kinds: {}, sources: {} };
  const kinds: ImportedKind[] = [];
  const skipped: string[] = [];
  const notes: string[] = [];

  for (const doc of documents) {
    if (!isRecord(doc) || doc.kind !== "CustomResourceDefinition") continue;
    const name = isRecord(doc.metadata) && typeof doc.metadata.name === "string" ? doc.metadata.name : "<unnamed>";
    if (doc.apiVersion !== "apiextensions.k8s.io/v1" && doc.apiVersion !== "apiextensions.k8s.io/v1beta1") {
      skipped.push(`${name}: apiVersion ${String(doc.apiVersion)} is not apiextensions.k8s.io/v1 (or v1beta1)`);
      continue;
    }
    const spec = isRecord(doc.spec) ? (doc.apiVersion === "apiextensions.k8s.io/v1beta1" ? v1beta1Spec(doc.spec) : doc.spec) : undefined;
    const group = typeof spec?.group === "string" ? spec.group : undefined;
    const kind = isRecord(spec?.names) && typeof spec.names.kind === "string" ? spec.names.kind : undefined;
    const versions = Array.isArray(spec?.versions) ? spec.versions : undefined;
    if (!group || !kind || !versions) {
      skipped.push(`${name}: not a complete CustomResourceDefinition (no group, names.kind or versions)`);
      continue;
    }
    const file = `${group}.json`;
    const defs = (files[file] ??= { ...objectMeta });
    for (const version of versions) {
      if (!isRecord(version) || typeof version.name !== "string" || version.served === false) continue;
      const apiVersion = `${group}/${version.name}`;
      const definition = definitionName(group, version.name, kind);
      const openApi = isRecord(version.schema) && isRecord(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : {};
      defs[definition] = rootSchema(openApi, apiVersion, kind, { notes, where: `${name} ${version.name}`, path: "" });
      (index.kinds[apiVersion] ??= {})[kind] = `${file}#/definitions/${definition}`;
      index.sources![`${group}/${kind}`] = name;
      kinds.push({ group, kind, version: version.name });
    }
  }
  kinds.sort((a, b) => compareStrings(a.group, b.group) || compareStrings(a.kind, b.kind) || compareStrings(a.version, b.version));
  return { schemas: { files, index }, kinds, skipped, notes };
}

/**
 * A v1beta1 CRD's spec in v1's shape, as the API server converts it: `version` becomes `versions`, and the
 * top-level `validation` schema becomes each version's schema.
 */
export function v1beta1Spec(spec: Json): Json {
  const shared = isRecord(spec.validation) ? spec.validation : undefined;
  const listed = Array.isArray(spec.versions) && spec.versions.length > 0 ? spec.versions : typeof spec.version === "string" ? [{ name: spec.version, served: true, storage: true }] : undefined;
  if (!listed) return spec;
  const versions = listed.map((v) => (isRecord(v) && !isRecord(v.schema) && shared ? { ...v, schema: shared } : v));
  return { ...spec, versions };
}

/** `argoproj.io`, `v1alpha1`, `Application` → `ArgoprojIoV1alpha1Application`. */
function definitionName(group: string, version: string, kind: string): string {
  const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return group.split(/[.\-]/).map(pascal).join("") + pascal(version) + kind;
}

/** ObjectMeta and what it references, from the apimachinery definitions of a built schema directory. */
function objectMetaDefinitions(schemaDir: string): Record<string, JsonSchema> {
  const file = path.join(schemaDir, "apimachinery.json");
  if (!existsSync(file)) throw new Error(`${file} is missing: build the schemas first (gitops schemas build)`);
  const all = (JSON.parse(readFileSync(file, "utf8")) as { definitions: Record<string, JsonSchema> }).definitions;
  const out: Record<string, JsonSchema> = {};
  const add = (name: string): void => {
    if (out[name]) return;
    const schema = all[name];
    if (!schema) throw new Error(`${file} has no definition ${name}`);
    out[name] = schema;
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (isRecord(value)) {
        for (const [k, v] of Object.entries(value)) {
          if (k === "$ref" && typeof v === "string") {
            if (!v.startsWith("#/definitions/")) throw new Error(`${name} refers outside its file: ${v}`);
            add(v.slice("#/definitions/".length));
          } else visit(v);
        }
      }
    };
    visit(schema);
  };
  add(OBJECT_META);
  return out;
}

const META_REF = { $ref: `#/definitions/${OBJECT_META}` };

/** Where a schema node is, for notes: the CRD and version, and the field path inside the object. */
interface At {
  readonly notes: string[];
  readonly where: string;
  readonly path: string;
}

function child(at: At, step: string): At {
  return { ...at, path: at.path === "" ? step.replace(/^\./, "") : `${at.path}${step}` };
}

function rootSchema(openApi: Json, apiVersion: string, kind: string, at: At): JsonSchema {
  const schema = convert(openApi, false, at);
  const properties = isRecord(schema.properties) ? { ...schema.properties } : {};
  properties.apiVersion = { enum: [apiVersion] };
  properties.kind = { enum: [kind] };
  properties.metadata = META_REF;
  schema.type = "object";
  schema.properties = properties;
  if (!("additionalProperties" in schema) && openApi["x-kubernetes-preserve-unknown-fields"] !== true) schema.additionalProperties = false;
  schema.required = [...new Set(["apiVersion", "kind", ...((schema.required as string[] | undefined) ?? [])])].sort();
  return schema;
}

const COPIED = ["minimum", "maximum", "minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "multipleOf", "uniqueItems"] as const;

/**
 * One OpenAPI v3 (structural) schema node → draft-07. In a combinator branch (`inBranch`), only value checks are
 * kept: a branch lists some properties, and closing it would reject the others.
 */
function convert(s: Json, inBranch: boolean, at: At): JsonSchema {
  const out: JsonSchema = {};
  const nullable = s.nullable === true;
  const preserve = s["x-kubernetes-preserve-unknown-fields"] === true;
  if (s["x-kubernetes-int-or-string"] === true) out.type = nullable ? ["integer", "null", "string"] : ["integer", "string"];
  else if (typeof s.type === "string") out.type = nullable ? [s.type, "null"].sort() : s.type;

  if (Array.isArray(s.enum)) out.enum = nullable && !s.enum.includes(null) ? [...s.enum, null] : s.enum;
  if (typeof s.pattern === "string") {
    const translated = translateRe2Pattern(s.pattern);
    if ("pattern" in translated) out.pattern = translated.pattern;
    else at.notes.push(`${at.where} ${at.path || "(root)"}: pattern ${JSON.stringify(s.pattern)} skipped: ${translated.skipped}`);
  }
  for (const key of COPIED) if (s[key] !== undefined && (key !== "uniqueItems" || s[key] === true)) out[key] = s[key];
  // OpenAPI 3.0 says `exclusiveMaximum: true` next to `maximum`; draft-07 wants the bound itself.
  if (s.exclusiveMinimum === true && typeof s.minimum === "number") {
    out.exclusiveMinimum = s.minimum;
    delete out.minimum;
  }
  if (s.exclusiveMaximum === true && typeof s.maximum === "number") {
    out.exclusiveMaximum = s.maximum;
    delete out.maximum;
  }
  if (out.uniqueItems === true && s.type === "array" && isRecord(s.items) && (s.items.type === "object" || s.items.type === "array")) delete out.uniqueItems;
  if (Array.isArray(s.required) && s.required.length > 0) out.required = [...new Set(s.required as string[])].sort();

  let properties: Record<string, JsonSchema> | undefined;
  if (isRecord(s.properties)) {
    properties = {};
    for (const [name, sub] of Object.entries(s.properties)) properties[name] = isRecord(sub) ? convert(sub, inBranch, child(at, `.${name}`)) : {};
  }
  if (s["x-kubernetes-embedded-resource"] === true) {
    properties = { ...(properties ?? {}) };
    properties.apiVersion ??= { type: "string" };
    properties.kind ??= { type: "string" };
    properties.metadata = META_REF;
  }
  if (properties) out.properties = properties;

  if (s.additionalProperties !== undefined) {
    out.additionalProperties = isRecord(s.additionalProperties) ? convert(s.additionalProperties, inBranch, child(at, ".*")) : s.additionalProperties === true;
  } else if (properties && !preserve && !inBranch && (isRecord(s.properties) || s["x-kubernetes-embedded-resource"] === true)) {
    out.additionalProperties = false;
  }

  if (isRecord(s.items)) out.items = convert(s.items, inBranch, child(at, "[]"));
  for (const combinator of ["allOf", "anyOf", "oneOf"] as const) {
    const branches = s[combinator];
    if (!Array.isArray(branches) || branches.length === 0) continue;
    // int-or-string spelled as anyOf of integer and string: the type above says it already.
    if (s["x-kubernetes-int-or-string"] === true && combinator === "anyOf") continue;
    out[combinator] = branches.map((b, i) => (isRecord(b) ? convert(b, true, child(at, ` (${combinator}[${i}])`)) : {}));
  }
  if (isRecord(s.not)) out.not = convert(s.not, true, child(at, " (not)"));
  return out;
}

/**
 * Writes imported schemas into `outDir`, merging with an index already there (a later import of the same
 * apiVersion/kind wins). Returns the written paths.
 */
export function writeImportedSchemas(schemas: ImportedSchemas, outDir: string): string[] {
  const existing: SchemaIndex = existsSync(path.join(outDir, INDEX_FILE)) ? readIndex(outDir) : { kinds: {}, sources: {} };
  const merged: SchemaIndex = { kinds: {}, sources: { ...(existing.sources ?? {}), ...(schemas.index.sources ?? {}) } };
  const newFiles = new Set(Object.keys(schemas.files));
  for (const [apiVersion, byKind] of Object.entries(existing.kinds)) {
    for (const [kind, ref] of Object.entries(byKind)) (merged.kinds[apiVersion] ??= {})[kind] = ref;
  }
  for (const [apiVersion, byKind] of Object.entries(schemas.index.kinds)) {
    for (const [kind, ref] of Object.entries(byKind)) (merged.kinds[apiVersion] ??= {})[kind] = ref;
  }
  // A group file is rewritten whole: keep the definitions of kinds imported earlier into the same file.
  const files = new Map<string, string>();
  for (const file of newFiles) {
    let defs = schemas.files[file]!;
    const previous = path.join(outDir, file);
    if (existsSync(previous)) {
      const old = (JSON.parse(readFileSync(previous, "utf8")) as { definitions: Record<string, JsonSchema> }).definitions;
      defs = { ...old, ...defs };
    }
    files.set(file, serializeDefinitions(defs));
  }
  files.set(INDEX_FILE, serializeIndex(merged));
  return writeSchemaDir(outDir, files, { prune: false });
}

/** YAML/JSON files under `p` (a file, or a directory searched recursively), sorted. */
function manifestFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  const out: string[] = [];
  for (const entry of readdirSync(p, { withFileTypes: true }).sort((a, b) => compareStrings(a.name, b.name))) {
    const full = path.join(p, entry.name);
    if (entry.isDirectory()) out.push(...manifestFiles(full));
    else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Input `schemas import` cannot use; the CLI prints the message and exits 2. */
export class SchemaImportError extends Error {}

/** Reads every manifest under `paths`, imports its CRDs and writes them to `outDir`. For `gitops schemas import`. */
export async function runSchemasImport(paths: string[], outDir: string): Promise<{ kinds: string[]; files: string[]; notes: string[] }> {
  const documents: unknown[] = [];
  for (const p of paths) {
    for (const file of manifestFiles(p)) {
      for (const doc of parseDocuments(readFileSync(file, "utf8"), file)) documents.push(doc.value);
    }
  }
  const result = importCrds(documents);
  if (result.kinds.length === 0) throw new SchemaImportError(`no CustomResourceDefinition found in ${paths.join(", ")}${result.skipped.length ? ` (${result.skipped.join("; ")})` : ""}`);
  const files = writeImportedSchemas(result.schemas, outDir);
  return { kinds: result.kinds.map((k) => `${k.group}/${k.version} ${k.kind}`), files, notes: result.notes };
}
