/**
 * Builds strict JSON Schemas (draft-07, ajv) for every top-level kind of the installed model packages
 * (kubernetes-models and @kubernetes-models/*). Kinds no package models (MetalLB, Kargo, Velero, CloudNativePG)
 * get their schemas from the CRDs a cluster's render installs (tools/pipeline/render-crds.ts), or from
 * `gitops schemas import`.
 *
 * Source of truth: the packages' `.d.ts` declarations (property names, optionality, literal unions, maps,
 * arrays). `number` says nothing about integers, so each package's own compiled validator (`_schemas/<Name>.js`,
 * shipped with the package) is asked: a probe object with 0.5 in every number field tells which of them must
 * be integers. Every object with known properties gets `additionalProperties: false`; `any`, `{}` and
 * `{ [key: string]: any }` stay open. Definitions are shared through `$ref`, one definitions file per package.
 *
 * Run: `npx tsx tools/schemas/build-schemas.ts [outDir]` (default schemas/kubernetes).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PropertyNode, TypeNode } from "./dts-parser.ts";
import { compareStrings, loadModels, type ModelDefinition, type ModelSet } from "./npm-models.ts";
import { DEFAULT_SCHEMA_DIR, INDEX_FILE, REPO_ROOT, serializeDefinitions, serializeIndex, writeSchemaDir, type JsonSchema, type SchemaIndex } from "./schema-files.ts";

export { DEFAULT_SCHEMA_DIR, REPO_ROOT };

export interface BuildSchemasOptions {
  /** Where to write index.json and the definitions files; other .json files there are deleted. */
  outDir: string;
  /** The directory whose node_modules holds the model packages (default: this repository). */
  rootDir?: string;
}

export interface BuildSchemasResult {
  /** Number of apiVersion/kind pairs in the index. */
  kinds: number;
  /** Written files, sorted. */
  files: string[];
}

export async function buildSchemas(options: BuildSchemasOptions): Promise<BuildSchemasResult> {
  const built = await generateSchemaFiles(options.rootDir ?? REPO_ROOT);
  const files = writeSchemaDir(options.outDir, built.files, { prune: true });
  return { kinds: built.kinds, files };
}

/** The whole build in memory: file name → content. */
export async function generateSchemaFiles(rootDir: string): Promise<{ kinds: number; files: Map<string, string> }> {
  const models = loadModels(rootDir);
  const reachable = reachableDefinitions(models);
  const integers = await probeIntegers(reachable);
  const emitter = new Emitter(models, integers);

  const perFile = new Map<string, Record<string, JsonSchema>>();
  for (const def of reachable) {
    if (emitter.isInlined(def)) continue;
    const defs = perFile.get(def.pkg.schemaFile) ?? {};
    defs[def.name] = emitter.definitionSchema(def);
    perFile.set(def.pkg.schemaFile, defs);
  }

  const index: SchemaIndex = { kinds: {}, sources: {} };
  let count = 0;
  const add = (apiVersion: string, kind: string, ref: string): void => {
    const versions = (index.kinds[apiVersion] ??= {});
    if (versions[kind]) throw new Error(`${apiVersion} ${kind} is defined twice (${versions[kind]} and ${ref})`);
    versions[kind] = ref;
    count++;
  };
  for (const k of models.kinds) {
    const def = models.definitions.get(k.definition)!;
    add(k.apiVersion, k.kind, `${def.pkg.schemaFile}#/definitions/${def.name}`);
  }
  for (const pkg of models.packages) index.sources![pkg.name] = pkg.version;

  checkReferences(perFile, index);
  const files = new Map<string, string>();
  for (const [file, defs] of [...perFile].sort((a, b) => compareStrings(a[0], b[0]))) files.set(file, serializeDefinitions(defs));
  files.set(INDEX_FILE, serializeIndex(index));
  return { kinds: count, files };
}

/** Every definition a kind needs, following references and `extends`. */
function reachableDefinitions(models: ModelSet): ModelDefinition[] {
  const seen = new Set<string>();
  const queue: string[] = models.kinds.map((k) => k.definition);
  const out: ModelDefinition[] = [];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const def = models.definitions.get(name);
    if (!def) throw new Error(`unknown definition ${name}`);
    out.push(def);
    for (const base of def.decl.extends) {
      const resolved = def.resolve(base);
      if (resolved) queue.push(resolved);
    }
    walkRefs(def.decl.type, (ref) => {
      const resolved = def.resolve(ref);
      if (resolved) queue.push(resolved);
    });
  }
  return out.sort((a, b) => compareStrings(a.name, b.name));
}

