/**
 * YAML loading with the value semantics Kustomize (kubectl v1.32, Kustomize v5.5) gives each file.
 *
 * Kustomize reads resources with go-yaml v3 and turns every object into JSON before it prints it, so a
 * plain scalar means what go-yaml v3 decodes it to: `0755` is the octal int 493, `1_000` is 1000, an
 * unquoted `2024-01-01` becomes the string "2024-01-01T00:00:00Z", `yes`/`on` stay strings. Patch files
 * and kustomization.yaml go through sigs.k8s.io/yaml instead (go-yaml v2, YAML 1.1), where `yes`, `on`,
 * `y` are booleans and timestamps stay strings. Both are emulated here on top of js-yaml's event parser,
 * which gives the style (plain or quoted) and the source text of every scalar.
 *
 * Mappings are built with their keys in the order Kustomize prints them (see `compareKeys`), so that
 * rendered objects serialize like `kubectl kustomize` output.
 *
 * Anything this module does not model exactly (custom tags, complex keys, recursion…) raises
 * `UnsupportedYamlError`; callers then let real Kustomize build the directory.
 */
import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE, type Event, type ScalarEvent } from "js-yaml";

export type GoYamlFlavor = "v3" | "v2";

/** A file does not parse as YAML; line and column are 1-based. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: YAML does not parse: ${reason}`);
    this.name = "YamlSyntaxError";
  }
}

/** The YAML uses something whose Kustomize meaning is not modelled here; Kustomize itself must read it. */
export class UnsupportedYamlError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "UnsupportedYamlError";
  }
}

export interface GoYamlDocument {
  /** 1-based line where the document's content starts. */
  readonly line: number;
  readonly value: unknown;
}

const ANNOTATION_TEXT = new WeakMap<object, Record<string, string>>();

/**
 * For an object parsed by `parseGoYaml` (a document root, or an item of a root `items` list), the source
 * text of its `metadata.annotations` values that are plain non-string scalars (`a: 0755`): Kustomize
 * prints such an annotation as that text ("0755"), not as the decoded value.
 */
export function annotationSourceText(object: object): Readonly<Record<string, string>> | undefined {
  return ANNOTATION_TEXT.get(object);
}

const NO_KEY = Symbol("no key");

