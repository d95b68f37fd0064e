/**
 * An evaluator of Kyverno's validate patterns and match/exclude blocks, written from Kyverno's
 * documented semantics (and its engine's behaviour, pkg/engine/validate), so that the rules' offline
 * checks can be compared with the ClusterPolicies generated from them without a cluster.
 *
 * Supported: maps (every pattern key must hold), arrays (a map pattern applies to each element, a
 * scalar pattern to each value), scalars with wildcards `*` and `?`, operators `!`, `>`, `>=`, `<`, `<=`
 * (quantities compared as numbers), alternatives `|` and conjunctions `&`; anchors `(key)` conditional,
 * `<(key)` global, `^(key)` existence, `=(key)` equality and `X(key)` negation; `pattern` and `anyPattern`.
 * Not supported: variables (`{{ }}`), range operators (`1-10`), deny/foreach/CEL rules.
 */

import { UnsupportedError, conditionsHold, jmespath, parseDuration, substitute } from "./kyverno-conditions.ts";

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a pattern did not hold; conditional and global anchors make a rule skip rather than fail. */
interface PatternError {
  readonly kind: "fail" | "negation" | "conditional" | "global";
  readonly path: string;
  readonly message: string;
}

const isSkip = (e: PatternError) => e.kind === "conditional" || e.kind === "global";

export type PatternOutcome =
  | { readonly status: "pass" }
  | { readonly status: "fail"; readonly path: string; readonly message: string }
  | { readonly status: "skip"; readonly message: string };

/** The resource being matched, for `$(path)` references. */
let matchRoot: Json = null;

/** Kyverno's MatchPattern: the whole resource against one pattern. */
export function matchPattern(resource: Json, pattern: Json): PatternOutcome {
  const previous = matchRoot;
  matchRoot = resource;
  let error: PatternError | undefined;
  try {
    error = validateElement(resource, pattern, "/");
  } finally {
    matchRoot = previous;
  }
  if (!error) return { status: "pass" };
  if (isSkip(error)) return { status: "skip", message: error.message };
  return { status: "fail", path: error.path, message: error.message };
}

type AnchorKind = "conditional" | "global" | "existence" | "equality" | "negation" | "add";

interface Anchor {
  readonly kind: AnchorKind;
  readonly key: string;
}

const ANCHOR_PREFIX: Record<string, AnchorKind> = {
  "": "conditional",
  "<": "global",
  "^": "existence",
  "=": "equality",
  X: "negation",
  "+": "add",
};

export function parseAnchor(key: string): Anchor | undefined {
  const m = /^([<^=X+]?)\((.+)\)$/.exec(key);
  return m ? { kind: ANCHOR_PREFIX[m[1]], key: m[2] } : undefined;
}

function hasNestedAnchors(pattern: Json): boolean {
  if (isObj(pattern)) return Object.entries(pattern).some(([k, v]) => isValidationAnchor(k) || hasNestedAnchors(v));
  if (Array.isArray(pattern)) return pattern.some(hasNestedAnchors);
  return false;
}

function isValidationAnchor(key: string): boolean {
  const anchor = parseAnchor(key);
  return anchor !== undefined && anchor.kind !== "add";
}

function validateElement(resource: Json, pattern: Json, path: string): PatternError | undefined {
  if (isObj(pattern)) {
    if (!isObj(resource))
      return fail(path, `pattern and resource have different structures at ${path}: expected a map`);
    return validateMap(resource, pattern, path);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource))
      return fail(
        path,
        `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`,
      );
    return validateArray(resource, pattern, path);
  }
  if (isScalar(pattern)) {
    if (typeof pattern === "string" && pattern.includes("$(")) pattern = resolveReferences(pattern, path);
    const values = Array.isArray(resource) ? resource : [resource];
    for (const value of values) {
      if (!valueMatches(value, pattern))
        return fail(path, `resource value '${show(resource)}' does not match '${show(pattern)}' at path ${path}`);
    }
    return undefined;
  }
  return fail(path, `failed at '${path}', pattern contains unknown type`);
}

function validateMap(resource: Obj, given: Obj, path: string): PatternError | undefined {
  const pattern = expandMetadataWildcards(given, resource);
  const anchors: [Anchor, Json][] = [];
  const plain: [string, Json][] = [];
  // Kyverno evaluates anchors in the order of their sorted keys: `(name)` filters before `=(image)`.
  for (const [key, value] of Object.entries(pattern).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const anchor = parseAnchor(key);
    if (anchor && anchor.kind !== "add") anchors.push([anchor, value]);
    else plain.push([key, value]);
  }
  // Phase 1: anchors decide whether (and how) the rest applies.
  for (const [anchor, value] of anchors) {
    const error = handleAnchor(anchor, value, resource, path);
    if (error) return error;
  }
  // Phase 2: plain keys, those holding anchors first (Kyverno pushes them to the front of a sorted list).
  const ordered: [string, Json][] = [];
  for (const entry of plain.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (hasNestedAnchors(entry[1])) ordered.unshift(entry);
    else ordered.push(entry);
  }
  for (const [key, value] of ordered) {
    const current = `${path}${key}/`;
    if (value === "*") {
      if (resource[key] === undefined || resource[key] === null) return fail(path, `${path}/${key} not found`);
      continue;
    }
    const error = validateElement(resource[key] ?? null, value, current);
    if (error) return error;
  }
  return undefined;
}

/**
 * Kyverno's wildcards in label and annotation keys (`metadata.labels["app.kubernetes.io/*"]`): a key
 * with `*` or `?` (anchored or not) becomes the first matching key of the resource's map, and only
 * string values are kept, as Kyverno's ExpandInMetadata does.
 */
