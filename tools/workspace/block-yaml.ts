import { CORE_SCHEMA } from "js-yaml";

/**
 * A fast reader for the block-style YAML that serialisers and most people write (Kubernetes manifests,
 * Helm output, Kustomize output): block mappings and sequences, single-line plain and quoted scalars,
 * literal block scalars, `[]` and `{}`. It gives exactly what js-yaml's `load` with the core schema
 * gives (scalars are resolved by js-yaml's own schema), and gives up on anything else: anchors,
 * aliases, tags, flow collections, folded or multi-line scalars, tabs, duplicate or merge keys, CRLF.
 * The caller then parses the document with js-yaml, which also reports the errors.
 * Why: js-yaml spends most of a validation run from files; this reader is several times faster on
 * the documents it accepts, and the differential test compares both on every document we hold.
 */
export const NOT_BLOCK_YAML: unique symbol = Symbol("not block YAML");

/** Thrown (never escapes) to give up on a document; preallocated: a give-up costs no stack trace. */
const GIVE_UP = { giveUp: true };

const SPACE = 32;
const DASH = 45;
const HASH = 35;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;

/** First characters of a plain scalar that YAML reserves for indicators: anything starting so is left to js-yaml. */
const INDICATOR = new Uint8Array(128);
for (const c of "[]{},#&*!|>'\"%@`?:-") INDICATOR[c.charCodeAt(0)] = 1;

const ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", t: "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
  " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
};

/** Line tables shared by every read (one document at a time): grown as needed, never allocated per document. */
let tables = { starts: new Int32Array(1024), ends: new Int32Array(1024), indents: new Int32Array(1024) };

function grow(): void {
  const size = tables.starts.length * 2;
  const next = { starts: new Int32Array(size), ends: new Int32Array(size), indents: new Int32Array(size) };
  next.starts.set(tables.starts);
  next.ends.set(tables.ends);
  next.indents.set(tables.indents);
  tables = next;
}

class Reader {
  /** Start offset, end offset (before "\n") and indentation (leading spaces) of each line. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly indents: Int32Array;
  private readonly count: number;
  /** The line being read. */
  private line = 0;

  constructor(private readonly text: string) {
    let pos = 0;
    let count = 0;
    const length = text.length;
    while (pos < length) {
      let end = text.indexOf("\n", pos);
      if (end < 0) end = length;
      let i = pos;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (count === tables.starts.length) grow();
      tables.starts[count] = pos;
      tables.ends[count] = end;
      tables.indents[count] = i - pos;
      count++;
      pos = end + 1;
    }
    this.starts = tables.starts;
    this.ends = tables.ends;
    this.indents = tables.indents;
    this.count = count;
  }

  read(): unknown {
    const first = this.nextContent();
    if (first < 0) throw GIVE_UP;
    const value = this.blockCollection(this.indents[first]);
    if (this.nextContent() >= 0) throw GIVE_UP;
    return value;
  }

  /** Index of the next line with content (not blank, not a comment), from the current one; -1 at the end. */
  private nextContent(): number {
    const { text, starts, ends, indents } = this;
    for (let i = this.line; i < this.count; i++) {
      const at = starts[i] + indents[i];
      if (at >= ends[i]) continue;
      if (text.charCodeAt(at) === HASH) continue;
      this.line = i;
      return i;
    }
    this.line = this.count;
    return -1;
  }

  private isDashEntry(i: number): boolean {
    const at = this.starts[i] + this.indents[i];
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.ends[i] || this.text.charCodeAt(at + 1) === SPACE;
  }

  /** A block mapping or sequence whose first line is the current line, at `indent`. */
  private blockCollection(indent: number): unknown {
    return this.isDashEntry(this.line) ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const { text, starts, ends, indents } = this;
    const items: unknown[] = [];
    for (;;) {
      const i = this.nextContent();
      if (i < 0 || indents[i] < indent) return items;
      if (indents[i] > indent) throw GIVE_UP;
      if (!this.isDashEntry(i)) return items;
      const end = ends[i];
      let p = starts[i] + indent + 1;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (p >= end || text.charCodeAt(p) === HASH) {
        this.line = i + 1;
        items.push(this.nestedOrNull(indent, false));
        continue;
      }
      const c = text.charCodeAt(p);
      if (c === DASH && (p + 1 === end || text.charCodeAt(p + 1) === SPACE)) throw GIVE_UP;
      if (this.keyEnd(p, end) >= 0) {
        // A compact mapping: its keys sit at the column of the first one.
        const column = p - starts[i];
        indents[i] = column;
        items.push(this.mapping(column));
        continue;
      }
      items.push(this.inlineValue(i, p, indent));
    }
  }