interface Frame {
  kind: 0 | 1 | 2; // 0 document, 1 mapping, 2 sequence
  // mapping: keys and values collected, object built at the end (keys sorted)
  keys: string[];
  keySet?: Set<string>;
  values: unknown[];
  seq: unknown[];
  key: string | typeof NO_KEY;
  keyIsMerge: boolean;
  merges: unknown[] | null;
  anchor: string | null;
  /** Offset of the collection start, for error lines. */
  start: number;
  /** Path role: 1 = object root (document root, or item of its `items`), 2 = its metadata, 3 = metadata.annotations, 4 = root `items` */
  role: number;
  annotationText: Record<string, string> | null;
  result: unknown;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const GO_INT = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;

/**
 * Characters Kustomize cannot print (go-yaml v2: "control characters are not allowed"), or prints so that
 * they are lost (a NEL becomes a space).
 */
const UNPRINTABLE_FOR_GO = /[\u007f-\u009f\ufffe\uffff]/;
const NULL_WORDS = new Set(["", "~", "null", "Null", "NULL"]);
const TRUE_V3 = new Set(["true", "True", "TRUE"]);
const FALSE_V3 = new Set(["false", "False", "FALSE"]);
const TRUE_V2 = new Set(["true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON"]);
const FALSE_V2 = new Set(["false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const INF_POS = new Set([".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]);
const INF_NEG = new Set(["-.inf", "-.Inf", "-.INF"]);
const NAN = new Set([".nan", ".NaN", ".NAN"]);

/** Result of resolving a scalar: a JSON value, or the special merge key. */
const MERGE = Symbol("merge");

class ScalarProblem extends Error {}

/** Go's strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64), on a string whose underscores were removed. */
function goParseInt(plain: string): number | undefined {
  const m = GO_INT.exec(plain);
  if (!m) return undefined;
  const sign = m[1];
  const body = m[2];
  let big: bigint;
  if (body.length > 1 && body[0] === "0" && body[1] >= "0" && body[1] <= "7") {
    big = BigInt("0o" + body.slice(1)); // legacy octal, 0755
  } else {
    big = BigInt(body); // decimal, 0x, 0o, 0b
  }
  if (sign === "-") big = -big;
  if (sign !== "") {
    // ParseUint rejects a sign, so signed values must fit int64.
    if (big < INT64_MIN || big > INT64_MAX) return undefined;
  } else if (big > UINT64_MAX) return undefined;
  const n = Number(big);
  return n === 0 ? 0 : n;
}

/** 1..31 depending on month and leap year. */
function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const TS_T = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;
const TS_SPACE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?$/;
const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

/**
 * go-yaml v3 timestamp resolution (formats "2006-1-2T15:4:5.999999999Z07:00", the same with a lower-case
 * t, "2006-1-2 15:4:5.999999999" and "2006-1-2"), returned as Go's JSON encoding of the time (RFC 3339
 * with nanoseconds, trailing zeros dropped, "Z" for a zero offset).
 */
export function goTimestamp(s: string): string | undefined {
  if (s.length < 8 || s[4] !== "-") return undefined;
  let m = TS_T.exec(s);
  let zone = "Z";
  if (m) zone = m[8];
  else m = TS_SPACE.exec(s) ?? TS_DATE.exec(s);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 60) return undefined;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm);
  }
  const frac = (m[7] ?? "").slice(0, 9).replace(/0+$/, "");
  let out = `${m[1]}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}`;
  if (frac) out += "." + frac;
  if (offsetMinutes === 0) return out + "Z";
  const abs = Math.abs(offsetMinutes);
  return `${out}${offsetMinutes < 0 ? "-" : "+"}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/**
 * The JSON value go-yaml gives a plain (unquoted, untagged) scalar. Throws ScalarProblem for values
 * Kustomize cannot turn into JSON (NaN, infinities).
 */
export function resolvePlain(text: string, flavor: GoYamlFlavor): unknown {
  if (text.length === 0) return null;
  const c = text.charCodeAt(0);
  const isDigit = c >= 48 && c <= 57;
  if (isDigit || c === 43 /* + */ || c === 45 /* - */) {
    if (INF_NEG.has(text) || INF_POS.has(text)) throw new ScalarProblem(`${text} (infinity) cannot be written as JSON`);
    // go-yaml v2 decodes timestamps into interface{} as strings; v3 as time.Time, which JSON prints in RFC 3339.
    if (flavor === "v3" && isDigit) {
      const ts = goTimestamp(text);
      if (ts !== undefined) return ts;
    }
    const plain = text.includes("_") ? text.replace(/_/g, "") : text;
    const asInt = goParseInt(plain);
    if (asInt !== undefined) return asInt;
    if (YAML_FLOAT.test(plain)) {
      // -0.0 stays -0: Go prints it "-0" in an annotation of a patched object; output turns it into 0.
      const f = Number(plain);
      if (Number.isFinite(f)) return f;
    }
    return text;
  }
  if (c === 46 /* . */) {
    if (INF_POS.has(text) || NAN.has(text)) throw new ScalarProblem(`${text} cannot be written as JSON`);
    if (DOT_FLOAT.test(text)) {
      const f = Number(text);
      if (Number.isFinite(f)) return f;
    }
    return text;
  }
  if (c === 126 /* ~ */ || c === 110 || c === 78 /* n N */) {
    if (NULL_WORDS.has(text)) return null;
  }
  if (flavor === "v3") {
    if (TRUE_V3.has(text)) return true;
    if (FALSE_V3.has(text)) return false;
  } else {
    if (TRUE_V2.has(text)) return true;
    if (FALSE_V2.has(text)) return false;
  }
  if (text === "<<") return MERGE;
  return text;
}

function explicitTag(tag: string): string | undefined {
  if (tag === "!") return "!";
  if (tag.startsWith("!!")) return tag.slice(2);
  if (tag.startsWith("!<tag:yaml.org,2002:") && tag.endsWith(">")) return tag.slice(20, -1);
  return undefined;
}

function resolveTagged(tagName: string, text: string, flavor: GoYamlFlavor): unknown {
  switch (tagName) {
    case "!":
    case "str":
      return text;
    case "null":
      if (NULL_WORDS.has(text)) return null;
      break;
    case "bool": {
      const v = resolvePlain(text, flavor);
      if (typeof v === "boolean") return v;
      break;
    }
    case "int": {
      const v = goParseInt(text.replace(/_/g, ""));
      if (v !== undefined) return v;
      break;
    }
    case "float": {
      const v = resolvePlain(text, flavor);
      if (typeof v === "number") return v;
      break;
    }
  }
  throw new ScalarProblem(`cannot decode ${JSON.stringify(text)} as !!${tagName}`);
}

/** Key order of `kubectl kustomize` output: go-yaml v2's sort of mapping keys (letters after other characters, digit runs compared as numbers). */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : 1;
}

function isLetterCode(c: number): boolean {
  if (c < 128) return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return /\p{L}/u.test(String.fromCodePoint(c));
}

function isDigitCode(c: number): boolean {
  if (c < 128) return c >= 48 && c <= 57;
  return /\p{Nd}/u.test(String.fromCodePoint(c));
}

function toCodePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function keyLess(as: string, bs: string): boolean {
  const ar = toCodePoints(as);
  const br = toCodePoints(bs);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetterCode(ar[i]);
    const bl = isLetterCode(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === 48 || br[i] === 48) {
      for (let j = i - 1; j >= 0 && isDigitCode(ar[j]); j--) {
        if (ar[j] !== 48) {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigitCode(ar[ai]); ai++) an = an * 10 + (ar[ai] - 48);
    let bi = i;
    for (; bi < br.length && isDigitCode(br[bi]); bi++) bn = bn * 10 + (br[bi] - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

/**
 * Builds an object whose own-key order is the Kustomize output order. go-yaml v2's comparison is not
 * transitive for some digit-heavy keys ("1e3" < "08" < "100m" < "1e3"), so kubectl's own order then
 * depends on Go's random map order; here the keys are first put in code-unit order, which makes the
 * result a function of the key set (deterministic, and stable when built again from its own output).
 */
export function sortedObject(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const n = keys.length;
  const out: Record<string, unknown> = {};
  if (n === 0) return out;
  let sorted = true;
  for (let i = 1; i < n; i++) {
    if (!keyLess(keys[i - 1], keys[i])) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    for (let i = 0; i < n; i++) setOwn(out, keys[i], values[i]);
    return out;
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => (keys[x] < keys[y] ? -1 : keys[x] > keys[y] ? 1 : 0));
  idx.sort((x, y) => compareKeys(keys[x], keys[y]));
  for (const i of idx) setOwn(out, keys[i], values[i]);
  return out;
}

/** Assigns an own property, also for the key "__proto__". */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

/** Line (1-based) of a character offset, with a cursor that is cheap for increasing offsets. */
class LineIndex {
  private pos = 0;
  private line = 1;
  constructor(private readonly text: string) {}
  lineAt(offset: number): number {
    if (offset < this.pos) {
      this.pos = 0;
      this.line = 1;
    }
    const t = this.text;
    let i = t.indexOf("\n", this.pos);
    while (i >= 0 && i < offset) {
      this.line++;
      this.pos = i + 1;
      i = t.indexOf("\n", this.pos);
    }
    return this.line;
  }
}

function eventOffset(e: Event): number {
  switch (e.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return e.anchorStart >= 0 ? Math.min(e.anchorStart, e.start) : e.start;
    case EVENT_ID.SCALAR:
      return e.anchorStart >= 0 ? e.anchorStart : e.tagStart >= 0 ? e.tagStart : e.valueStart;
    case EVENT_ID.ALIAS:
      return e.anchorStart;
    default:
      return -1;
  }
}

/**
 * Parses every document of `text` with go-yaml's value semantics (`flavor`). Empty documents are
 * dropped. `file` names the file in errors.
 */
export function parseGoYaml(text: string, file: string, flavor: GoYamlFlavor): GoYamlDocument[] {
  let events: Event[];
  try {
    events = parseEvents(text, { filename: file });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? String(error);
    throw new YamlSyntaxError(file, mark ? mark.line + 1 : 1, mark ? mark.column + 1 : 1, reason);
  }
  const lines = new LineIndex(text);
  const docs: GoYamlDocument[] = [];
  const anchors = new Map<string, unknown>();
  const stack: Frame[] = [];
  let top: Frame | undefined;
  let docStart = -1;

  const fail = (offset: number, reason: string): never => {
    throw new YamlSyntaxError(file, offset >= 0 ? lines.lineAt(offset) : 1, 1, reason);
  };
  const unsupported = (offset: number, reason: string): never => {
    throw new UnsupportedYamlError(file, offset >= 0 ? lines.lineAt(offset) : 1, reason);
  };

  const newFrame = (kind: 0 | 1 | 2, start: number, anchor: string | null, role: number): Frame => ({
    kind,
    keys: [],
    values: [],
    seq: [],
    key: NO_KEY,
    keyIsMerge: false,
    merges: null,
    anchor,
    start,
    role,
    annotationText: null,
    result: undefined,
  });

  /** Adds a finished node (value) to the frame on top. `plainText` is the source of a plain scalar. */
  const addValue = (value: unknown, offset: number, plainText: string | undefined, isKeyCandidate: boolean): void => {
    const f = top!;
    if (value === MERGE && (f.kind !== 1 || f.key !== NO_KEY)) value = "<<";
    if (f.kind === 2) {
      f.seq.push(value);
      return;
    }
    if (f.kind === 0) {
      f.result = value;
      return;
    }
    if (f.key === NO_KEY) {
      // This node is a key.
      if (value === MERGE) {
        f.keyIsMerge = true;
        f.key = "<<";
        return;
      }
      if (!isKeyCandidate) unsupported(offset, "a mapping key that is a mapping or a sequence");
      if (typeof value !== "string") {
        unsupported(offset, `a mapping key that is not a string (${JSON.stringify(value)})`);
      }
      const key = value as string;
      // Kustomize reads any "<<" key, quoted or not, as a merge key.
      if (key === "<<") unsupported(offset, 'a quoted "<<" mapping key');
      if (f.keys.length < 16 ? f.keys.includes(key) : (f.keySet ??= new Set(f.keys)).has(key)) {
        // go-yaml v3 refuses duplicate keys; sigs.k8s.io/yaml (v2) keeps the last one in patches.
        if (flavor === "v2") unsupported(offset, `a duplicate mapping key "${key}"`);
        fail(offset, `mapping key "${key}" already defined`);
      }
      f.keySet?.add(key);
      f.key = key;
      return;
    }
    if (f.keyIsMerge) {
      if (f.merges === null) f.merges = [];
      if (Array.isArray(value)) f.merges.push(...value);
      else f.merges.push(value);
      for (const m of f.merges) {
        if (m === null || typeof m !== "object" || Array.isArray(m)) fail(offset, "map merge requires a mapping or a list of mappings");
      }
      f.keyIsMerge = false;
      f.key = NO_KEY;
      return;
    }
    if (f.role === 3 && plainText !== undefined) {
      if (f.annotationText === null) f.annotationText = {};
      setOwn(f.annotationText, f.key as string, plainText);
    } else if (f.role === 3 && value !== null && typeof value === "object") {
      unsupported(offset, "an annotation value that is not a scalar");
    }
    f.keys.push(f.key as string);
    f.values.push(value);
    f.key = NO_KEY;
  };

  const childRole = (isMap: boolean): number => {
    const f = top!;
    if (f.kind === 0) return isMap ? 1 : 0;
    if (f.kind === 2) return f.role === 4 && isMap ? 1 : 0;
    if (f.key !== NO_KEY && !f.keyIsMerge) {
      if (isMap && f.role === 1 && f.key === "metadata") return 2;
      if (isMap && f.role === 2 && f.key === "annotations") return 3;
      if (!isMap && f.role === 1 && f.key === "items" && stack.length === 2) return 4;
    }
    return 0;
  };

  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    switch (e.type) {
      case EVENT_ID.DOCUMENT: {
        anchors.clear();
        top = newFrame(0, -1, null, 0);
        stack.push(top);
        docStart = -1;
        break;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const offset = eventOffset(e);
        if (top!.kind === 0) docStart = offset;
        if (e.tagStart >= 0) {
          const tag = explicitTag(text.slice(e.tagStart, e.tagEnd));
          const expected = e.type === EVENT_ID.MAPPING ? "map" : "seq";
          if (tag !== expected && tag !== "!") unsupported(offset, `the tag ${text.slice(e.tagStart, e.tagEnd)}`);
        }
        const anchor = e.anchorStart >= 0 ? text.slice(e.anchorStart, e.anchorEnd) : null;
        const isMap = e.type === EVENT_ID.MAPPING;
        const frame = newFrame(isMap ? 1 : 2, offset, anchor, childRole(isMap));
        // A mapping used as a key is not supported; detect it when it finishes.
        stack.push(frame);
        top = frame;
        if (anchor !== null) anchors.set(anchor, undefined);
        break;
      }
      case EVENT_ID.SCALAR: {
        const s = e as ScalarEvent;
        const offset = eventOffset(s);
        if (top!.kind === 0) docStart = offset;
        const raw = s.fast ? text.slice(s.valueStart, s.valueEnd) : getScalarValue(text, s);
        // Kustomize prints through go-yaml v2, which refuses or mangles these characters: let real
        // Kustomize show what it does with them.
        if (!s.fast && UNPRINTABLE_FOR_GO.test(raw)) unsupported(offset, "a string with a character Kustomize cannot print");
        let value: unknown;
        let plainText: string | undefined;
        try {
          if (s.tagStart >= 0) {
            const tagText = text.slice(s.tagStart, s.tagEnd);
            const tag = explicitTag(tagText);
            if (tag === undefined) unsupported(offset, `the tag ${tagText}`);
            if (tag === "timestamp" || tag === "binary" || tag === "merge" || tag === "map" || tag === "seq") {
              unsupported(offset, `the tag ${tagText}`);
            }
            value = resolveTagged(tag!, raw, flavor);
            plainText = value === raw ? undefined : raw;
          } else if (s.style === SCALAR_STYLE.PLAIN) {
            value = resolvePlain(raw, flavor);
            if (value !== MERGE && value !== raw) plainText = raw;
          } else {
            value = raw;
          }
        } catch (error) {
          if (error instanceof ScalarProblem) fail(offset, error.message);
          throw error;
        }
        if (s.anchorStart >= 0) anchors.set(text.slice(s.anchorStart, s.anchorEnd), value === MERGE ? "<<" : value);
        addValue(value, offset, plainText, true);
        break;
      }
      case EVENT_ID.ALIAS: {
        const name = text.slice(e.anchorStart, e.anchorEnd);
        const offset = eventOffset(e);
        if (top!.kind === 0) docStart = offset;
        if (!anchors.has(name)) fail(offset, `unknown anchor "${name}" referenced`);
        const value = anchors.get(name);
        if (value === undefined) unsupported(offset, `a recursive alias *${name}`);
        if (top!.role === 3 && top!.key !== NO_KEY && typeof value !== "string") {
          unsupported(offset, "an annotation value given by an alias");
        }
        addValue(value, offset, undefined, value === null || typeof value !== "object");
        break;
      }
      case EVENT_ID.POP: {
        const f = stack.pop()!;
        top = stack[stack.length - 1];
        if (f.kind === 0) {
          if (f.result !== undefined && f.result !== null) {
            docs.push({ line: docStart >= 0 ? lines.lineAt(docStart) : 1, value: f.result });
          }
          break;
        }
        let value: unknown;
        if (f.kind === 2) {
          value = f.seq;
        } else {
          if (f.merges !== null) {
            const present = new Set(f.keys);
            for (const source of f.merges as Record<string, unknown>[]) {
              for (const k of Object.keys(source)) {
                if (present.has(k)) continue;
                present.add(k);
                f.keys.push(k);
                f.values.push(source[k]);
              }
            }
            if (f.role === 3) unsupported(f.start, "a merge key in annotations");
          }
          value = sortedObject(f.keys, f.values);
        }
        if (f.anchor !== null) anchors.set(f.anchor, value);
        if (f.role === 3 && f.annotationText !== null) {
          // Hand the annotation source texts to the object root: below the metadata frame on the stack.
          const objectRoot = stack[stack.length - 2];
          if (objectRoot?.role === 1) objectRoot.annotationText = f.annotationText;
        }
        if (f.role === 1 && f.annotationText !== null) ANNOTATION_TEXT.set(value as object, f.annotationText);
        addValue(value, f.start, undefined, false);
        break;
      }
    }
  }
  return docs;
}