function expandMetadataWildcards(pattern: Obj, resource: Obj): Obj {
  const metadataKey = Object.keys(pattern).find((k) => k === "metadata" || parseAnchor(k)?.key === "metadata");
  if (metadataKey === undefined || !isObj(pattern[metadataKey]) || !isObj(resource.metadata)) return pattern;
  const metadata: Obj = { ...(pattern[metadataKey] as Obj) };
  const resourceMetadata = resource.metadata;
  let changed = false;
  for (const tag of ["labels", "annotations"]) {
    const tagKey = Object.keys(metadata).find((k) => k === tag || parseAnchor(k)?.key === tag);
    const resourceTagKey = Object.keys(resourceMetadata).find((k) => k === tag);
    if (tagKey === undefined || !isObj(metadata[tagKey]) || resourceTagKey === undefined || !isObj(resourceMetadata[resourceTagKey])) continue;
    const resourceKeys = Object.keys(resourceMetadata[resourceTagKey] as Obj).sort();
    const expanded: Obj = {};
    for (const [key, value] of Object.entries(metadata[tagKey] as Obj)) {
      if (typeof value !== "string") continue;
      const anchor = parseAnchor(key);
      const bare = anchor ? anchor.key : key;
      if (!/[*?]/.test(bare)) {
        expanded[key] = value;
        continue;
      }
      const found = resourceKeys.find((k) => wildcardMatch(bare, k)) ?? bare;
      expanded[anchor ? key.slice(0, key.length - bare.length - 2) + `(${found})` : found] = value;
    }
    metadata[tagKey] = expanded;
    changed = true;
  }
  return changed ? { ...pattern, [metadataKey]: metadata } : pattern;
}

function handleAnchor(anchor: Anchor, pattern: Json, resource: Obj, path: string): PatternError | undefined {
  const current = `${path}${anchor.key}/`;
  const present = Object.hasOwn(resource, anchor.key);
  const value = present ? (resource[anchor.key] ?? null) : undefined;
  switch (anchor.kind) {
    case "negation":
      return present
        ? { kind: "negation", path: current, message: `negation anchor matched in resource: ${current} is not allowed` }
        : undefined;
    case "equality":
      return present ? validateElement(value, pattern, current) : undefined;
    case "conditional": {
      if (!present)
        return {
          kind: "conditional",
          path: current,
          message: "conditional anchor mismatch: conditional anchor key doesn't exist in the resource",
        };
      const error = validateElement(value, pattern, current);
      return (
        error && { kind: "conditional", path: error.path, message: `conditional anchor mismatch: ${error.message}` }
      );
    }
    case "global": {
      if (!present) return undefined;
      const error = validateElement(value, pattern, current);
      return error && { kind: "global", path: error.path, message: `global anchor mismatch: ${error.message}` };
    }
    case "existence": {
      if (!present) return undefined;
      if (!Array.isArray(value))
        return fail(
          current,
          `invalid resource type: Existence ^ () anchor can be used only on list/array type resource`,
        );
      if (!Array.isArray(pattern))
        return fail(current, "invalid pattern type: Pattern has to be of list to compare against resource");
      for (const element of pattern) {
        if (!isObj(element))
          return fail(
            current,
            "invalid pattern type: Pattern has to be of type map to compare against items in resource",
          );
        if (!value.some((item, i) => validateElement(item, element, `${current}${i}/`) === undefined)) {
          return fail(current, `existence anchor validation failed at path ${current}`);
        }
      }
      return undefined;
    }
    case "add":
      return undefined;
  }
}

function validateArray(resource: Json[], pattern: Json[], path: string): PatternError | undefined {
  if (pattern.length === 0) return fail(path, "pattern Array empty");
  const first = pattern[0];
  if (isObj(first)) return validateArrayOfMaps(resource, first, path);
  if (isScalar(first)) return validateElement(resource, first, path);
  if (resource.length < pattern.length) {
    return fail(
      "",
      `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`,
    );
  }
  let applied = 0;
  const skipped: PatternError[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const error = validateElement(resource[i], pattern[i], `${path}${i}/`);
    if (error && isSkip(error)) skipped.push(error);
    else if (error) return error;
    else applied++;
  }
  return applied === 0 && skipped.length > 0 ? { ...skipped[0], path } : undefined;
}

/** A map pattern in a list applies to every element; elements its conditional anchors exclude are skipped. */
function validateArrayOfMaps(resource: Json[], pattern: Obj, path: string): PatternError | undefined {
  let applied = 0;
  const skipped: PatternError[] = [];
  for (let i = 0; i < resource.length; i++) {
    const error = validateElement(resource[i], pattern, `${path}${i}/`);
    if (error && isSkip(error)) skipped.push(error);
    else if (error) return error;
    else applied++;
  }
  return applied === 0 && skipped.length > 0 ? { ...skipped[0], path } : undefined;
}

/**
 * `$(./../../limits/memory)`, `$(<=../limits/memory)`, `$(/metadata/name)`: the resource's value at a
 * path relative to the referencing key (`.` is the key itself) or absolute, with an optional operator.
 */
function resolveReferences(pattern: string, path: string): string {
  return pattern.replace(/\$\((>=|<=|>|<|!)?([^)]*)\)/g, (_, op: string | undefined, ref: string) => {
    const parts = ref.startsWith("/") ? [] : path.split("/").filter(Boolean);
    for (const part of ref.split("/")) {
      if (part === "" || part === ".") continue;
      if (part === "..") parts.pop();
      else parts.push(parseAnchor(part)?.key ?? part);
    }
    let value: Json = matchRoot;
    for (const part of parts) value = isObj(value) ? value[part] : Array.isArray(value) ? value[Number(part)] : undefined;
    if (value === undefined) throw new UnsupportedError(`reference $(${ref}) resolves to nothing`);
    return `${op ?? ""}${typeof value === "string" ? value : JSON.stringify(value)}`;
  });
}

