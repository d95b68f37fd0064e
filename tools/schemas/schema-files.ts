/**
 * The on-disk format of a schema directory, shared by `buildSchemas`, the CRD importer and the validator:
 *
 *   index.json      {"kinds": {"<apiVersion>": {"<Kind>": "<file>.json#/definitions/<Name>"}}, "sources": {…}}
 *   <file>.json     {"definitions": {"<Name>": <JSON Schema (draft-07)>, …}}
 *
 * References inside a definitions file are `#/definitions/<Name>` (same file) or `<file>.json#/definitions/<Name>`
 * (another file of the same directory). Files carry no `$id`: the validator gives each directory its own base.
 * Output is deterministic: sorted keys, one definition per line, no timestamps.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The committed schemas built from npm packages: `gitops schemas build` writes here, the validator reads here. */
export const DEFAULT_SCHEMA_DIR = path.join(REPO_ROOT, "schemas", "kubernetes");
/** Where `gitops schemas import` writes unless told otherwise. */
export const DEFAULT_IMPORT_DIR = path.join(REPO_ROOT, "schemas", "imported");

export type JsonSchema = { [key: string]: unknown };

export const INDEX_FILE = "index.json";

export interface SchemaIndex {
  /** apiVersion → kind → `<file>#/definitions/<Name>` (relative to the directory). */
  kinds: Record<string, Record<string, string>>;
  /** What the schemas were derived from (package → version, or CRD file → group), for humans. */
  sources?: Record<string, string>;
}

export interface DefinitionsFile {
  definitions: Record<string, JsonSchema>;
}

/** JSON with object keys sorted at every level (arrays keep their order), no whitespace. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (value === undefined) return "null";
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const v = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${stableStringify(v)}`);
  }
  return `{${parts.join(",")}}`;
}

/** `{"definitions": {` then one `"Name": {…}` per line, sorted by name. */
export function serializeDefinitions(definitions: Record<string, JsonSchema>): string {
  const names = Object.keys(definitions).sort();
  const lines = names.map((name, i) => `${JSON.stringify(name)}:${stableStringify(definitions[name])}${i < names.length - 1 ? "," : ""}`);
  return `{"definitions":{\n${lines.join("\n")}\n}}\n`;
}

/** One apiVersion per line. */
export function serializeIndex(index: SchemaIndex): string {
  const versions = Object.keys(index.kinds).sort();
  const lines = versions.map((v, i) => `${JSON.stringify(v)}:${stableStringify(index.kinds[v])}${i < versions.length - 1 ? "," : ""}`);
  const sources = index.sources ? `,\n"sources":${stableStringify(index.sources)}` : "";
  return `{"kinds":{\n${lines.join("\n")}\n}${sources}\n}\n`;
}

export function readIndex(dir: string): SchemaIndex {
  return JSON.parse(readFileSync(path.join(dir, INDEX_FILE), "utf8")) as SchemaIndex;
}

export function readDefinitions(dir: string, file: string): DefinitionsFile {
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as DefinitionsFile;
}

/**
 * Writes `files` (name → content) into `dir` and deletes other `.json` files there, so that a directory holds
 * exactly one build's output. Returns the written paths, sorted.
 */
export function writeSchemaDir(dir: string, files: ReadonlyMap<string, string>, options: { prune: boolean }): string[] {
  mkdirSync(dir, { recursive: true });
  if (options.prune) {
    for (const entry of readdirSync(dir)) {
      if (entry.endsWith(".json") && !files.has(entry)) rmSync(path.join(dir, entry));
    }
  }
  const written: string[] = [];
  for (const name of [...files.keys()].sort()) {
    const target = path.join(dir, name);
    writeFileSync(target, files.get(name)!);
    written.push(target);
  }
  return written;
}

/** Splits `file.json#/definitions/Name` into its parts. */
export function parseKindRef(ref: string): { file: string; definition: string } {
  const match = /^([^#]*)#\/definitions\/(.+)$/.exec(ref);
  if (!match) throw new Error(`not a definition reference: ${ref}`);
  return { file: match[1]!, definition: match[2]! };
}
