/**
 * Fast, deterministic YAML for rendered objects: `---` between documents, keys in each object's own
 * order, block style like `kubectl kustomize` prints (sequence items not indented under their key).
 *
 * A string is written plain only when no YAML 1.1 or 1.2 reader (go-yaml v2/v3 as kubectl and Argo CD
 * use, js-yaml, PyYAML) could take it for anything but that string: `yes`, `on`, `y`, `~`, `0755`,
 * `1e3`, `1_000`, `12:30`, `2024-01-01`, `.inf`, `<<` and the like are double-quoted. Multi-line strings
 * are literal blocks when that is unambiguous, double-quoted with escapes otherwise.
 */
import type { KubeObject } from "../model/kube-object.ts";

/** Words some YAML version reads as a boolean or null (compared in lower case). */
const WORDS = new Set(["y", "yes", "n", "no", "true", "false", "on", "off", "null", "~"]);

/** Plain-scalar fast path: starts with a letter, `_` or `/`, then letters, digits, `_ . / -`. */
const SIMPLE = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** Characters of every number, timestamp or sexagesimal form in YAML 1.1 and 1.2 (plus inf/nan letters). */
const NUMBER_LIKE = /^[0-9a-fA-FxXoObB_+\-.:eEtTzZiInN ]*$/;
/** Characters that must be escaped: controls, DEL, C1, line/paragraph separators, BOM, non-characters, lone surrogates. */
const NEEDS_ESCAPE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NEEDS_ESCAPE_G = new RegExp(NEEDS_ESCAPE.source, "g");
/** First characters that are YAML indicators, or start a non-string in some YAML version. */
const BAD_FIRST = new Set([..."-?:,[]{}#&*!|>'\"%@`~=<. \t"]);

function plainOk(s: string): boolean {
  if (s.length === 0) return false;
  if (SIMPLE.test(s)) return s.length > 5 || !WORDS.has(s.toLowerCase());
  const first = s[0];
  if (BAD_FIRST.has(first)) return false;
  const last = s[s.length - 1];
  if (last === " " || last === ":") return false;
  if (s.includes(": ") || s.includes(" #") || s.includes("\t") || s.includes("\n") || s.includes("\r")) return false;
  if (NEEDS_ESCAPE.test(s)) return false;
  if (WORDS.has(s.toLowerCase())) return false;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || first === "+") return !NUMBER_LIKE.test(s);
  return true;
}

