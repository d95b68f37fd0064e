/**
 * A chart's values type, made from the chart itself: its values.schema.json where it has one, else
 * inferred from values.yaml (keys, scalar types, nesting), subcharts under their name or alias, and the
 * chart's free-form maps opened by path. Pure: a ChartSource in, a type (and its TypeScript text) out.
 *
 * Rules of inference from values.yaml defaults:
 * - objects are closed (an unknown key is an error), except an empty map (`podAnnotations: {}`), which
 *   is a map of free keys;
 * - a null default or an empty list says nothing of its type: `unknown`, `unknown[]`;
 * - list items are examples, not a complete description: items that are objects stay open;
 * - every key is optional: values are overrides of the defaults.
 * Where values.schema.json states a type it wins; where it is silent about an object's keys (no
 * `properties`, no `additionalProperties`), the keys come from values.yaml.
 */
import { parse as parseYaml } from "yaml";
import type { ChartDependency, ChartSource } from "./chart-source.ts";
import { commentedKeys } from "./commented-keys.ts";

export type ValueType =
  | { readonly kind: "unknown" }
  | { readonly kind: "never" }
  | { readonly kind: "primitive"; readonly name: "string" | "number" | "boolean" | "null" }
  | { readonly kind: "literal"; readonly value: string | number | boolean | null }
  | { readonly kind: "array"; readonly items: ValueType }
  | { readonly kind: "union"; readonly types: readonly ValueType[] }
  | ObjectType;

export interface ObjectType {
  readonly kind: "object";
  readonly properties: ReadonlyMap<string, ValueType>;
  /**
   * Keys beyond `properties`: undefined when the object is closed, else the type of their values.
   * `unstated` (schemas only): the schema says nothing, values.yaml decides.
   */
  readonly additional?: ValueType | "unstated";
}

/**
 * A values path of a chart whose map takes free keys although it has defaults, with the reason. With
 * `undeclared`, the path is a key the chart's templates read although its values.yaml does not declare
 * it: the key is added (as a map of free keys) instead of opened.
 */
export interface FreeFormPath {
  readonly chart: string;
  /** Keys from the values root, e.g. ["configs", "cm"]. */
  readonly path: readonly string[];
  readonly reason: string;
  /** The template that reads the key, e.g. "templates/post-job.yaml" (required with `undeclared`). */
  readonly undeclared?: string;
}

export interface ChartValuesResult {
  readonly type: ValueType;
  /** Things the generator could not honour (a free-form path the chart does not have, an unreadable file). */
  readonly notes: readonly string[];
}

const UNKNOWN: ValueType = { kind: "unknown" };
const OPEN_MAP: ObjectType = { kind: "object", properties: new Map(), additional: UNKNOWN };
/** The key under which Istio's charts keep their defaults; its keys are the chart's top-level keys. */
export const ISTIO_DEFAULTS_KEY = "_internal_defaults_do_not_set";

/** The values type of a chart, with its subcharts, and its free-form paths opened. */
export function chartValuesType(chart: ChartSource, freeForm: readonly FreeFormPath[] = []): ChartValuesResult {
  const notes: string[] = [];
  let type = ownValuesType(chart, notes, chart.name);
  for (const entry of freeForm.filter((f) => f.chart === chart.name)) {
    if (entry.undeclared !== undefined) {
      const added = addUndeclared(type, entry.path);
      if (added) type = added;
      else notes.push(`${chart.name}: ${entry.path.join(".")} is declared by the chart's values (or its parent is not an object): drop the undeclared entry`);
      continue;
    }
    const opened = openPath(type, entry.path);
    if (opened) type = opened;
    else notes.push(`${chart.name}: free-form path ${entry.path.join(".")} is not in the chart's values`);
  }
  return { type, notes };
}

function ownValuesType(chart: ChartSource, notes: string[], where: string): ValueType {
  let inferred: ValueType = { kind: "object", properties: new Map() };
  if (chart.valuesYaml !== undefined) {
    try {
      const defaults = parseYaml(chart.valuesYaml, { merge: true, maxAliasCount: -1 }) as unknown;
      if (defaults !== null && defaults !== undefined) inferred = inferType(defaults, true);
      if (inferred.kind === "object") {
        for (const keys of commentedKeys(chart.valuesYaml)) inferred = addKey(inferred, keys);
      }
    } catch (error) {
      notes.push(`${where}: values.yaml is not valid YAML (${(error as Error).message.split("\n")[0]})`);
    }
  }
  let type: ValueType = inferred;
  if (chart.valuesSchema !== undefined) {
    try {
      const schema = JSON.parse(chart.valuesSchema) as unknown;
      type = withDefaults(schemaType(schema, schema, new Set()), inferred);
    } catch (error) {
      notes.push(`${where}: values.schema.json is not valid JSON (${(error as Error).message})`);
    }
  }
  if (type.kind !== "object") type = inferred.kind === "object" ? inferred : { kind: "object", properties: new Map() };
  type = hoistIstioDefaults(type as ObjectType);
  return withSubcharts(type as ObjectType, chart, notes, where);
}