function walkRefs(node: TypeNode, visit: (name: string) => void): void {
  switch (node.kind) {
    case "ref":
      visit(node.name);
      return;
    case "array":
      walkRefs(node.element, visit);
      return;
    case "object":
      for (const m of node.members) walkRefs(m.type, visit);
      if (node.index) walkRefs(node.index, visit);
      return;
    case "union":
    case "intersection":
      for (const t of node.types) walkRefs(t, visit);
      return;
    default:
      return;
  }
}

/** Fails the build when a `$ref` or an index entry points at a definition no file holds. */
function checkReferences(perFile: ReadonlyMap<string, Record<string, JsonSchema>>, index: SchemaIndex): void {
  const missing: string[] = [];
  for (const [apiVersion, kinds] of Object.entries(index.kinds)) {
    for (const [kind, ref] of Object.entries(kinds)) {
      const match = /^([^#]+)#\/definitions\/(.+)$/.exec(ref);
      if (!match || !perFile.get(match[1]!)?.[match[2]!]) missing.push(`index ${apiVersion} ${kind}: ${ref}`);
    }
  }
  for (const [file, defs] of perFile) {
    for (const [name, schema] of Object.entries(defs)) {
      const refs: string[] = [];
      const visit = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === "object") {
          for (const [key, v] of Object.entries(value)) key === "$ref" && typeof v === "string" ? refs.push(v) : visit(v);
        }
      };
      visit(schema);
      for (const ref of refs) {
        const match = /^([^#]*)#\/definitions\/(.+)$/.exec(ref);
        const target = match ? perFile.get(match[1] || file)?.[match[2]!] : undefined;
        if (!target) missing.push(`${file} ${name}: ${ref}`);
      }
    }
  }
  if (missing.length > 0) throw new Error(`unresolved $ref:\n${missing.join("\n")}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Integer probing

/**
 * Asks each package's own compiled validator which `number` fields are integers: one probe object per
 * definition holds 0.5 in every number position reachable without crossing a reference.
 */
async function probeIntegers(defs: readonly ModelDefinition[]): Promise<Set<TypeNode>> {
  const integers = new Set<TypeNode>();
  for (const def of defs) {
    const positions = new Map<string, TypeNode[]>();
    const value = probeValue(def.decl.type, "", positions);
    if (positions.size === 0) continue;
    const module = path.join(def.pkg.dir, "_schemas", `${def.name}.js`);
    if (!existsSync(module)) continue;
    const { validate } = (await import(pathToFileURL(module).href)) as {
      validate: ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; params: { type?: string } }[] | null };
    };
    validate(value);
    for (const error of validate.errors ?? []) {
      if (error.keyword === "type" && error.params.type === "integer") {
        for (const node of positions.get(error.instancePath) ?? []) integers.add(node);
      }
    }
  }
  return integers;
}

const PROBE = 0.5;

function probeValue(node: TypeNode, pointer: string, positions: Map<string, TypeNode[]>): unknown {
  const record = (n: TypeNode): void => {
    const list = positions.get(pointer) ?? [];
    list.push(n);
    positions.set(pointer, list);
  };
  switch (node.kind) {
    case "keyword":
      if (node.name === "number") {
        record(node);
        return PROBE;
      }
      return undefined;
    case "union": {
      let found = false;
      for (const t of node.types) {
        if (t.kind === "keyword" && t.name === "number") {
          record(t);
          found = true;
        }
      }
      return found ? PROBE : undefined;
    }
    case "array": {
      const element = probeValue(node.element, `${pointer}/0`, positions);
      return element === undefined ? undefined : [element];
    }
    case "object": {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const m of node.members) {
        const v = probeValue(m.type, `${pointer}/${escapePointer(m.name)}`, positions);
        if (v !== undefined) {
          out[m.name] = v;
          any = true;
        }
      }
      if (node.index) {
        const v = probeValue(node.index, `${pointer}/k`, positions);
        if (v !== undefined && !node.members.some((m) => m.name === "k")) {
          out.k = v;
          any = true;
        }
      }
      return any ? out : undefined;
    }
    case "intersection": {
      const out: Record<string, unknown> = {};
      let any = false;
      for (const t of node.types) {
        if (t.kind !== "object") continue;
        const v = probeValue(t, pointer, positions);
        if (v && typeof v === "object") {
          Object.assign(out, v);
          any = true;
        }
      }
      return any ? out : undefined;
    }
    default:
      return undefined;
  }
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

// ---------------------------------------------------------------------------------------------------------------
// Emission

interface Member {
  readonly prop: PropertyNode;
  /** The definition whose file declares the property (names in its type resolve there). */
  readonly owner: ModelDefinition;
}

/** Top-level fields every kind has; a kind modelled with nothing else is an opaque (preserve-unknown) body. */
const TYPE_META_FIELDS: ReadonlySet<string> = new Set(["apiVersion", "kind", "metadata"]);

class Emitter {
  private readonly inlined = new Map<string, boolean>();
  private readonly merged = new Map<string, Member[]>();
  /** The definitions file being written: references into it are local (`#/definitions/…`). */
  private emitFile = "";

  constructor(
    private readonly models: ModelSet,
    private readonly integers: ReadonlySet<TypeNode>,
  ) {}

  private target(def: ModelDefinition, name: string): ModelDefinition | undefined {
    const resolved = def.resolve(name);
    return resolved ? this.models.definitions.get(resolved) : undefined;
  }

  /** Small definitions without structure (aliases of primitives, enums, empty interfaces) are inlined. */
  isInlined(def: ModelDefinition, depth = 0): boolean {
    const cached = this.inlined.get(def.name);
    if (cached !== undefined) return cached;
    let result: boolean;
    const { decl } = def;
    if (decl.form === "interface") {
      result = decl.extends.length === 0 && decl.type.kind === "object" && decl.type.members.length === 0 && !decl.type.index;
    } else if (decl.type.kind === "ref") {
      const target = this.target(def, decl.type.name);
      result = target !== undefined && depth < 20 && this.isInlined(target, depth + 1);
    } else {
      result = isScalarType(decl.type);
    }
    this.inlined.set(def.name, result);
    return result;
  }

  definitionSchema(def: ModelDefinition): JsonSchema {
    this.emitFile = def.pkg.schemaFile;
    const { decl } = def;
    if (decl.form === "alias") return this.typeSchema(decl.type, def);
    const members = this.mergedMembers(def);
    const schema = this.objectSchema(members, decl.type.kind === "object" ? decl.type.index : undefined, def);
    const isLiteral = (name: string): boolean => members.some((m) => m.prop.name === name && m.prop.type.kind === "literal");
    if (isLiteral("apiVersion") && isLiteral("kind") && members.every((m) => TYPE_META_FIELDS.has(m.prop.name))) schema.additionalProperties = true;
    return schema;
  }

  /** Own members after those of the interfaces it extends (embedded Go structs), each with the file it is declared in. */
  private mergedMembers(def: ModelDefinition): Member[] {
    const cached = this.merged.get(def.name);
    if (cached) return cached;
    const byName = new Map<string, Member>();
    for (const base of def.decl.extends) {
      const target = this.target(def, base);
      if (!target) continue; // TypeMeta: apiVersion and kind are declared on the kind itself
      for (const m of this.mergedMembers(target)) byName.set(m.prop.name, m);
    }
    if (def.decl.type.kind === "object") for (const prop of def.decl.type.members) byName.set(prop.name, { prop, owner: def });
    const members = [...byName.values()];
    this.merged.set(def.name, members);
    return members;
  }

  private objectSchema(members: readonly Member[], index: TypeNode | undefined, def: ModelDefinition): JsonSchema {
    if (members.length === 0) {
      if (!index) return {};
      const values = this.typeSchema(index, def);
      return Object.keys(values).length === 0 ? { type: "object" } : { type: "object", additionalProperties: values };
    }
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const { prop, owner } of members) {
      properties[prop.name] = this.typeSchema(prop.type, owner);
      if (!prop.optional) required.push(prop.name);
    }
    const schema: JsonSchema = { type: "object", properties };
    if (required.length > 0) schema.required = required.sort();
    schema.additionalProperties = index ? this.typeSchema(index, def) : false;
    return schema;
  }

  typeSchema(node: TypeNode, def: ModelDefinition): JsonSchema {
    switch (node.kind) {
      case "keyword":
        return this.keywordSchema(node);
      case "literal":
        return { enum: [node.value] };
      case "array":
        return { type: "array", items: this.typeSchema(node.element, def) };
      case "object":
        return this.objectSchema(node.members.map((prop) => ({ prop, owner: def })), node.index, def);
      case "ref":
        return this.refSchema(node, def);
      case "union":
        return this.unionSchema(node.types, def);
      case "intersection":
        return this.intersectionSchema(node.types, def);
    }
  }

  private keywordSchema(node: TypeNode & { kind: "keyword" }): JsonSchema {
    switch (node.name) {
      case "string":
        return { type: "string" };
      case "number":
        return { type: this.integers.has(node) ? "integer" : "number" };
      case "boolean":
        return { type: "boolean" };
      case "null":
        return { type: "null" };
      case "object":
        return { type: "object" };
      default:
        return {};
    }
  }

  private refSchema(node: TypeNode & { kind: "ref" }, def: ModelDefinition): JsonSchema {
    const target = this.target(def, node.name);
    if (!target) return {}; // Exclude<…> and other helpers: no structure to check
    if (node.member !== undefined) {
      const member = this.mergedMembers(target).find((m) => m.prop.name === node.member);
      return member ? this.typeSchema(member.prop.type, member.owner) : {};
    }
    if (this.isInlined(target)) {
      const { decl } = target;
      if (decl.form === "interface") return {};
      return this.typeSchema(decl.type, target);
    }
    const file = target.pkg.schemaFile === this.emitFile ? "" : target.pkg.schemaFile;
    return { $ref: `${file}#/definitions/${target.name}` };
  }

  private unionSchema(types: readonly TypeNode[], def: ModelDefinition): JsonSchema {
    const flat: TypeNode[] = [];
    const flatten = (t: TypeNode): void => {
      if (t.kind === "union") t.types.forEach(flatten);
      else flat.push(t);
    };
    types.forEach(flatten);
    const literals = flat.filter((t) => t.kind === "literal");
    const keywords = flat.filter((t) => t.kind === "keyword");
    const others = flat.filter((t) => t.kind !== "literal" && t.kind !== "keyword");
    if (keywords.some((k) => k.name === "any" || k.name === "unknown")) return {};
    if (others.length === 0) {
      if (keywords.length === 0) return { enum: literals.map((l) => l.value) };
      const jsonTypes = new Set<string>();
      for (const k of keywords) {
        const t = this.keywordSchema(k).type;
        if (typeof t === "string") jsonTypes.add(t);
      }
      for (const l of literals) {
        const t = typeof l.value === "string" ? "string" : typeof l.value === "boolean" ? "boolean" : Number.isInteger(l.value) ? "integer" : "number";
        const covered = jsonTypes.has(t) || (t === "integer" && jsonTypes.has("number"));
        if (!covered) return { anyOf: flat.map((f) => this.typeSchema(f, def)) };
      }
      const list = [...jsonTypes].sort();
      return { type: list.length === 1 ? list[0] : list };
    }
    if (flat.length === 1) return this.typeSchema(flat[0]!, def);
    return { anyOf: flat.map((f) => this.typeSchema(f, def)) };
  }

  /**
   * `A & (Exclude<…> | B | C)` (how generated models spell a oneOf): the properties of the object parts, plus
   * those of the alternatives as optional; the one-of constraint itself is left to the API server.
   */
  private intersectionSchema(types: readonly TypeNode[], def: ModelDefinition): JsonSchema {
    const members = new Map<string, Member>();
    let index: TypeNode | undefined;
    const add = (prop: PropertyNode, owner: ModelDefinition, optional: boolean): void => {
      const existing = members.get(prop.name);
      if (!existing) members.set(prop.name, { prop: optional && !prop.optional ? { ...prop, optional: true } : prop, owner });
      else if (!optional && !prop.optional && existing.prop.optional) members.set(prop.name, { prop: { ...existing.prop, optional: false }, owner: existing.owner });
    };
    const addType = (t: TypeNode, owner: ModelDefinition, optional: boolean, depth: number): void => {
      if (depth > 10) return;
      if (t.kind === "object") {
        for (const prop of t.members) add(prop, owner, optional);
        if (t.index) index = t.index;
      } else if (t.kind === "intersection") t.types.forEach((x) => addType(x, owner, optional, depth + 1));
      else if (t.kind === "union") t.types.forEach((x) => addType(x, owner, true, depth + 1));
      else if (t.kind === "ref") {
        const target = this.target(owner, t.name);
        if (target && target.decl.form === "interface") for (const m of this.mergedMembers(target)) add(m.prop, m.owner, optional);
        else if (target) addType(target.decl.type, target, optional, depth + 1);
      }
    };
    types.forEach((t) => addType(t, def, false, 0));
    return this.objectSchema([...members.values()], index, def);
  }
}

function isScalarType(node: TypeNode): boolean {
  switch (node.kind) {
    case "keyword":
    case "literal":
      return true;
    case "union":
      return node.types.every(isScalarType);
    case "array":
      return isScalarType(node.element);
    default:
      return false;
  }
}

// `npx tsx tools/schemas/build-schemas.ts [outDir]`
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_SCHEMA_DIR);
  const started = performance.now();
  const result = await buildSchemas({ outDir });
  console.log(`${result.kinds} kinds, ${result.files.length} files in ${path.relative(process.cwd(), outDir) || "."} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
