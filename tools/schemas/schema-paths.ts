/**
 * The field paths a schema allows (`spec.syncPolicy.automated.selfHeal`, arrays as `[]`, map values as `*`),
 * following `$ref` across the files of a schema directory. Used to compare schemas from different sources.
 */
import path from "node:path";
import { parseKindRef, readDefinitions, readIndex, type JsonSchema } from "./schema-files.ts";

export interface SchemaDirReader {
  /** The kind's definition reference (`file.json#/definitions/Name`), or undefined. */
  kindRef(apiVersion: string, kind: string): string | undefined;
  definition(file: string, name: string): JsonSchema | undefined;
}

export function schemaDirReader(dir: string): SchemaDirReader {
  const index = readIndex(dir);
  const files = new Map<string, Record<string, JsonSchema>>();
  return {
    kindRef: (apiVersion, kind) => index.kinds[apiVersion]?.[kind],
    definition(file, name) {
      let defs = files.get(file);
      if (!defs) {
        defs = readDefinitions(dir, file).definitions;
        files.set(file, defs);
      }
      return defs[name];
    },
  };
}

export interface PathOptions {
  /** Only paths under this top-level property (e.g. "spec"). */
  under?: string;
  /** Stop descending after this many path segments. */
  maxDepth?: number;
}

export interface FieldPaths {
  /** Every named field, sorted. */
  readonly paths: string[];
  /** Fields whose value is free-form (unknown properties allowed below them), sorted. */
  readonly open: string[];
}

/** The field paths of a kind's schema. */
export function kindFieldPaths(reader: SchemaDirReader, apiVersion: string, kind: string, options: PathOptions = {}): FieldPaths {
  const ref = reader.kindRef(apiVersion, kind);
  if (!ref) throw new Error(`no schema for ${apiVersion} ${kind}`);
  const { file, definition } = parseKindRef(ref);
  const root = reader.definition(file, definition);
  if (!root) throw new Error(`${ref} not found`);
  const out = new Set<string>();
  const open = new Set<string>();
  const maxDepth = options.maxDepth ?? 50;

  const walk = (schema: JsonSchema, currentFile: string, prefix: string, depth: number, stack: readonly string[]): void => {
    if (depth > maxDepth) return;
    if (typeof schema.$ref === "string") {
      const match = /^([^#]*)#\/definitions\/(.+)$/.exec(schema.$ref);
      if (!match) return;
      const targetFile = match[1] ? path.basename(match[1]) : currentFile;
      const id = `${targetFile}#${match[2]}`;
      if (stack.includes(id)) return;
      const target = reader.definition(targetFile, match[2]!);
      if (target) walk(target, targetFile, prefix, depth, [...stack, id]);
      return;
    }
    const type = schema.type;
    const untyped = type === undefined && schema.enum === undefined && schema.const === undefined && schema.pattern === undefined;
    const mayBeObject = untyped || type === "object" || (Array.isArray(type) && type.includes("object"));
    const combined = ["allOf", "anyOf", "oneOf"].some((c) => Array.isArray(schema[c]));
    if (prefix && mayBeObject && !combined && schema.items === undefined && (schema.additionalProperties === undefined || schema.additionalProperties === true)) open.add(prefix);
    if (schema.properties && typeof schema.properties === "object") {
      for (const [name, sub] of Object.entries(schema.properties as Record<string, JsonSchema>)) {
        if (depth === 0 && options.under !== undefined && name !== options.under) continue;
        const p = prefix ? `${prefix}.${name}` : name;
        out.add(p);
        walk(sub, currentFile, p, depth + 1, stack);
      }
    }
    if (schema.items && typeof schema.items === "object") walk(schema.items as JsonSchema, currentFile, `${prefix}[]`, depth, stack);
    if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
      walk(schema.additionalProperties as JsonSchema, currentFile, `${prefix}.*`, depth + 1, stack);
    }
    for (const combinator of ["allOf", "anyOf", "oneOf"]) {
      const branches = schema[combinator];
      if (Array.isArray(branches)) for (const b of branches) if (b && typeof b === "object") walk(b as JsonSchema, currentFile, prefix, depth, stack);
    }
  };
  walk(root, file, "", 0, [`${file}#${definition}`]);
  return { paths: [...out].sort(), open: [...open].sort() };
}

/** Whether `p` is `prefix` or lies below it (`prefix.x`, `prefix[]`). */
export function isUnder(p: string, prefix: string): boolean {
  return p === prefix || p.startsWith(`${prefix}.`) || p.startsWith(`${prefix}[`);
}

/** A readable diff of two path lists: `- only in A`, `+ only in B`. */
export function diffPaths(a: readonly string[], b: readonly string[], labels: [string, string]): string {
  const setA = new Set(a);
  const setB = new Set(b);
  const onlyA = a.filter((p) => !setB.has(p));
  const onlyB = b.filter((p) => !setA.has(p));
  if (onlyA.length === 0 && onlyB.length === 0) return "";
  return [`- only in ${labels[0]} (${onlyA.length}):`, ...onlyA.map((p) => `-   ${p}`), `+ only in ${labels[1]} (${onlyB.length}):`, ...onlyB.map((p) => `+   ${p}`)].join("\n");
}