// ---------------------------------------------------------------------------------------------------
// values.yaml

/** The type of a default value. `top` objects are closed even when empty (the values root). */
export function inferType(value: unknown, top = false): ValueType {
  if (value === null || value === undefined) return UNKNOWN;
  // An empty string is a placeholder: charts read it as a string or a number (`minAvailable: ""`).
  if (value === "") return union([{ kind: "primitive", name: "string" }, { kind: "primitive", name: "number" }]);
  if (typeof value === "string") return { kind: "primitive", name: "string" };
  if (typeof value === "number" || typeof value === "bigint") return { kind: "primitive", name: "number" };
  if (typeof value === "boolean") return { kind: "primitive", name: "boolean" };
  if (value instanceof Date) return { kind: "primitive", name: "string" };
  if (Array.isArray(value)) {
    if (value.length === 0) return { kind: "array", items: UNKNOWN };
    return { kind: "array", items: union(value.map((item) => openObjects(inferType(item)))) };
  }
  if (typeof value === "object") {
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
    if (entries.length === 0 && !top) return OPEN_MAP;
    return { kind: "object", properties: new Map(entries.map(([k, v]) => [String(k), FREE_BY_NAME.test(String(k)) ? openDeep(inferType(v)) : inferType(v)])) };
  }
  return UNKNOWN;
}

/**
 * Keys whose default, even when not empty, is an example of a Kubernetes map or object rather than its
 * list of keys: labels, annotations, node selectors, resources (any requests and limits), security
 * contexts, affinity. Their objects are open at every depth.
 */
export const FREE_BY_NAME = /^(?:annotations|labels|nodeSelector|resources|affinity|securityContext|env|extraEnv|.*(?:Annotations|Labels|NodeSelector|SecurityContext|Resources|Affinity))$/;

/** A list item's object type, opened: defaults in a list are examples. */
function openObjects(type: ValueType): ValueType {
  return type.kind === "object" && type.additional === undefined ? { ...type, additional: UNKNOWN } : type;
}

// ---------------------------------------------------------------------------------------------------
// values.schema.json

type Schema = Record<string, unknown>;

/** The type a JSON Schema (draft-07 or 2020-12, the subset charts use) describes. */
export function schemaType(node: unknown, root: unknown, seen: ReadonlySet<string>): ValueType {
  if (node === true || node === undefined) return UNKNOWN;
  if (node === false) return { kind: "never" };
  if (typeof node !== "object" || node === null) return UNKNOWN;
  const s = node as Schema;
  const parts: ValueType[] = [];
  if (typeof s.$ref === "string") {
    if (seen.has(s.$ref)) return UNKNOWN; // a recursive definition: stop at the loop
    const target = resolvePointer(root, s.$ref);
    const refType = target === undefined ? UNKNOWN : schemaType(target, root, new Set([...seen, s.$ref]));
    const rest = { ...s };
    delete rest.$ref;
    if (!hasTypeKeywords(rest)) return refType;
    parts.push(refType);
  }
  if (Array.isArray(s.enum)) return union(s.enum.map(literalOf));
  if ("const" in s) return literalOf(s.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    if (Array.isArray(s[key])) {
      const base = { ...s };
      delete base[key];
      const options = (s[key] as unknown[]).map((option) => schemaType(mergeSchemas(base, option), root, seen));
      return union(options);
    }
  }
  if (Array.isArray(s.allOf)) {
    const base = { ...s };
    delete base.allOf;
    const all = [base, ...(s.allOf as unknown[])].map((part) => schemaType(part, root, seen));
    return all.reduce((a, b) => intersect(a, b));
  }
  const types = Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === "string" ? [s.type] : inferredSchemaTypes(s);
  if (types.length === 0) return parts.length ? parts[0] : UNKNOWN;
  const own = union(types.map((t) => schemaOfType(t, s, root, seen)));
  return parts.length ? intersect(parts[0], own) : own;
}

