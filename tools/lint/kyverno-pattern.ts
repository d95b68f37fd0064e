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

import { UnsupportedError, conditionsHold, jmespath, substitute } from "./kyverno-conditions.ts";

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

/** Kyverno's MatchPattern: the whole resource against one pattern. */
export function matchPattern(resource: Json, pattern: Json): PatternOutcome {
  const error = validateElement(resource, pattern, "/");
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
    const values = Array.isArray(resource) ? resource : [resource];
    for (const value of values) {
      if (!valueMatches(value, pattern))
        return fail(path, `resource value '${show(resource)}' does not match '${show(pattern)}' at path ${path}`);
    }
    return undefined;
  }
  return fail(path, `failed at '${path}', pattern contains unknown type`);
}

function validateMap(resource: Obj, pattern: Obj, path: string): PatternError | undefined {
  const anchors: [Anchor, Json][] = [];
  const plain: [string, Json][] = [];
  for (const [key, value] of Object.entries(pattern)) {
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

/** `a | b & c`: alternatives split on `|`, each a conjunction split on `&`, spaces trimmed. */
export function stringPatternMatches(value: Json, pattern: string): boolean {
  return pattern.split("|").some((alternative) =>
    trimSpaces(alternative)
      .split("&")
      .every((condition) => singleConditionMatches(value, trimSpaces(condition))),
  );
}

function trimSpaces(text: string): string {
  return text.replace(/^ +| +$/g, "");
}

type Operator = "" | "!" | ">" | ">=" | "<" | "<=";

function operatorOf(pattern: string): Operator {
  if (pattern.length < 2) return "";
  for (const op of [">=", "<=", ">", "<", "!"] as const) if (pattern.startsWith(op)) return op;
  return "";
}

function singleConditionMatches(value: Json, condition: string): boolean {
  const op = operatorOf(condition);
  const rest = condition.slice(op.length).trim();
  const numberPart = /^(\d*(\.\d+)?)/.exec(rest)![1];
  if (numberPart === "") return stringMatches(value, rest, op);
  return numberWithStringMatches(value, rest, op);
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

function numberWithStringMatches(value: Json, pattern: string, op: Operator): boolean {
  const text =
    value === null || value === undefined
      ? "0"
      : typeof value === "string"
        ? value
        : typeof value === "number"
          ? String(value)
          : undefined;
  if (text === undefined) return false;
  const expected = parseQuantity(pattern);
  if (expected === undefined) return wildcardMatch(pattern, text);
  const actual = parseQuantity(text);
  if (actual === undefined) return false;
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
  }
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
export type SkipReason = "not-matched" | "excluded" | "precondition" | "pattern" | "filtered" | "exception";

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
  /** The cluster's Kyverno configuration. @default no filters, no excluded namespaces, no exceptions */
  readonly cluster?: ClusterModel;
  /** Decides a rule's preconditions. @default evaluated with JMESPath over the admission request */
  readonly preconditions?: (conditions: unknown, resource: Json) => boolean;
}

/** Evaluates each validate rule of a ClusterPolicy against a resource as admission would (no variables). */
export function evaluatePolicy(policy: Json, resource: Json, options: EvaluateOptions = {}): RuleEvaluation[] {
  const rules = isObj(policy) && isObj(policy.spec) && Array.isArray(policy.spec.rules) ? policy.spec.rules : [];
  const policyName = isObj(policy) && isObj(policy.metadata) ? String(policy.metadata.name ?? "") : "";
  const filtered = options.cluster && clusterSkips(options.cluster, resource);
  return rules.map((rule) => {
    if (filtered) return { rule: isObj(rule) ? String(rule.name) : "", status: "skip", reason: "filtered", paths: [] };
    try {
      return evaluateRule(rule, resource, options, policyName);
    } catch (error) {
      // One rule the evaluator cannot decide leaves the others of the policy evaluated.
      if (!(error instanceof UnsupportedError)) throw error;
      return { rule: isObj(rule) ? String(rule.name) : "", status: "error", paths: [], message: error.message };
    }
  });
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

function evaluateRule(rule: Json, resource: Json, options: EvaluateOptions, policyName = ""): RuleEvaluation {
  if (!isObj(rule) || typeof rule.name !== "string") throw new UnsupportedError("a policy rule must be a map with a name");
  const name = rule.name;
  if (!blockMatches(rule.match, resource, "match"))
    return { rule: name, status: "skip", reason: "not-matched", paths: [] };
  if (rule.exclude !== undefined && blockMatches(rule.exclude, resource, "exclude")) {
    return { rule: name, status: "skip", reason: "excluded", paths: [] };
  }
  if (excepted(options.cluster, policyName, name, resource)) return { rule: name, status: "skip", reason: "exception", paths: [] };
  const context = ruleContext(rule, name, admissionContext(resource));
  if (rule.preconditions !== undefined) {
    const holds = options.preconditions
      ? options.preconditions(rule.preconditions, resource)
      : conditionsHold(rule.preconditions, context);
    if (!holds) return { rule: name, status: "skip", reason: "precondition", paths: [] };
  }
  const validate = isObj(rule.validate) ? rule.validate : undefined;
  if (!validate) throw new UnsupportedError(`rule ${name} has no validate block`);
  if (validate.pattern !== undefined) {
    const outcome = matchPattern(resource, validate.pattern);
    if (outcome.status === "fail") return { rule: name, status: "fail", paths: [outcome.path] };
    if (outcome.status === "skip") return { rule: name, status: "skip", reason: "pattern", paths: [] };
    return { rule: name, status: "pass", paths: [] };
  }
  if (Array.isArray(validate.anyPattern)) {
    const failed: string[] = [];
    let skipped = 0;
    for (const [index, pattern] of validate.anyPattern.entries()) {
      const outcome = matchPattern(resource, pattern);
      if (outcome.status === "pass") return { rule: name, status: "pass", paths: [], anyPattern: index };
      if (outcome.status === "skip") skipped++;
      else failed.push(outcome.path);
    }
    if (failed.length === 0 && skipped > 0) return { rule: name, status: "skip", reason: "pattern", paths: [] };
    return { rule: name, status: "fail", paths: failed };
  }
  throw new UnsupportedError(`rule ${name}: the evaluator handles pattern and anyPattern only`);
}

/** The variables an admission request of `resource` offers (a CREATE with no user). */
export function admissionContext(resource: Json): Json {
  return { request: { object: resource, oldObject: null, operation: "CREATE", userInfo: {} } };
}

/** The rule's `context` entries added to the variables: only `variable` entries can be had offline. */
function ruleContext(rule: Obj, name: string, base: Json): Obj {
  const context: Obj = { ...(base as Obj) };
  for (const entry of Array.isArray(rule.context) ? rule.context : []) {
    if (!isObj(entry) || typeof entry.name !== "string") throw new UnsupportedError(`rule ${name}: a context entry needs a name`);
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

function setPath(target: Obj, path: readonly string[], value: Json): void {
  let at = target;
  for (const key of path.slice(0, -1)) {
    if (!isObj(at[key])) at[key] = {};
    at = at[key] as Obj;
  }
  at[path[path.length - 1]] = value;
}

/** `match`/`exclude`: `any` (one filter), `all` (every filter), or a bare `resources`. */
function blockMatches(block: Json, resource: Json, what: string): boolean {
  if (!isObj(block)) throw new UnsupportedError(`${what} must be a map`);
  if (Array.isArray(block.any)) return block.any.some((f) => filterMatches(f, resource, what));
  if (Array.isArray(block.all)) return block.all.every((f) => filterMatches(f, resource, what));
  return filterMatches(block, resource, what);
}

function filterMatches(filter: Json, resource: Json, what: string): boolean {
  if (!isObj(filter) || !isObj(filter.resources))
    throw new UnsupportedError(`${what}: the evaluator handles resources filters only`);
  for (const key of Object.keys(filter))
    if (key !== "resources") throw new UnsupportedError(`${what}: unsupported filter field ${key}`);
  const r = filter.resources;
  const object = isObj(resource) ? resource : {};
  const metadata = isObj(object.metadata) ? object.metadata : {};
  for (const key of Object.keys(r)) {
    if (!["kinds", "annotations", "names", "namespaces"].includes(key))
      throw new UnsupportedError(`${what}: unsupported resources field ${key}`);
  }
  if (Array.isArray(r.kinds) && !r.kinds.some((k) => typeof k === "string" && kindMatches(k, object))) return false;
  if (
    Array.isArray(r.names) &&
    !r.names.some((n) => typeof n === "string" && wildcardMatch(n, String(metadata.name ?? "")))
  )
    return false;
  if (
    Array.isArray(r.namespaces) &&
    !r.namespaces.some((n) => typeof n === "string" && wildcardMatch(n, String(metadata.namespace ?? "")))
  ) {
    return false;
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
  for (const reason of ["filtered", "exception", "excluded", "precondition", "pattern", "not-matched"] as const) {
    const skipped = evaluations.find((e) => e.reason === reason);
    if (skipped) return { status: "skip", rule: skipped.rule, reason, paths: [] };
  }
  return { status: "skip", reason: "not-matched", paths: [] };
}
