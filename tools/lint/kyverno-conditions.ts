/**
 * Kyverno's variables (`{{ jmespath }}`) and conditions (preconditions, deny, foreach preconditions),
 * evaluated offline over a JSON context (`request.object`, `element`, `images`…). JMESPath comes from
 * a real implementation with Kyverno's commonest extra functions registered; conditions follow
 * Kyverno's operators (pkg/engine/variables/operator): quantities, durations and wildcards included.
 */
import { registerFunction, search, TYPE_ANY, TYPE_NUMBER, TYPE_STRING, TYPE_OBJECT, TYPE_ARRAY } from "@jmespath-community/jmespath";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { parseQuantity, wildcardMatch } from "./kyverno-pattern.ts";

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Something the offline evaluator cannot decide (an API call, an unknown function): the caller skips the case. */
export class UnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedError";
  }
}

let registered = false;
function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  const str = [{ types: [TYPE_STRING] }];
  const fn = (name: string, f: (args: any[]) => unknown, signature: { types: number[]; optional?: boolean; variadic?: boolean }[]) =>
    registerFunction(name, f as never, signature as never, { override: true } as never);
  fn("to_upper", ([s]) => String(s).toUpperCase(), str);
  fn("to_lower", ([s]) => String(s).toLowerCase(), str);
  fn("trim", ([s, cut]) => trimChars(String(s), String(cut)), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("trim_prefix", ([s, p]) => (String(s).startsWith(p) ? String(s).slice(p.length) : s), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("split", ([s, sep]) => String(s).split(String(sep)), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("equal_fold", ([a, b]) => String(a).toLowerCase() === String(b).toLowerCase(), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("regex_match", ([re, s]) => new RegExp(re).test(String(s)), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  fn("pattern_match", ([p, s]) => wildcardMatch(String(p), String(s)), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING, TYPE_NUMBER] }]);
  fn("replace_all", ([s, a, b]) => String(s).split(String(a)).join(String(b)), [{ types: [TYPE_STRING] }, { types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("truncate", ([s, n]) => String(s).slice(0, Number(n)), [{ types: [TYPE_STRING] }, { types: [TYPE_NUMBER] }]);
  fn("base64_decode", ([s]) => Buffer.from(String(s), "base64").toString("utf8"), str);
  fn("base64_encode", ([s]) => Buffer.from(String(s), "utf8").toString("base64"), str);
  fn("parse_json", ([s]) => JSON.parse(String(s)), str);
  fn("parse_yaml", ([s]) => parseYaml(String(s)) as unknown, str);
  fn("path_canonicalize", ([s]) => path.posix.normalize(String(s)).replace(/(.)\/$/, "$1"), str);
  fn("label_match", ([selector, labels]) => Object.entries(selector ?? {}).every(([k, v]) => isObj(labels) && labels[k] === v), [{ types: [TYPE_OBJECT] }, { types: [TYPE_OBJECT] }]);
  fn("items", ([o, k, v]) => (Array.isArray(o) ? o.map((x, i) => ({ [k]: i, [v]: x })) : Object.keys(o).sort().map((key) => ({ [k]: key, [v]: o[key] }))), [{ types: [TYPE_OBJECT, TYPE_ARRAY] }, { types: [TYPE_STRING] }, { types: [TYPE_STRING] }]);
  fn("object_from_lists", ([ks, vs]) => Object.fromEntries((ks as unknown[]).map((k, i) => [String(k), (vs as unknown[])[i] ?? null])), [{ types: [TYPE_ARRAY] }, { types: [TYPE_ARRAY] }]);
  fn("add", ([a, b]) => arithmetic(a, b, (x, y) => x + y), [{ types: [TYPE_ANY] }, { types: [TYPE_ANY] }]);
  fn("subtract", ([a, b]) => arithmetic(a, b, (x, y) => x - y), [{ types: [TYPE_ANY] }, { types: [TYPE_ANY] }]);
  fn("multiply", ([a, b]) => arithmetic(a, b, (x, y) => x * y), [{ types: [TYPE_ANY] }, { types: [TYPE_ANY] }]);
  fn("divide", ([a, b]) => arithmetic(a, b, (x, y) => x / y), [{ types: [TYPE_ANY] }, { types: [TYPE_ANY] }]);
}

function trimChars(s: string, cut: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && cut.includes(s[start])) start++;
  while (end > start && cut.includes(s[end - 1])) end--;
  return s.slice(start, end);
}

function arithmetic(a: unknown, b: unknown, op: (x: number, y: number) => number): number {
  const x = typeof a === "number" ? a : parseQuantity(String(a));
  const y = typeof b === "number" ? b : parseQuantity(String(b));
  if (x === undefined || y === undefined) throw new UnsupportedError(`arithmetic on ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
  return op(x, y);
}

/** Evaluates one JMESPath expression over the context. */
export function jmespath(expression: string, context: Json): Json {
  registerKyvernoFunctions();
  try {
    return search(context as never, expression) as Json;
  } catch (error) {
    throw new UnsupportedError(`JMESPath ${JSON.stringify(expression)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const INNERMOST = /\{\{((?:(?!\{\{)[\s\S])*?)\}\}/;

/**
 * Replaces `{{ expr }}` in every string of `value`. A string that is one variable becomes the
 * expression's value (typed); a variable inside text is printed into it. `@` is the value at that path
 * (Kyverno's "self" reference), which this evaluator does not track, so it is refused.
 */
export function substitute(value: Json, context: Json, missing: "null" | "empty" = "null"): Json {
  if (typeof value === "string") {
    let text = value;
    // Innermost variables first: `{{ divide('{{ a }}', '{{ b }}') }}`.
    for (;;) {
      const inner = INNERMOST.exec(text);
      if (!inner) return text;
      if (inner.index === 0 && inner[0].length === text.length) return resolve(inner[1], context, missing);
      const v = resolve(inner[1], context, missing);
      text = text.slice(0, inner.index) + (typeof v === "string" ? v : JSON.stringify(v)) + text.slice(inner.index + inner[0].length);
    }
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, context, missing));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k, context, missing) as string, substitute(v, context, missing)]));
  return value;
}

function resolve(expression: string, context: Json, missing: "null" | "empty" = "null"): Json {
  const expr = expression.trim();
  if (expr === "@" || /^@\./.test(expr)) throw new UnsupportedError("the self reference {{@}}");
  const value = jmespath(expr, context);
  if (value === null || value === undefined) {
    // In preconditions Kyverno reads a variable that resolves to nothing as an empty string.
    if (missing === "empty") return "";
    // Kyverno fails a variable that resolves to nothing, except where a default is given.
    if (/^request\.(object|oldObject)\b/.test(expr) || /^element\b/.test(expr)) return null;
    throw new UnsupportedError(`variable {{${expression}}} resolves to nothing offline`);
  }
  return value;
}

/**
 * `{any: [...], all: [...]}` or a plain list (all): whether the conditions hold. `preconditions` reads
 * variables that resolve to nothing as empty strings, as Kyverno does there.
 */
export function conditionsHold(conditions: Json, context: Json, kind: "preconditions" | "deny" = "deny"): boolean {
  const missing = kind === "preconditions" ? "empty" : "null";
  if (Array.isArray(conditions)) return conditions.every((c) => conditionHolds(c, context, missing));
  if (!isObj(conditions)) throw new UnsupportedError("conditions must be a list or a map of any/all");
  const any = Array.isArray(conditions.any) ? conditions.any : undefined;
  const all = Array.isArray(conditions.all) ? conditions.all : undefined;
  const anyOk = any === undefined || any.length === 0 || any.some((c) => conditionHolds(c, context, missing));
  const allOk = all === undefined || all.every((c) => conditionHolds(c, context, missing));
  return anyOk && allOk;
}

function conditionHolds(condition: Json, context: Json, missing: "null" | "empty"): boolean {
  if (!isObj(condition)) throw new UnsupportedError("a condition must be a map");
  const key = substitute(condition.key ?? null, context, missing);
  const value = substitute(condition.value ?? null, context, missing);
  const operator = String(condition.operator ?? "");
  switch (operator) {
    case "Equals":
    case "Equal":
      return equals(key, value);
    case "NotEquals":
    case "NotEqual":
      return !equals(key, value);
    case "In":
      return Array.isArray(key) ? key.every((k) => inList(k, value)) : inList(key, value);
    case "NotIn":
      return Array.isArray(key) ? !key.every((k) => inList(k, value)) : !inList(key, value);
    case "AnyIn":
      return list(key).some((k) => inList(k, value));
    case "AllIn":
      return list(key).every((k) => inList(k, value));
    case "AnyNotIn":
      return list(key).some((k) => !inList(k, value));
    case "AllNotIn":
      return list(key).every((k) => !inList(k, value));
    case "GreaterThan":
    case "GreaterThanOrEquals":
    case "LessThan":
    case "LessThanOrEquals":
    case "DurationGreaterThan":
    case "DurationGreaterThanOrEquals":
    case "DurationLessThan":
    case "DurationLessThanOrEquals":
      return compare(key, value, operator.replace(/^Duration/, ""));
    default:
      throw new UnsupportedError(`condition operator ${JSON.stringify(operator)}`);
  }
}

const list = (v: Json): Json[] => (Array.isArray(v) ? v : [v]);

function inList(key: Json, given: Json): boolean {
  // A string holding a JSON list (a ConfigMap value, say) is that list, as Kyverno reads it.
  let value = given;
  if (typeof value === "string" && value.trim().startsWith("[")) {
    try {
      value = JSON.parse(value) as Json;
    } catch {
      // Not JSON: a plain string.
    }
  }
  if (typeof value === "string") {
    if (typeof key !== "string" && typeof key !== "number") return false;
    return wildcardMatch(value, String(key)) || wildcardMatch(String(key), value) || inRange(String(key), value);
  }
  // Kyverno matches wildcards either way round: a key `A=*` is in ["A=ATest"].
  return list(value).some((v) => (typeof v === "string" && typeof key === "string" ? wildcardMatch(v, key) || wildcardMatch(key, v) : deepEqual(key, v)));
}

/** `1-10` / `1!-10`: a numeric range on a condition value. */
function inRange(key: string, range: string): boolean {
  const m = /^(-?\d+(?:\.\d+)?)(!?)-(-?\d+(?:\.\d+)?)$/.exec(range);
  const k = Number(key);
  if (!m || key.trim() === "" || Number.isNaN(k)) return false;
  const inside = k >= Number(m[1]) && k <= Number(m[3]);
  return m[2] === "!" ? !inside : inside;
}

function equals(key: Json, value: Json): boolean {
  if (typeof key === "string" && typeof value === "string") {
    const kq = parseQuantity(key);
    const vq = parseQuantity(value);
    if (kq !== undefined && vq !== undefined) return kq === vq;
    const kd = parseDuration(key);
    const vd = parseDuration(value);
    if (kd !== undefined && vd !== undefined) return kd === vd;
    return wildcardMatch(value, key);
  }
  if (typeof key === "number" && typeof value === "string") {
    const vq = parseQuantity(value);
    return vq !== undefined ? vq === key : false;
  }
  if (typeof key === "string" && typeof value === "number") {
    const kq = parseQuantity(key);
    return kq !== undefined ? kq === value : false;
  }
  return deepEqual(key, value);
}

function compare(key: Json, value: Json, operator: string): boolean {
  const pair = comparable(key, value);
  if (!pair) return false;
  const [k, v] = pair;
  switch (operator) {
    case "GreaterThan":
      return k > v;
    case "GreaterThanOrEquals":
      return k >= v;
    case "LessThan":
      return k < v;
    default:
      return k <= v;
  }
}

function comparable(key: Json, value: Json): [number, number] | undefined {
  const num = (x: Json) => (typeof x === "number" ? x : typeof x === "string" ? parseQuantity(x) : undefined);
  const [kn, vn] = [num(key), num(value)];
  if (kn !== undefined && vn !== undefined) return [kn, vn];
  const dur = (x: Json) => (typeof x === "string" ? parseDuration(x) : undefined);
  const [kd, vd] = [dur(key), dur(value)];
  if (kd !== undefined && vd !== undefined) return [kd, vd];
  return undefined;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** A Go duration (`1h30m`, `300ms`, `-2s`) in seconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  if (text === "0") return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of text.replace(/^[+-]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * DURATION_UNITS[part[2]];
  return m[1] === "-" ? -total : total;
}

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