  private mapping(indent: number): Record<string, unknown> {
    const { text, starts, ends, indents } = this;
    const map: Record<string, unknown> = {};
    for (;;) {
      const i = this.nextContent();
      if (i < 0 || indents[i] < indent) return map;
      if (indents[i] > indent) throw GIVE_UP;
      const start = starts[i] + indent;
      const end = ends[i];
      if (this.isDashEntry(i)) {
        // A sequence at the indentation of its mapping's keys ends the mapping only where that mapping is a sequence item.
        return map;
      }
      const colon = this.keyEnd(start, end);
      if (colon < 0) throw GIVE_UP;
      const key = this.key(start, colon);
      if (key === "__proto__" || key === "<<" || Object.prototype.hasOwnProperty.call(map, key)) throw GIVE_UP;
      let p = colon + 1;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (p >= end || text.charCodeAt(p) === HASH) {
        this.line = i + 1;
        map[key] = this.nestedOrNull(indent, true);
      } else {
        map[key] = this.inlineValue(i, p, indent);
      }
    }
  }

  /** After `key:` or `-` with nothing on the line: a more indented collection, a sequence at the key's indentation, or null. */
  private nestedOrNull(indent: number, sequenceAtSameIndent: boolean): unknown {
    const next = this.nextContent();
    if (next < 0) return null;
    const nextIndent = this.indents[next];
    if (nextIndent > indent) return this.blockCollection(nextIndent);
    if (sequenceAtSameIndent && nextIndent === indent && this.isDashEntry(next)) return this.sequence(indent);
    return null;
  }