function hasTypeKeywords(s: Schema): boolean {
  return ["type", "properties", "additionalProperties", "items", "enum", "const", "anyOf", "oneOf", "allOf"].some((k) => k in s);
}

/** A schema without `type` that lists properties or items is an object or an array. */
function inferredSchemaTypes(s: Schema): string[] {
  if ("properties" in s || "additionalProperties" in s || "patternProperties" in s) return ["object"];
  if ("items" in s) return ["array"];
  return [];
}

function schemaOfType(name: string, s: Schema, root: unknown, seen: ReadonlySet<string>): ValueType {
  switch (name) {
    case "string":
      return { kind: "primitive", name: "string" };
    case "number":
    case "integer":
      return { kind: "primitive", name: "number" };
    case "boolean":
      return { kind: "primitive", name: "boolean" };
    case "null":
      return { kind: "primitive", name: "null" };
    case "array":
      return { kind: "array", items: Array.isArray(s.items) ? UNKNOWN : schemaType(s.items, root, seen) };
    case "object": {
      const props = (typeof s.properties === "object" && s.properties !== null ? s.properties : {}) as Record<string, unknown>;
      const properties = new Map(Object.entries(props).map(([k, v]) => [k, schemaType(v, root, seen)]));
      let additional: ValueType | "unstated" | undefined;
      if (s.additionalProperties === false) additional = s.patternProperties ? UNKNOWN : undefined;
      else if (s.additionalProperties === true || s.patternProperties) additional = UNKNOWN;
      else if (typeof s.additionalProperties === "object") additional = schemaType(s.additionalProperties, root, seen);
      else additional = "unstated";
      return { kind: "object", properties, additional };
    }
    default:
      return UNKNOWN;
  }
}

function literalOf(value: unknown): ValueType {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return { kind: "literal", value };
  return UNKNOWN;
}

function mergeSchemas(base: Schema, option: unknown): unknown {
  if (typeof option !== "object" || option === null) return option;
  const { anyOf: _a, oneOf: _o, ...rest } = base;
  return { ...rest, ...(option as Schema) };
}

/** `#/a/b` in `root`; `~1` and `~0` unescaped. Only local references: others are unknown. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (!ref.startsWith("#")) return undefined;
  let node = root;
  for (const raw of ref.slice(1).split("/").filter(Boolean)) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A schema's type with what it leaves unsaid filled from the defaults' inferred type. */
export function withDefaults(schema: ValueType, inferred: ValueType): ValueType {
  if (schema.kind === "unknown") return inferred;
  if (schema.kind === "union") {
    // Fill the object member (e.g. `object | null`) and keep the rest.
    return union(schema.types.map((t) => (t.kind === "object" ? withDefaults(t, inferred) : t)));
  }
  if (schema.kind === "array" && inferred.kind === "array") return { kind: "array", items: withDefaults(schema.items, inferred.items) };
  if (schema.kind !== "object") return schema;
  const inferredObject = inferred.kind === "object" ? inferred : undefined;
  const properties = new Map<string, ValueType>();
  for (const [key, type] of schema.properties) {
    const fromDefaults = inferredObject?.properties.get(key);
    properties.set(key, fromDefaults ? withDefaults(type, fromDefaults) : finish(type));
  }
  let additional = schema.additional;
  if (additional === "unstated") {
    if (inferredObject) {
      for (const [key, type] of inferredObject.properties) if (!properties.has(key)) properties.set(key, type);
      additional = inferredObject.additional === "unstated" ? UNKNOWN : inferredObject.additional;
    } else {
      additional = UNKNOWN;
    }
  }
  return { kind: "object", properties, additional };
}

/** A schema type with no defaults beside it: an object whose schema is silent about other keys is open. */
function finish(type: ValueType): ValueType {
  return withDefaults(type, UNKNOWN);
}

// ---------------------------------------------------------------------------------------------------
// Combining types

export function union(types: readonly ValueType[]): ValueType {
  const flat: ValueType[] = [];
  for (const type of types) {
    for (const t of type.kind === "union" ? type.types : [type]) {
      if (t.kind === "never") continue;
      if (t.kind === "unknown") return UNKNOWN;
      const same = flat.findIndex((f) => sameShape(f, t));
      if (same < 0) flat.push(t);
      else if (t.kind === "object" && flat[same].kind === "object") flat[same] = mergeObjects(flat[same] as ObjectType, t);
      else if (t.kind === "array" && flat[same].kind === "array") flat[same] = { kind: "array", items: union([(flat[same] as { items: ValueType }).items, t.items]) };
    }
  }
  if (flat.length === 0) return { kind: "never" };
  return flat.length === 1 ? flat[0] : { kind: "union", types: flat };
}