const LONE_SURROGATE_G = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Set while a document is written when its text loses something of the value: a field or item that is
 * undefined (left out, or written as null), a lone surrogate (written as U+FFFD), -0 (written as 0).
 * Such a text does not determine the value, so no memo may be keyed by it (toYamlDocumentLines' `exact`).
 */
let lossy = false;

/**
 * A double-quoted YAML scalar: JSON's escapes, plus the characters YAML needs escaped and JSON does not.
 * A lone surrogate has no UTF-8 form (go-yaml rejects its escape): it is written as U+FFFD, as writing
 * the string to a UTF-8 file would.
 */
export function doubleQuoted(s: string): string {
  const fixed = NEEDS_ESCAPE.test(s) ? s.replace(LONE_SURROGATE_G, "\ufffd") : s;
  if (fixed !== s) lossy = true;
  const json = JSON.stringify(fixed);
  if (!NEEDS_ESCAPE.test(json)) return json;
  return json.replace(NEEDS_ESCAPE_G, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Whether a multi-line string can be a literal block (`|`) that reads back exactly. */
function literalOk(s: string): boolean {
  if (s.includes("\r") || NEEDS_ESCAPE.test(s)) return false;
  const first = s[0];
  // The first line fixes the block's indentation; it must start with content.
  if (first === " " || first === "\t" || first === "\n") return false;
  return true;
}

/** `key:` as written, for keys seen before (object keys repeat across documents). */
const KEY_TEXT = new Map<string, string>();

function keyText(k: string): string {
  let t = KEY_TEXT.get(k);
  if (t === undefined) {
    const before = lossy;
    lossy = false;
    t = (plainOk(k) ? k : doubleQuoted(k)) + ":";
    // A key written with a loss is not remembered, so that each document it is in is marked.
    if (!lossy && KEY_TEXT.size < 100_000) KEY_TEXT.set(k, t);
    lossy ||= before;
  }
  return t;
}

/**
 * A number every YAML reader takes for one: exponent forms get a fraction ("1.0e+21"), which YAML 1.1
 * requires for floats.
 */
function numberText(n: number): string {
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0 || s.lastIndexOf(".", e) >= 0) return s;
  return `${s.slice(0, e)}.0${s.slice(e)}`;
}

/** A string value after "key:" or "-" (with its leading space); `indent` is the indentation of block content. */
function stringValue(s: string, indent: string): string {
  if (plainOk(s)) return " " + s;
  if (s.includes("\n") && literalOk(s)) {
    // Chomping: "|-" no final newline, "|" one, "|+" more (kept).
    let chomp = "-";
    let body = s;
    if (s.endsWith("\n")) {
      body = s.slice(0, -1);
      chomp = body.endsWith("\n") || body === "" ? "+" : "";
    }
    let out = ` |${chomp}`;
    let start = 0;
    for (;;) {
      const nl = body.indexOf("\n", start);
      const line = nl < 0 ? body.slice(start) : body.slice(start, nl);
      out += line === "" ? "\n" : `\n${indent}${line}`;
      if (nl < 0) break;
      start = nl + 1;
    }
    return out;
  }
  return " " + doubleQuoted(s);
}

/** A scalar after "key:" or "-", with its leading space; undefined for mappings and sequences. */
function scalarValue(v: unknown, indent: string): string | undefined {
  switch (typeof v) {
    case "string":
      return stringValue(v, indent);
    case "number":
      if (Object.is(v, -0)) lossy = true;
      if (Number.isFinite(v)) return " " + numberText(v);
      return Number.isNaN(v) ? " .nan" : v > 0 ? " .inf" : " -.inf";
    case "boolean":
      return v ? " true" : " false";
    case "object":
      return v === null ? " null" : undefined;
    case "undefined":
      lossy = true;
      return " null";
    default:
      throw new TypeError(`cannot write a ${typeof v} as YAML`);
  }
}

/** Appends YAML text; one instance per call of toYamlDocuments. */
class Writer {
  out = "";
  /** Newlines written so far (counted as written: cheaper than scanning the text afterwards). */
  lines = 0;

  /** A scalar's text and its line end, counting the lines of a literal block. */
  private scalarLine(prefix: string, text: string): void {
    this.out += prefix + text + "\n";
    this.lines++;
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) this.lines++;
  }

  /** A mapping whose first line starts with `firstPrefix` and the others with `indent`. */
  mapping(o: Record<string, unknown>, keys: string[], indent: string, firstPrefix: string): void {
    let first = true;
    for (const key of keys) {
      const v = o[key];
      if (v === undefined) {
        lossy = true;
        continue;
      }
      this.out += (first ? firstPrefix : indent) + keyText(key);
      first = false;
      this.nested(v, indent);
    }
    if (first) {
      this.out += firstPrefix + "{}\n";
      this.lines++;
    }
  }

  /** The rest of a "key:" line whose value is `v`, and its nested lines; `indent` is the key's. */
  nested(v: unknown, indent: string): void {
    if (v !== null && typeof v === "object") {
      if (Array.isArray(v)) {
        this.lines++;
        if (v.length === 0) this.out += " []\n";
        else {
          this.out += "\n";
          this.sequence(v, indent, indent);
        }
        return;
      }
      const keys = Object.keys(v);
      this.lines++;
      if (keys.length === 0 || !keys.some((k) => (v as Record<string, unknown>)[k] !== undefined)) {
        if (keys.length) lossy = true;
        this.out += " {}\n";
        return;
      }
      this.out += "\n";
      const inner = indent + "  ";
      this.mapping(v as Record<string, unknown>, keys, inner, inner);
      return;
    }
    this.scalarLine("", scalarValue(v, indent + "  ")!);
  }

  /** A sequence, items at `indent` ("- "), the first one after `firstPrefix`. */
  sequence(a: readonly unknown[], indent: string, firstPrefix: string): void {
    const inner = indent + "  ";
    for (let i = 0; i < a.length; i++) {
      const prefix = i === 0 ? firstPrefix : indent;
      const v = a[i];
      if (v !== null && typeof v === "object") {
        if (Array.isArray(v)) {
          if (v.length === 0) {
            this.out += `${prefix}- []\n`;
            this.lines++;
          } else this.sequence(v, inner, prefix + "- ");
          continue;
        }
        const keys = Object.keys(v);
        if (keys.length === 0 || !keys.some((k) => (v as Record<string, unknown>)[k] !== undefined)) {
          if (keys.length) lossy = true;
          this.out += `${prefix}- {}\n`;
          this.lines++;
        } else this.mapping(v as Record<string, unknown>, keys, inner, prefix + "- ");
      } else {
        this.scalarLine(prefix + "-", scalarValue(v, inner)!);
      }
    }
  }

  document(value: unknown): void {
    if (value !== null && typeof value === "object") {
      if (Array.isArray(value)) {
        if (value.length === 0) {
          this.out += "[]\n";
          this.lines++;
        } else this.sequence(value, "", "");
      } else {
        this.mapping(value as Record<string, unknown>, Object.keys(value), "", "");
      }
      return;
    }
    this.scalarLine("", scalarValue(value, "  ")!.slice(1));
  }
}

/** One YAML document (ends with a newline). */
export function toYamlDocument(value: unknown): string {
  const w = new Writer();
  w.document(value);
  return w.out;
}

/**
 * One YAML document (ends with a newline), how many lines it has, and whether the text determines the
 * value (`exact`: nothing undefined, no lone surrogate, no -0), so that a memo may be keyed by it.
 */
export function toYamlDocumentLines(value: unknown): { text: string; lines: number; exact: boolean } {
  lossy = false;
  const w = new Writer();
  w.document(value);
  return { text: w.out, lines: w.lines, exact: !lossy };
}

/** Rendered objects as a multi-document YAML stream, `---` between documents. */
export function toYamlDocuments(objects: readonly KubeObject[]): string {
  const w = new Writer();
  for (let i = 0; i < objects.length; i++) {
    if (i > 0) w.out += "---\n";
    w.document(objects[i]);
  }
  return w.out;
}