function fail(path: string, message: string): PatternError {
  return { kind: "fail", path, message };
}

function isScalar(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Kyverno's ValidateValueWithPattern: one resource value against one scalar (or map) pattern. */
export function valueMatches(value: Json, pattern: Json): boolean {
  if (typeof pattern === "boolean") return typeof value === "boolean" && value === pattern;
  if (typeof pattern === "number") {
    if (typeof value === "number") return value === pattern;
    if (typeof value === "string") {
      const parsed = Number.isInteger(pattern) ? parseGoInt(value) : parseGoFloat(value);
      return parsed !== undefined && parsed === pattern;
    }
    return false;
  }
  if (pattern === null) {
    if (value === null || value === undefined) return true;
    if (typeof value === "number") return value === 0;
    if (typeof value === "string") return value === "";
    if (typeof value === "boolean") return !value;
    return false;
  }
  if (isObj(pattern)) return isObj(value);
  if (typeof pattern === "string") return stringPatternMatches(value, pattern);
  return false;
}

function parseGoInt(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

function parseGoFloat(text: string): number | undefined {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
}

/**
 * A string pattern as Kyverno reads it: a value equal to the whole pattern matches; otherwise
 * alternatives split on `|`, each a conjunction split on `&`, spaces trimmed.
 */
export function stringPatternMatches(value: Json, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split("|").some((alternative) =>
    trimSpaces(alternative)
      .split("&")
      .every((condition) => singleConditionMatches(value, trimSpaces(condition))),
  );
}

function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, "");
}

type Operator = "" | "!" | ">" | ">=" | "<" | "<=" | "range" | "not-range";

const IN_RANGE = /^(\d+(?:\.\d+)?[^-!]*)-(\d+(?:\.\d+)?[^-]*)$/;
const NOT_IN_RANGE = /^(\d+(?:\.\d+)?[^-!]*)!-(\d+(?:\.\d+)?[^-]*)$/;

function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return "";
  for (const op of [">=", "<=", ">", "<", "!"] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return "not-range";
  if (IN_RANGE.test(pattern)) return "range";
  return "";
}

function singleConditionMatches(value: Json, condition: string): boolean {
  const op = operatorOf(condition);
  if (op === "range") {
    const [, low, high] = IN_RANGE.exec(condition)!;
    return singleConditionMatches(value, `>= ${low}`) && singleConditionMatches(value, `<= ${high}`);
  }
  if (op === "not-range") {
    const [, low, high] = NOT_IN_RANGE.exec(condition)!;
    return singleConditionMatches(value, `< ${low}`) || singleConditionMatches(value, `> ${high}`);
  }
  const pattern = condition.slice(op.length).trim();
  // A duration, else a quantity, else a string with wildcards: the first that both sides parse as decides.
  const duration = compareParsed(value, pattern, op, parseDuration);
  if (duration !== undefined) return duration;
  const quantity = compareParsed(value, pattern, op, parseQuantity);
  if (quantity !== undefined) return quantity;
  return stringMatches(value, pattern, op);
}

function compareParsed(value: Json, pattern: string, op: Operator, parse: (text: string) => number | undefined): boolean | undefined {
  const expected = parse(pattern);
  if (expected === undefined) return undefined;
  const text = numberAsString(value);
  if (text === undefined) return undefined;
  const actual = parse(text);
  if (actual === undefined) return undefined;
  switch (op) {
    case "":
      return actual === expected;
    case "!":
      return actual !== expected;
    case ">":
      return actual > expected;
    case ">=":
      return actual >= expected;
    case "<":
      return actual < expected;
    case "<=":
      return actual <= expected;
    default:
      return undefined;
  }
}