  /**
   * Where the key of a mapping entry starting at `start` ends (the offset of its `:`), or -1 when the
   * line is not a `key: value` entry this reader understands.
   */
  private keyEnd(start: number, end: number): number {
    const { text } = this;
    const c = text.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(start, end);
      if (close < 0) return -1;
      let p = close + 1;
      while (p < end && text.charCodeAt(p) === SPACE) p++;
      if (p < end && text.charCodeAt(p) === COLON && (p + 1 === end || text.charCodeAt(p + 1) === SPACE)) return p;
      return -1;
    }
    if (c < 128 && INDICATOR[c]) return -1;
    for (let p = start + 1; p < end; p++) {
      const ch = text.charCodeAt(p);
      if (ch === COLON && (p + 1 === end || text.charCodeAt(p + 1) === SPACE)) return p;
      // ` #` starts a comment: no key on this line.
      if (ch === HASH && text.charCodeAt(p - 1) === SPACE) return -1;
    }
    return -1;
  }

  private key(start: number, colon: number): string {
    const { text } = this;
    const c = text.charCodeAt(start);
    if (c === DQUOTE || c === SQUOTE) return this.quoted(start, this.quotedEnd(start, colon));
    let end = colon;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    return String(CORE_SCHEMA.resolveImplicitScalarTag(text.slice(start, end)).value);
  }

  /** The value written after `key: ` or `- ` on line `i` from offset `p`; `indent` is its parent's. */
  private inlineValue(i: number, p: number, indent: number): unknown {
    const { text } = this;
    const end = this.ends[i];
    const c = text.charCodeAt(p);
    let value: unknown;
    let after: number;
    if (c === DQUOTE || c === SQUOTE) {
      const close = this.quotedEnd(p, end);
      if (close < 0) throw GIVE_UP;
      value = this.quoted(p, close);
      after = close + 1;
    } else if (c === 124 /* | */) {
      return this.literal(i, p, indent);
    } else if ((c === 91 /* [ */ && text.charCodeAt(p + 1) === 93) || (c === 123 /* { */ && text.charCodeAt(p + 1) === 125)) {
      value = c === 91 ? [] : {};
      after = p + 2;
    } else {
      if (c < 128 && INDICATOR[c]) {
        // `-`, `?` and `:` start a plain scalar when a non-space follows them; others are indicators.
        if (!(c === DASH || c === 63 || c === COLON) || p + 1 >= end || text.charCodeAt(p + 1) === SPACE) throw GIVE_UP;
      }
      // The scalar ends at a comment (` #`) or at the end of the line; `: ` inside it is an error js-yaml reports.
      let stop = end;
      for (let q = p + 1; q < end; q++) {
        const ch = text.charCodeAt(q);
        if (ch === HASH && text.charCodeAt(q - 1) === SPACE) {
          stop = q;
          break;
        }
        if (ch === COLON && (q + 1 === end || text.charCodeAt(q + 1) === SPACE)) throw GIVE_UP;
      }
      while (text.charCodeAt(stop - 1) === SPACE) stop--;
      const source = text.slice(p, stop);
      value = CORE_SCHEMA.resolveImplicitScalarTag(source).value;
      after = end;
    }
    while (after < end && text.charCodeAt(after) === SPACE) after++;
    if (after < end && !(text.charCodeAt(after) === HASH && text.charCodeAt(after - 1) === SPACE)) throw GIVE_UP;
    this.line = i + 1;
    // A more indented line after a scalar continues it (a multi-line scalar) or is an error: js-yaml decides.
    const next = this.nextContent();
    if (next >= 0 && this.indents[next] > indent) throw GIVE_UP;
    return value;
  }

  /** Offset of the closing quote of a quoted scalar opened at `start`, on the same line; -1 if none. */
  private quotedEnd(start: number, end: number): number {
    const { text } = this;
    const quote = text.charCodeAt(start);
    let p = start + 1;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (quote === DQUOTE && c === 92 /* \ */) {
        p += 2;
        continue;
      }
      if (c === quote) {
        if (quote === SQUOTE && text.charCodeAt(p + 1) === SQUOTE) {
          p += 2;
          continue;
        }
        return p;
      }
      p++;
    }
    return -1;
  }

  private quoted(start: number, close: number): string {
    const body = this.text.slice(start + 1, close);
    if (this.text.charCodeAt(start) === SQUOTE) return body.includes("''") ? body.replaceAll("''", "'") : body;
    if (!body.includes("\\")) return body;
    let out = "";
    for (let p = 0; p < body.length; p++) {
      const ch = body[p];
      if (ch !== "\\") {
        out += ch;
        continue;
      }
      const e = body[++p];
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const digits = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
      const hex = body.slice(p + 1, p + 1 + digits);
      if (digits === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) throw GIVE_UP;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw GIVE_UP;
      out += String.fromCodePoint(code);
      p += digits;
    }
    return out;
  }

  /** A literal block scalar (`|` or `|-`) whose header is at `p` on line `i`, inside a node at `indent`. */
  private literal(i: number, p: number, indent: number): string {
    const { text, starts, ends, indents } = this;
    let h = p + 1;
    let strip = false;
    if (text.charCodeAt(h) === DASH) {
      strip = true;
      h++;
    }
    const end = ends[i];
    while (h < end && text.charCodeAt(h) === SPACE) h++;
    if (h < end && !(text.charCodeAt(h) === HASH && text.charCodeAt(h - 1) === SPACE)) throw GIVE_UP;
    // The first line with content fixes the block's indentation.
    let first = i + 1;
    while (first < this.count && starts[first] + indents[first] >= ends[first]) first++;
    if (first >= this.count) throw GIVE_UP;
    const m = indents[first];
    if (m <= indent) throw GIVE_UP;
    for (let j = i + 1; j < first; j++) if (indents[j] > m) throw GIVE_UP;
    const lines: string[] = [];
    let blanks = 0;
    let j = i + 1;
    for (; j < this.count; j++) {
      const blank = starts[j] + indents[j] >= ends[j];
      if (blank) {
        if (indents[j] > m) throw GIVE_UP;
        blanks++;
        continue;
      }
      if (indents[j] < m) {
        if (indents[j] > indent) throw GIVE_UP;
        break;
      }
      for (; blanks > 0; blanks--) lines.push("");
      lines.push(text.slice(starts[j] + m, ends[j]));
    }
    // The block's last line must end with a line break for the clip rule below to hold.
    const last = j - blanks - 1;
    if (ends[last] >= text.length) throw GIVE_UP;
    this.line = j - blanks;
    const body = lines.join("\n");
    return strip ? body : `${body}\n`;
  }
}

/**
 * The value of one YAML document (the text between `---` separators), read by the fast reader, or
 * NOT_BLOCK_YAML when the document uses anything it leaves to js-yaml.
 */
export function readBlockYaml(text: string): unknown {
  if (text.includes("\t") || text.includes("\r") || text.charCodeAt(0) === 0xfeff) return NOT_BLOCK_YAML;
  try {
    return new Reader(text).read();
  } catch (error) {
    if (error === GIVE_UP) return NOT_BLOCK_YAML;
    throw error;
  }
}