/** Types a union merges into one member: objects with objects, arrays with arrays, equal primitives. */
function sameShape(a: ValueType, b: ValueType): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "primitive") return a.name === (b as typeof a).name;
  if (a.kind === "literal") return a.value === (b as typeof a).value;
  return a.kind === "object" || a.kind === "array";
}

/** Two object shapes as one: every key of either; open if either is. */
export function mergeObjects(a: ObjectType, b: ObjectType): ObjectType {
  const properties = new Map(a.properties);
  for (const [key, type] of b.properties) properties.set(key, properties.has(key) ? mergeTypes(properties.get(key)!, type) : type);
  const additional = a.additional === undefined ? b.additional : b.additional === undefined ? a.additional : union([asType(a.additional), asType(b.additional)]);
  return { kind: "object", properties, additional };
}

function asType(t: ValueType | "unstated"): ValueType {
  return t === "unstated" ? UNKNOWN : t;
}

/** A key's type declared in two places (a parent's values and its subchart's): objects merge, else the first wins. */
function mergeTypes(a: ValueType, b: ValueType): ValueType {
  if (a.kind === "object" && b.kind === "object") return mergeObjects(a, b);
  if (a.kind === "unknown") return b;
  return a;
}

function intersect(a: ValueType, b: ValueType): ValueType {
  if (a.kind === "unknown") return b;
  if (b.kind === "unknown") return a;
  if (a.kind === "object" && b.kind === "object") {
    const merged = mergeObjects(a, b);
    // allOf: a part silent about other keys leaves them to the defaults (values.yaml).
    const additional = a.additional === "unstated" || b.additional === "unstated" ? "unstated" : merged.additional;
    return { ...merged, additional };
  }
  return a;
}

// ---------------------------------------------------------------------------------------------------
// Istio defaults, subcharts, free-form paths

/** Istio keeps every default under `_internal_defaults_do_not_set`; each of its keys is a top-level key. */
function hoistIstioDefaults(type: ObjectType): ObjectType {
  const defaults = type.properties.get(ISTIO_DEFAULTS_KEY);
  if (!defaults || defaults.kind !== "object") return type;
  const top = new Map(type.properties);
  top.delete(ISTIO_DEFAULTS_KEY);
  const merged = mergeObjects({ ...defaults, additional: undefined }, { kind: "object", properties: top });
  const properties = new Map(merged.properties);
  properties.set(ISTIO_DEFAULTS_KEY, defaults);
  return { kind: "object", properties, additional: type.additional === "unstated" ? undefined : type.additional };
}

/**
 * Subcharts' values under their alias or name, merged with what the parent sets there; `global` shared;
 * each dependency's condition (`redis-ha.enabled`) a boolean; tags under `tags`.
 */
function withSubcharts(type: ObjectType, chart: ChartSource, notes: string[], where: string): ObjectType {
  let result: ObjectType = { ...type, additional: type.additional === "unstated" ? UNKNOWN : type.additional };
  const byName = new Map(chart.subcharts.map((s) => [s.name, s]));
  const declared: readonly ChartDependency[] = chart.dependencies.length ? chart.dependencies : chart.subcharts.map((s) => ({ name: s.name }));
  const tags = new Set<string>();
  for (const dep of declared) {
    const key = dep.alias ?? dep.name;
    const sub = byName.get(dep.name);
    if (sub) {
      const subType = ownValuesType(sub, notes, `${where} > ${key}`) as ObjectType;
      const own = result.properties.get(key);
      const merged = own?.kind === "object" ? mergeObjects(closeUnstated(own), subType) : subType;
      const properties = new Map(result.properties);
      properties.set(key, merged);
      const subGlobal = subType.properties.get("global");
      const parentGlobal = properties.get("global");
      if (subGlobal?.kind === "object") properties.set("global", parentGlobal?.kind === "object" ? mergeObjects(parentGlobal, subGlobal) : subGlobal);
      result = { ...result, properties };
    } else if (!result.properties.has(key)) {
      notes.push(`${where}: dependency ${dep.name} is not vendored under charts/; its values are untyped`);
      result = { ...result, properties: new Map([...result.properties, [key, OPEN_MAP]]) };
    }
    for (const condition of (dep.condition ?? "").split(",").map((c) => c.trim()).filter(Boolean)) {
      result = ensurePath(result, condition.split("."), { kind: "primitive", name: "boolean" });
    }
    for (const tag of dep.tags ?? []) tags.add(tag);
  }
  if (tags.size) {
    const tagType: ObjectType = { kind: "object", properties: new Map([...tags].sort().map((t) => [t, { kind: "primitive", name: "boolean" } as ValueType])) };
    const own = result.properties.get("tags");
    result = { ...result, properties: new Map([...result.properties, ["tags", own?.kind === "object" ? mergeObjects(own, tagType) : tagType]]) };
  }
  return result;
}