/** Kyverno's convertNumberToString: null is "0", integers as written, other numbers with six decimals. */
function numberAsString(value: Json): string | undefined {
  if (value === null || value === undefined) return "0";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function stringMatches(value: Json, pattern: string, op: Operator): boolean {
  if (op !== "" && op !== "!") return false; // >, < … do not apply to strings
  const text = goString(value);
  if (text === undefined) return false;
  const matched = wildcardMatch(pattern, text);
  return op === "!" ? !matched : matched;
}

/** How Kyverno turns a resource value into a string for wildcard matching. */
function goString(value: Json): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (Number.isInteger(value)) return String(value);
    // Go's FormatFloat(v, 'E', -1, 64): 1.5 → "1.5E+00"
    const [mantissa, exponent] = value.toExponential().split("e");
    const sign = exponent.startsWith("-") ? "-" : "+";
    return `${mantissa.toUpperCase()}E${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
  }
  return undefined;
}

const QUANTITY_SUFFIX: Record<string, number> = {
  "": 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity (`100m`, `1.5Gi`, `1e3`) as a number, or undefined if it is not one. */
export function parseQuantity(text: string): number | undefined {
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(text);
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2]) return base * 10 ** Number(m[2].slice(1));
  return base * QUANTITY_SUFFIX[m[3] ?? ""];
}

/** `*` matches any run of characters (also `/`), `?` exactly one; everything else itself. */
export function wildcardMatch(pattern: string, name: string): boolean {
  const p = Array.from(pattern);
  const n = Array.from(name);
  let pi = 0;
  let ni = 0;
  let starP = -1;
  let starN = 0;
  while (ni < n.length) {
    if (pi < p.length && p[pi] === "*") {
      pi++;
      if (pi === p.length) return true;
      starP = pi;
      starN = ni;
      continue;
    }
    if (pi < p.length && (p[pi] === "?" || p[pi] === n[ni])) {
      pi++;
      ni++;
      continue;
    }
    if (starP < 0) return false;
    starN++;
    pi = starP;
    ni = starN;
  }
  return p.slice(pi).every((c) => c === "*");
}

// ---- policies: match, exclude, preconditions, pattern/anyPattern ----

/** `error`: the rule uses something the evaluator cannot decide offline (it never guesses). */
export type RuleStatus = "pass" | "fail" | "skip" | "error";
export type SkipReason = "not-matched" | "excluded" | "precondition" | "pattern" | "filtered" | "exception" | "owned";

export interface RuleEvaluation {
  readonly rule: string;
  readonly status: RuleStatus;
  readonly reason?: SkipReason;
  /** Failing paths: one per pattern (one per anyPattern alternative). */
  readonly paths: readonly string[];
  /** The anyPattern alternative that passed. */
  readonly anyPattern?: number;
  /** Why the rule could not be evaluated (status `error`). */
  readonly message?: string;
}

/** The parts of a cluster's Kyverno setup that decide whether a rule sees an object at all. */
export interface ClusterModel {
  /** `[Kind,Namespace,Name]` entries (wildcards; `Kind/subresource`): matching objects are never checked. */
  readonly resourceFilters?: readonly string[];
  /** Namespaces the webhooks never send (their namespaceSelector). */
  readonly excludedNamespaces?: readonly string[];
  /** PolicyException objects present in the cluster. */
  readonly exceptions?: readonly Json[];
  /** The only namespace Kyverno reads PolicyExceptions from (`*` any); undefined: the feature is off. */
  readonly exceptionNamespace?: string;
}

export interface EvaluateOptions {
  /**
   * Variables a `kyverno test` values file gives a rule (`request.operation`, a context entry's name,
   * `request.object.metadata.name`…): dotted keys set into the rule's context; a context entry they name
   * is not loaded.
   */
  readonly variables?: (rule: string) => Readonly<Record<string, unknown>>;
  /** Labels of namespaces, for `namespaceSelector` in match and exclude. */
  readonly namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The admission operation. @default "CREATE" */
  readonly operation?: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  /** The cluster's Kyverno configuration. @default no filters, no excluded namespaces, no exceptions */
  readonly cluster?: ClusterModel;
  /** Decides a rule's preconditions. @default evaluated with JMESPath over the admission request */
  readonly preconditions?: (conditions: unknown, resource: Json) => boolean;
}

/** Evaluates each validate rule of a ClusterPolicy against a resource as admission would (no variables). */
export function evaluatePolicy(policy: Json, resource: Json, options: EvaluateOptions = {}): RuleEvaluation[] {
  const rules = autogenRules(policy);
  const policyName = isObj(policy) && isObj(policy.metadata) ? String(policy.metadata.name ?? "") : "";
  const filtered = options.cluster && clusterSkips(options.cluster, resource);
  const owned = managedPod(policy, resource);
  return rules.map((rule) => {
    if (filtered) return { rule: isObj(rule) ? String(rule.name) : "", status: "skip", reason: "filtered", paths: [] };
    if (owned) return { rule: isObj(rule) ? String(rule.name) : "", status: "skip", reason: "owned", paths: [] };
    try {
      return evaluateRule(rule, resource, options, policyName);
    } catch (error) {
      // One rule the evaluator cannot decide leaves the others of the policy evaluated.
      if (!(error instanceof UnsupportedError)) throw error;
      return { rule: isObj(rule) ? String(rule.name) : "", status: "error", paths: [], message: error.message };
    }
  });
}

export const AUTOGEN_ANNOTATION = "pod-policies.kyverno.io/autogen-controllers";
const POD_CONTROLLERS = ["DaemonSet", "Deployment", "Job", "StatefulSet", "ReplicaSet", "ReplicationController", "CronJob"];
const CONTROLLERS_BUT_CRONJOB = POD_CONTROLLERS.filter((k) => k !== "CronJob");

/**
 * Kyverno's view of a Pod (or Job) a controller made, when the policy names its autogen controllers: it
 * is skipped if every owner is a ReplicaSet or a kind the annotation lists (its controller was checked).
 */
function managedPod(policy: Json, resource: Json): boolean {
  const annotations = isObj(policy) && isObj(policy.metadata) && isObj(policy.metadata.annotations) ? policy.metadata.annotations : {};
  const controllers = annotations[AUTOGEN_ANNOTATION];
  if (typeof controllers !== "string" || controllers.toLowerCase() === "none") return false;
  const object = isObj(resource) ? resource : {};
  if (object.kind !== "Pod" && object.kind !== "Job") return false;
  const owners = isObj(object.metadata) && Array.isArray(object.metadata.ownerReferences) ? object.metadata.ownerReferences : [];
  return owners.length > 0 && owners.every((o) => isObj(o) && (o.kind === "ReplicaSet" || controllers.includes(String(o.kind))));
}

const kindOf = (spec: string) => spec.split("/").pop()!;
const containsKind = (kinds: readonly string[], kind: string) => kinds.some((k) => kindOf(k) === kind);

function descriptionsOf(block: Json): Obj[] {
  if (!isObj(block)) return [];
  const out: Obj[] = [];
  if (isObj(block.resources)) out.push(block.resources);
  for (const list of [block.any, block.all]) {
    for (const f of Array.isArray(list) ? list : []) if (isObj(f) && isObj(f.resources)) out.push(f.resources);
  }
  return out;
}

const kindsIn = (block: Json): string[] => descriptionsOf(block).flatMap((d) => (Array.isArray(d.kinds) ? d.kinds.map(String) : []));

/**
 * The rules Kyverno applies for a policy: its own, plus the rules it generates for Pod controllers
 * (autogen) when every rule matches Pods by kind only; `autogen-<rule>` for DaemonSet, Deployment,
 * Job, ReplicaSet, ReplicationController and StatefulSet, `autogen-cronjob-<rule>` for CronJob, each
 * with the pattern moved under the pod template and `request.object.spec/metadata` rewritten.
 */
export function autogenRules(policy: Json): Obj[] {
  const rules = (isObj(policy) && isObj(policy.spec) && Array.isArray(policy.spec.rules) ? policy.spec.rules : []).filter(isObj);
  let needed = false;
  for (const rule of rules) {
    if (rule.generate !== undefined) return rules;
    if (isObj(rule.mutate) && (rule.mutate.patchesJson6902 !== undefined || (Array.isArray(rule.mutate.foreach) && rule.mutate.foreach.some((f) => isObj(f) && f.patchesJson6902 !== undefined)))) return rules;
    for (const d of [...descriptionsOf(rule.match), ...descriptionsOf(rule.exclude)]) {
      const kinds = Array.isArray(d.kinds) ? d.kinds.map(String) : [];
      if (d.name || (Array.isArray(d.names) && d.names.length > 0) || d.selector !== undefined || d.annotations !== undefined || (kinds.length > 1 && containsKind(kinds, "Pod"))) return rules;
      needed ||= kinds.some((k) => kindOf(k) === "Pod" || POD_CONTROLLERS.includes(kindOf(k)));
    }
  }
  if (!needed) return rules;
  const annotations = isObj(policy) && isObj(policy.metadata) && isObj(policy.metadata.annotations) ? policy.metadata.annotations : {};
  const controllers = typeof annotations[AUTOGEN_ANNOTATION] === "string" ? (annotations[AUTOGEN_ANNOTATION] as string) : POD_CONTROLLERS.join(",");
  if (controllers === "none") return rules;
  const generated: Obj[] = [];
  for (const rule of rules) {
    const forControllers = controllerRule(rule, controllers.split(",").filter((c) => c !== "CronJob").join(","));
    if (forControllers) generated.push(rewriteRequestPaths(forControllers, "template"));
    if (controllers.includes("CronJob") || controllers.includes("all")) {
      const base = controllerRule(rule, controllers);
      const cron = base && moveRule(autogenName("autogen-cronjob", String(rule.name)), base, "jobTemplate", ["CronJob"], () => true);
      if (cron) generated.push(rewriteRequestPaths(cron, "jobTemplate"));
    }
  }
  if (generated.length === 0) return rules;
  return [...rules.filter((r) => !String(r.name).startsWith("autogen-")), ...generated];
}

function autogenName(prefix: string, name: string): string {
  return `${prefix}-${name}`.slice(0, 63);
}

function controllerRule(rule: Obj, controllers: string): Obj | undefined {
  const name = String(rule.name);
  if (name.startsWith("autogen-") || controllers === "") return undefined;
  const excludeKinds = kindsIn(rule.exclude);
  if (!containsKind(kindsIn(rule.match), "Pod") || (excludeKinds.length > 0 && !containsKind(excludeKinds, "Pod"))) return undefined;
  let kinds = controllers.split(",");
  if (controllers === "all") kinds = CONTROLLERS_BUT_CRONJOB;
  else if (controllers !== "none") {
    const valid = kinds.filter((k) => CONTROLLERS_BUT_CRONJOB.includes(k));
    if (valid.length > 0) kinds = valid;
  }
  return moveRule(autogenName("autogen", name), rule, "template", [...kinds].sort(), (k) => containsKind(k, "Pod"));
}

/** Kyverno's generateRule: the rule renamed, matching `kinds`, its patterns placed under `spec.<key>`. */
function moveRule(name: string, rule: Obj, key: string, kinds: string[], replaces: (kinds: string[]) => boolean): Obj | undefined {
  const copy = structuredClone(rule);
  copy.name = name;
  const retarget = (block: Json, legacyOnlyWhenSet: boolean) => {
    if (!isObj(block)) return;
    for (const list of ["any", "all"]) {
      const filters = block[list];
      if (Array.isArray(filters) && filters.length > 0) {
        for (const f of filters) {
          if (isObj(f) && isObj(f.resources) && replaces(Array.isArray(f.resources.kinds) ? f.resources.kinds.map(String) : [])) f.resources.kinds = [...kinds];
        }
        return;
      }
    }
    if (!isObj(block.resources)) {
      if (!legacyOnlyWhenSet) block.resources = { kinds: [...kinds] };
      return;
    }
    if (!legacyOnlyWhenSet || (Array.isArray(block.resources.kinds) && block.resources.kinds.length > 0)) block.resources.kinds = [...kinds];
  };
  retarget(copy.match, false);
  if (copy.exclude !== undefined) retarget(copy.exclude, true);
  const validate = isObj(copy.validate) ? copy.validate : undefined;
  if (validate) {
    if (validate.pattern !== undefined) copy.validate = { ...keep(validate), pattern: { spec: { [key]: validate.pattern } } };
    else if (Array.isArray(validate.anyPattern)) copy.validate = { ...keep(validate), anyPattern: validate.anyPattern.map((p) => ({ spec: { [key]: p } })) };
    return copy;
  }
  return copy.verifyImages !== undefined || copy.mutate !== undefined ? copy : undefined;
}

function keep(validate: Obj): Obj {
  const { pattern: _p, anyPattern: _a, ...rest } = validate;
  return rest;
}

/** Kyverno's text rewrite of `request.object.spec` and `.metadata` in an autogen rule. */
function rewriteRequestPaths(rule: Obj, key: "template" | "jobTemplate"): Obj {
  const target = key === "template" ? "spec.template" : "spec.jobTemplate.spec.template";
  let text = JSON.stringify(rule);
  for (const object of ["request.object", "request.oldObject"]) {
    text = text.split(`${object}.spec`).join(`${object}.${target}.spec`);
    text = text.split(`${object}.metadata`).join(`${object}.${target}.metadata`);
  }
  return JSON.parse(text) as Obj;
}

/** Whether the cluster's configuration keeps `resource` from every policy (resource filters, webhook namespaces). */
export function clusterSkips(cluster: ClusterModel, resource: Json): boolean {
  const object = isObj(resource) ? resource : {};
  const metadata = isObj(object.metadata) ? object.metadata : {};
  const namespace = String(metadata.namespace ?? "");
  if (namespace && cluster.excludedNamespaces?.includes(namespace)) return true;
  const kind = String(object.kind ?? "");
  const name = String(metadata.name ?? "");
  return (cluster.resourceFilters ?? []).some((filter) => {
    const m = /^\[([^,]*),([^,]*),([^\]]*)\]$/.exec(filter.trim());
    if (!m) return false;
    const [filterKind, filterSub = ""] = m[1].split("/");
    return wildcardMatch(filterKind, kind) && wildcardMatch(filterSub, "") && wildcardMatch(m[2], namespace) && wildcardMatch(m[3], name);
  });
}

/** Whether a PolicyException the cluster honours waives `rule` of `policy` for `resource`. */
function excepted(cluster: ClusterModel | undefined, policy: string, rule: string, resource: Json): boolean {
  if (!cluster?.exceptions || cluster.exceptionNamespace === undefined) return false;
  return cluster.exceptions.some((exception) => {
    if (!isObj(exception) || exception.kind !== "PolicyException" || !isObj(exception.spec)) return false;
    const ns = isObj(exception.metadata) ? String(exception.metadata.namespace ?? "") : "";
    if (cluster.exceptionNamespace !== "*" && ns !== cluster.exceptionNamespace) return false;
    const entries = Array.isArray(exception.spec.exceptions) ? exception.spec.exceptions : [];
    const names = entries.some(
      (e) =>
        isObj(e) &&
        typeof e.policyName === "string" &&
        wildcardMatch(e.policyName, policy) &&
        Array.isArray(e.ruleNames) &&
        e.ruleNames.some((r) => typeof r === "string" && wildcardMatch(r, rule)),
    );
    return names && blockMatches(exception.spec.match, resource, "exception match");
  });
}

function evaluateRule(rule: Json, given: Json, options: EvaluateOptions, policyName = ""): RuleEvaluation {
  if (!isObj(rule) || typeof rule.name !== "string") throw new UnsupportedError("a policy rule must be a map with a name");
  const name = rule.name;
  const skip = (reason: SkipReason): RuleEvaluation => ({ rule: name, status: "skip", reason, paths: [] });
  const variables = options.variables?.(name) ?? {};
  // Values for request.object.* stand for the object itself, as the Kyverno CLI applies them.
  let resource = given;
  for (const [key, value] of Object.entries(variables)) {
    const path = variablePath(key);
    if (path[0] !== "request" || path[1] !== "object" || path.length < 3) continue;
    if (resource === given) resource = structuredClone(given);
    if (isObj(resource)) setPath(resource, path.slice(2), structuredClone(value));
  }
  const operation = typeof variables["request.operation"] === "string" ? String(variables["request.operation"]) : (options.operation ?? "CREATE");
  const env: MatchEnv = { operation, namespaceLabels: options.namespaceLabels };
  if (!blockMatches(rule.match, resource, "match", env)) return skip("not-matched");
  if (rule.exclude !== undefined && blockMatches(rule.exclude, resource, "exclude", env)) return skip("excluded");
  if (excepted(options.cluster, policyName, name, resource)) return skip("exception");
  for (const unsupported of ["mutate", "generate", "verifyImages"]) {
    if (rule[unsupported] !== undefined) throw new UnsupportedError(`rule ${name}: ${unsupported} rules are not evaluated offline`);
  }
  if (Array.isArray(rule.celPreconditions)) throw new UnsupportedError(`rule ${name}: celPreconditions need CEL`);
  const context = ruleContext(rule, name, admissionContext(resource, operation), variables);
  if (rule.preconditions !== undefined) {
    const holds = options.preconditions ? options.preconditions(rule.preconditions, resource) : conditionsHold(rule.preconditions, context, "preconditions");
    if (!holds) return skip("precondition");
  }
  const validate = isObj(rule.validate) ? rule.validate : undefined;
  if (!validate) throw new UnsupportedError(`rule ${name} has no validate block`);
  for (const unsupported of ["cel", "podSecurity", "manifests", "assert"]) {
    if (validate[unsupported] !== undefined) throw new UnsupportedError(`rule ${name}: validate.${unsupported} is not evaluated offline`);
  }
  const outcome = validateBlock(validate, resource, context, name);
  return { rule: name, ...outcome };
}

type BlockOutcome = Omit<RuleEvaluation, "rule">;

/** One validate block (pattern, anyPattern, deny or foreach) over `resource`, with variables from `context`. */
function validateBlock(validate: Obj, resource: Json, context: Obj, name: string): BlockOutcome {
  if (validate.pattern !== undefined) {
    const outcome = matchPattern(resource, resolvePattern(validate.pattern, context, resource));
    if (outcome.status === "fail") return { status: "fail", paths: [outcome.path] };
    if (outcome.status === "skip") return { status: "skip", reason: "pattern", paths: [] };
    return { status: "pass", paths: [] };
  }
  if (Array.isArray(validate.anyPattern)) {
    const failed: string[] = [];
    let skipped = 0;
    for (const [index, pattern] of validate.anyPattern.entries()) {
      const outcome = matchPattern(resource, resolvePattern(pattern, context, resource));
      if (outcome.status === "pass") return { status: "pass", paths: [], anyPattern: index };
      if (outcome.status === "skip") skipped++;
      else failed.push(outcome.path);
    }
    if (failed.length === 0 && skipped > 0) return { status: "skip", reason: "pattern", paths: [] };
    return { status: "fail", paths: failed };
  }
  if (validate.deny !== undefined) {
    const deny = isObj(validate.deny) ? validate.deny : {};
    // A deny without conditions denies every request it sees.
    const denied = deny.conditions === undefined ? true : conditionsHold(deny.conditions, context);
    return denied ? { status: "fail", paths: ["/"] } : { status: "pass", paths: [] };
  }
  if (Array.isArray(validate.foreach)) return validateForeach(validate.foreach, resource, context, name);
  throw new UnsupportedError(`rule ${name}: the validate block has nothing the evaluator knows (pattern, anyPattern, deny, foreach)`);
}

/**
 * `foreach`: each entry's `list` (JMESPath) gives elements; each element, with `element` and
 * `elementIndex` set and its own preconditions, is checked by the entry's pattern, anyPattern, deny or
 * nested foreach. Any element failing fails the rule; none applying skips it.
 */
function validateForeach(entries: readonly Json[], resource: Json, context: Obj, name: string): BlockOutcome {
  let applied = 0;
  for (const entry of entries) {
    if (!isObj(entry) || typeof entry.list !== "string") throw new UnsupportedError(`rule ${name}: a foreach entry needs a list`);
    const list = jmespath(String(substitute(entry.list, context)), context);
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw new UnsupportedError(`rule ${name}: foreach list ${entry.list} is not a list`);
    for (const [index, element] of list.entries()) {
      let scoped: Obj = { ...context, element, elementIndex: index };
      scoped = ruleContext(entry, name, scoped);
      if (entry.preconditions !== undefined && !conditionsHold(entry.preconditions, scoped, "preconditions")) continue;
      // Patterns apply to the element unless elementScope is false.
      const target = entry.elementScope === false ? resource : element;
      const outcome = Array.isArray(entry.foreach)
        ? validateForeach(entry.foreach, target, scoped, name)
        : validateBlock(entry, target, scoped, name);
      if (outcome.status === "fail") return { ...outcome, paths: outcome.paths.map((p) => `${entry.list}[${index}]${p}`) };
      if (outcome.status === "pass") applied++;
    }
  }
  return applied > 0 ? { status: "pass", paths: [] } : { status: "skip", reason: "pattern", paths: [] };
}

/** A pattern with its variables (`{{ }}`) resolved; `$(path)` references resolve while matching. */
function resolvePattern(pattern: Json, context: Obj, _resource: Json): Json {
  return JSON.stringify(pattern).includes("{{") ? substitute(pattern, context) : pattern;
}

/** The variables an admission request of `resource` offers (a CREATE with no user). */
export function admissionContext(resource: Json, operation = "CREATE"): Json {
  return { request: { object: resource, oldObject: null, operation, userInfo: {} } };
}

/** The rule's `context` entries added to the variables: only `variable` entries can be had offline. */
function ruleContext(rule: Obj, name: string, base: Json, variables: Readonly<Record<string, unknown>> = {}): Obj {
  const context: Obj = structuredClone(base as Obj);
  for (const [key, value] of Object.entries(variables)) setPath(context, variablePath(key), structuredClone(value));
  const given = (entryName: string) => Object.keys(variables).some((k) => k === entryName || k.startsWith(`${entryName}.`));
  for (const entry of Array.isArray(rule.context) ? rule.context : []) {
    if (!isObj(entry) || typeof entry.name !== "string") throw new UnsupportedError(`rule ${name}: a context entry needs a name`);
    if (given(entry.name)) continue;
    const source = Object.keys(entry).find((k) => k !== "name");
    if (source !== "variable" || !isObj(entry.variable)) {
      throw new UnsupportedError(`rule ${name}: context entry ${entry.name} needs ${source ?? "nothing"}, which the evaluator cannot reach offline`);
    }
    const variable = entry.variable;
    let value: Json = variable.value !== undefined ? substitute(variable.value, context) : null;
    if (typeof variable.jmesPath === "string") value = jmespath(String(substitute(variable.jmesPath, context)), value ?? context);
    if ((value === null || value === undefined) && variable.default !== undefined) value = substitute(variable.default, context);
    setPath(context, entry.name.split("."), value ?? null);
  }
  return context;
}

/** `request.object.metadata.annotations."example.com/x"`: dot-separated, a quoted segment kept whole. */
function variablePath(key: string): string[] {
  return [...key.matchAll(/"([^"]*)"|([^.]+)/g)].map((m) => m[1] ?? m[2]);
}

function setPath(target: Obj, path: readonly string[], value: Json): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (!isObj(at[key])) at[key] = {};
    at = at[key] as Obj;
  }
  at[path[path.length - 1]] = value;
}

/** `match`/`exclude`: `any` (one filter), `all` (every filter), or a bare `resources`. */
interface MatchEnv {
  readonly operation: string;
  readonly namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

function blockMatches(block: Json, resource: Json, what: string, env: MatchEnv = { operation: "CREATE" }): boolean {
  if (!isObj(block)) throw new UnsupportedError(`${what} must be a map`);
  if (Array.isArray(block.any) && block.any.length > 0) return block.any.some((f) => filterMatches(f, resource, what, env));
  if (Array.isArray(block.all) && block.all.length > 0) return block.all.every((f) => filterMatches(f, resource, what, env));
  const { any: _any, all: _all, ...rest } = block;
  return filterMatches(rest, resource, what, env);
}

function filterMatches(filter: Json, resource: Json, what: string, env: MatchEnv): boolean {
  if (!isObj(filter)) throw new UnsupportedError(`${what}: a filter must be a map`);
  for (const key of Object.keys(filter)) {
    if (key === "subjects" || key === "roles" || key === "clusterRoles") {
      throw new UnsupportedError(`${what}: ${key} need the request's user, which the evaluator does not have`);
    }
    if (key !== "resources") throw new UnsupportedError(`${what}: unsupported filter field ${key}`);
  }
  const r = isObj(filter.resources) ? filter.resources : {};
  const object = isObj(resource) ? resource : {};
  const metadata = isObj(object.metadata) ? object.metadata : {};
  for (const key of Object.keys(r)) {
    if (key === "namespaceSelector" && !env.namespaceLabels) throw new UnsupportedError(`${what}: namespaceSelector needs the namespace's labels`);
    if (!["kinds", "annotations", "names", "name", "namespaces", "selector", "operations", "namespaceSelector"].includes(key))
      throw new UnsupportedError(`${what}: unsupported resources field ${key}`);
  }
  if (Array.isArray(r.kinds) && !r.kinds.some((k) => typeof k === "string" && kindMatches(k, object))) return false;
  const name = String(metadata.name ?? "");
  if (typeof r.name === "string" && !wildcardMatch(r.name, name)) return false;
  if (Array.isArray(r.names) && !r.names.some((n) => typeof n === "string" && wildcardMatch(n, name))) return false;
  if (
    Array.isArray(r.namespaces) &&
    !r.namespaces.some((n) => typeof n === "string" && wildcardMatch(n, String(metadata.namespace ?? "")))
  ) {
    return false;
  }
  if (Array.isArray(r.operations) && !r.operations.includes(env.operation)) return false;
  if (r.namespaceSelector !== undefined) {
    const labels = env.namespaceLabels?.[String(metadata.namespace ?? "")] ?? {};
    if (!selectorMatches(r.namespaceSelector, labels as Obj)) return false;
  }
  if (isObj(r.annotations)) {
    const annotations = isObj(metadata.annotations) ? metadata.annotations : {};
    for (const [key, value] of Object.entries(r.annotations)) {
      const found = Object.entries(annotations).some(
        ([k, v]) => wildcardMatch(key, k) && typeof value === "string" && wildcardMatch(value, String(v)),
      );
      if (!found) return false;
    }
  }
  if (r.selector !== undefined && !selectorMatches(r.selector, isObj(metadata.labels) ? metadata.labels : {})) return false;
  return true;
}

/** A label selector (matchLabels with wildcards, as Kyverno allows, and matchExpressions). */
function selectorMatches(selector: Json, labels: Obj): boolean {
  if (!isObj(selector)) return true;
  for (const [key, value] of Object.entries(isObj(selector.matchLabels) ? selector.matchLabels : {})) {
    const found = Object.entries(labels).some(([k, v]) => wildcardMatch(key, k) && wildcardMatch(String(value), String(v)));
    if (!found) return false;
  }
  for (const expression of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    if (!isObj(expression)) continue;
    const key = String(expression.key);
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    const value = has ? String(labels[key]) : undefined;
    switch (expression.operator) {
      case "In":
        if (!has || !values.includes(value!)) return false;
        break;
      case "NotIn":
        if (has && values.includes(value!)) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        throw new UnsupportedError(`selector operator ${String(expression.operator)}`);
    }
  }
  return true;
}

/** `Kind`, `version/Kind`, `group/version/Kind` (wildcards allowed); `Kind/subresource` never matches an object. */
function kindMatches(spec: string, object: Obj): boolean {
  const parts = spec.split("/");
  const kind = String(object.kind ?? "");
  const apiVersion = String(object.apiVersion ?? "");
  const slash = apiVersion.indexOf("/");
  const [group, version] = slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
  if (parts.length === 1) return wildcardMatch(parts[0], kind);
  if (parts.length === 2) {
    if (/^[A-Z]/.test(parts[0])) return false;
    return wildcardMatch(parts[0], version) && wildcardMatch(parts[1], kind);
  }
  return wildcardMatch(parts[0], group) && wildcardMatch(parts[1], version) && wildcardMatch(parts[2], kind);
}