function closeUnstated(type: ObjectType): ObjectType {
  return type.additional === "unstated" ? { ...type, additional: undefined } : type;
}

/** A key documented only as a comment, added as `unknown` to the closed object that holds it (nothing else is touched). */
function addKey(type: ObjectType, keys: readonly string[]): ObjectType {
  const [head, ...rest] = keys;
  const current = type.properties.get(head);
  if (rest.length === 0) {
    return current !== undefined || type.additional !== undefined ? type : { ...type, properties: new Map([...type.properties, [head, UNKNOWN]]) };
  }
  if (current?.kind !== "object") return type;
  return { ...type, properties: new Map([...type.properties, [head, addKey(current, rest)]]) };
}

/** `type` with a map of free keys added at `path`, whose parent object must exist; undefined when the key is there already. */
function addUndeclared(type: ValueType, keys: readonly string[]): ValueType | undefined {
  if (type.kind !== "object") return undefined;
  const [head, ...rest] = keys;
  if (head === undefined) return undefined;
  const current = type.properties.get(head);
  if (rest.length === 0) return current === undefined ? { ...type, properties: new Map([...type.properties, [head, OPEN_MAP]]) } : undefined;
  if (current === undefined) return undefined;
  const inner = addUndeclared(current, rest);
  return inner && { ...type, properties: new Map([...type.properties, [head, inner]]) };
}

/** `type` with a key at `path` (objects created on the way) unless one is there already. */
function ensurePath(type: ObjectType, keys: readonly string[], leaf: ValueType): ObjectType {
  const [head, ...rest] = keys;
  const current = type.properties.get(head);
  let next: ValueType;
  if (rest.length === 0) next = current ?? leaf;
  else if (current === undefined) next = ensurePath({ kind: "object", properties: new Map() }, rest, leaf);
  else if (current.kind === "object") next = ensurePath(current, rest, leaf);
  else return type;
  return { ...type, properties: new Map([...type.properties, [head, next]]) };
}

/** `type` with the object at `path` opened to free keys (its known keys kept); undefined if there is no object there. */
export function openPath(type: ValueType, keys: readonly string[]): ValueType | undefined {
  if (type.kind === "union") {
    let found = false;
    const types = type.types.map((t) => {
      const opened = openPath(t, keys);
      if (opened) found = true;
      return opened ?? t;
    });
    return found ? { kind: "union", types } : undefined;
  }
  if (type.kind !== "object") return undefined;
  if (keys.length === 0) return openDeep(type);
  const [head, ...rest] = keys;
  const child = type.properties.get(head);
  if (child === undefined) return undefined;
  const opened = openPath(child, rest);
  return opened ? { ...type, properties: new Map([...type.properties, [head, opened]]) } : undefined;
}

/** Every object in `type`, at any depth, open to free keys (known keys kept, for the editor). */
export function openDeep(type: ValueType): ValueType {
  switch (type.kind) {
    case "object":
      return { kind: "object", properties: new Map([...type.properties].map(([k, v]) => [k, openDeep(v)])), additional: UNKNOWN };
    case "array":
      return { kind: "array", items: openDeep(type.items) };
    case "union":
      return { kind: "union", types: type.types.map(openDeep) };
    default:
      return type;
  }
}