/** A policy's verdict on a resource: fail if a rule fails, pass if one passes, else skip with the reason. */
export interface PolicyVerdict {
  readonly status: RuleStatus;
  readonly rule?: string;
  readonly reason?: SkipReason;
  readonly paths: readonly string[];
  readonly anyPattern?: number;
  readonly message?: string;
}

export function policyVerdict(evaluations: readonly RuleEvaluation[]): PolicyVerdict {
  const failed = evaluations.find((e) => e.status === "fail");
  if (failed) return { status: "fail", rule: failed.rule, paths: failed.paths };
  const errored = evaluations.find((e) => e.status === "error");
  if (errored) return { status: "error", rule: errored.rule, paths: [], message: errored.message };
  const passed = evaluations.find((e) => e.status === "pass");
  if (passed)
    return {
      status: "pass",
      rule: passed.rule,
      paths: [],
      ...(passed.anyPattern !== undefined ? { anyPattern: passed.anyPattern } : {}),
    };
  for (const reason of ["filtered", "owned", "exception", "excluded", "precondition", "pattern", "not-matched"] as const) {
    const skipped = evaluations.find((e) => e.reason === reason);
    if (skipped) return { status: "skip", rule: skipped.rule, reason, paths: [] };
  }
  return { status: "skip", reason: "not-matched", paths: [] };
}