// ---------------------------------------------------------------------------------------------------
// TypeScript text

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The TypeScript text of a type; every key optional. */
export function printType(type: ValueType, indent = ""): string {
  switch (type.kind) {
    case "unknown":
      return "unknown";
    case "never":
      return "never";
    case "primitive":
      return type.name;
    case "literal":
      return JSON.stringify(type.value);
    case "array": {
      const items = printType(type.items, indent);
      return type.items.kind === "union" ? `(${items})[]` : `${items}[]`;
    }
    case "union":
      return type.types.map((t) => printType(t, indent)).join(" | ");
    case "object": {
      const additional = type.additional === "unstated" ? UNKNOWN : type.additional;
      // Free keys of any type are `any`, not `unknown`: an interface-typed value (no index signature of its own) fits only `any`.
      const free = (t: ValueType) => (t.kind === "unknown" ? "any" : printType(t, indent));
      if (type.properties.size === 0) return additional ? `{ [key: string]: ${free(additional)} }` : "{}";
      const inner = `${indent}  `;
      // Every key optional (values override defaults) and nullable (Helm deletes a default set to null).
      const lines = [...type.properties].map(([key, value]) => `${inner}${IDENTIFIER.test(key) ? key : JSON.stringify(key)}?: ${nullable(printType(value, inner))};`);
      // Known keys must fit the index signature, so free keys beside them are `any`.
      if (additional) lines.push(`${inner}[key: string]: any;`);
      return `{\n${lines.join("\n")}\n${indent}}`;
    }
  }
}

function nullable(text: string): string {
  return text === "unknown" || /(^| )null( |$)/.test(text) ? text : `${text} | null`;
}

/** A TypeScript identifier for a chart's values type: argo-cd → ArgoCdChartValues. */
export function typeNameOf(chart: string): string {
  const words = chart.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
  return `${/^[0-9]/.test(name) ? "_" : ""}${name}ChartValues`;
}

/** The first line of every generated declaration: marks the files `gitops charts types` may replace. */
export const GENERATED_HEADER = "// Generated by `gitops charts types` from the chart itself; do not edit (rerun the command).";

/**
 * A declaration file adding a chart's values type to the ChartValuesRegistry of `registryModule` (the
 * import specifier of tools/model/chart-values.ts, relative to the declaration file).
 */
export function chartDeclaration(chart: string, version: string, type: ValueType, registryModule: string): string {
  const name = typeNameOf(chart);
  return [
    GENERATED_HEADER,
    `// ${chart} ${version}`,
    `import type {} from ${JSON.stringify(registryModule)};`,
    "",
    `type ${name} = ${printType(type)};`,
    "",
    `declare module ${JSON.stringify(registryModule)} {`,
    "  interface ChartValuesRegistry {",
    `    ${JSON.stringify(chart)}: ${name};`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/**
 * Where `values` does not fit `type`, at run time: keys a closed object does not have, and scalars of
 * another type. The compiler sees only object literals written in place; values assembled with spreads
 * or helpers reach the chart unchecked, so tests run this over every component's chart values too.
 */
export function valuesTypeProblems(values: unknown, type: ValueType, path: readonly string[] = []): string[] {
  if (values === null || values === undefined) return [];
  const at = path.length ? path.join(".") : "(root)";
  switch (type.kind) {
    case "unknown":
      return [];
    case "never":
      return [`${at}: no value is allowed`];
    case "union": {
      const each = type.types.map((t) => valuesTypeProblems(values, t, path));
      return each.some((p) => p.length === 0) ? [] : each.reduce((best, p) => (p.length < best.length ? p : best));
    }
    case "literal":
      return values === type.value ? [] : [`${at}: ${JSON.stringify(values)} is not ${JSON.stringify(type.value)}`];
    case "primitive":
      return typeof values === type.name ? [] : [`${at}: ${Array.isArray(values) ? "a list" : typeof values} where the chart takes a ${type.name}`];
    case "array":
      return Array.isArray(values) ? values.flatMap((v, i) => valuesTypeProblems(v, type.items, [...path, String(i)])) : [`${at}: ${typeof values} where the chart takes a list`];
    case "object": {
      if (typeof values !== "object" || Array.isArray(values)) return [`${at}: ${Array.isArray(values) ? "a list" : typeof values} where the chart takes a map`];
      const problems: string[] = [];
      for (const [key, value] of Object.entries(values)) {
        const known = type.properties.get(key);
        if (known) problems.push(...valuesTypeProblems(value, known, [...path, key]));
        else if (type.additional === undefined) problems.push(`${[...path, key].join(".")}: no such key in the chart's values`);
        else if (type.additional !== "unstated") problems.push(...valuesTypeProblems(value, type.additional, [...path, key]));
      }
      return problems;
    }
  }
}
