/**
 * A CRD's `pattern` is Go regexp (RE2) syntax, checked by the API server with Go; the validator checks it
 * with a JavaScript RegExp (ajv, `u` flag). This translates a pattern where the meaning is the same, and
 * says why when it cannot, so that the pattern is left out (with a note) instead of failing an object:
 *
 * - `\A` → `^`, `\z` → `$` (neither language has multi-line mode here), `(?P<name>…)` → `(?<name>…)`,
 *   `\Q…\E` → escaped literals, `\pL` → `\p{L}`, `\p{Greek}` → `\p{Script=Greek}`, `\x{…}` → `\u{…}`,
 *   octal escapes → `\u{…}`;
 * - POSIX classes (`[[:alpha:]]`, `[[:^digit:]]` alone in its brackets) → their ASCII ranges;
 * - Go's `\s` (`[\t\n\f\r ]`) and `.` (anything but `\n`; with `(?s)` anything), which are narrower or wider
 *   in JavaScript, spelled out;
 * - `(?i)` and `(?i:…)`: each ASCII letter (and letter range) in scope matched in both cases, with the two
 *   non-ASCII letters Go's case folding adds (K: U+212A KELVIN SIGN, s: U+017F LATIN SMALL LETTER LONG S);
 * - punctuation escaped in Go but not escapable in a JavaScript `u` pattern (`\_`, `\#`, `\-` outside a class)
 *   as the literal character; lone `{`, `}` and `]`, literal in Go, escaped.
 *
 * Not translated (skipped with the reason): `(?m)` and `(?U)`, case-insensitive non-ASCII letters or
 * Unicode classes, `\S` inside brackets, and anything JavaScript still cannot compile.
 */

export type PatternTranslation = { readonly pattern: string } | { readonly skipped: string };

interface Flags {
  readonly i: boolean;
  readonly s: boolean;
}

class Skip extends Error {}

const SYNTAX = new Set([..."^$\\.*+?()[]{}|/"]);
const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};
const GO_SPACE = "\\t\\n\\f\\r ";
/** Unicode general categories (and Any), spelled the same in both languages. */
const CATEGORIES = new Set("Any C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split(" "));

/** Translations already made: CRDs repeat the same patterns (names, durations, quantities) many times. */
const translations = new Map<string, PatternTranslation>();

/** The JavaScript pattern with the same meaning as a Go (RE2) one, or why there is none. */
export function translateRe2Pattern(source: string): PatternTranslation {
  let known = translations.get(source);
  if (!known) {
    known = translate(source);
    translations.set(source, known);
  }
  return known;
}

function translate(source: string): PatternTranslation {
  let pattern: string;
  try {
    pattern = new Translator(source).run();
  } catch (error) {
    if (error instanceof Skip) return { skipped: error.message };
    throw error;
  }
  try {
    new RegExp(pattern, "u");
  } catch (error) {
    return { skipped: `JavaScript cannot compile it (${(error as Error).message.replace(/^Invalid regular expression: \/.*\/u?: /, "")})` };
  }
  return { pattern };
}

class Translator {
  private i = 0;
  private out = "";
  /** Flags of each open group, innermost last; the first entry is the whole pattern. */
  private readonly flags: Flags[] = [{ i: false, s: false }];

  constructor(private readonly src: string) {}

  private get current(): Flags {
    return this.flags[this.flags.length - 1]!;
  }

  run(): string {
    const src = this.src;
    while (this.i < src.length) {
      const c = src[this.i]!;
      if (c === "\\") this.escape();
      else if (c === "[") this.charClass();
      else if (c === "(") this.openGroup();
      else if (c === ")") {
        if (this.flags.length > 1) this.flags.pop();
        this.out += ")";
        this.i++;
      } else if (c === ".") {
        this.out += this.current.s ? "[\\s\\S]" : "[^\\n]";
        this.i++;
      } else if (c === "{") {
        const repeat = /^\{\d+(?:,\d*)?\}/.exec(src.slice(this.i));
        this.out += repeat ? repeat[0] : "\\{";
        this.i += repeat ? repeat[0].length : 1;
      } else if (c === "}" || c === "]") {
        this.out += `\\${c}`;
        this.i++;
      } else {
        this.out += this.literal(c);
        this.i++;
      }
    }
    return this.out;
  }

  /** A literal character outside brackets, in both cases under (?i). */
  private literal(c: string): string {
    if (!this.current.i || !/\p{L}/u.test(c)) return c;
    const folds = caseFolds(c);
    return `[${folds.join("")}]`;
  }

  private openGroup(): void {
    const rest = this.src.slice(this.i);
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.flags.push(this.current);
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    const flagged = /^\(\?([A-Za-z]*)(?:-([A-Za-z]*))?(:|\))/.exec(rest);
    if (flagged) {
      const next = applyFlags(this.current, flagged[1] ?? "", flagged[2] ?? "");
      if (flagged[3] === ":") {
        this.flags.push(next);
        this.out += "(?:";
      } else {
        // `(?i)`: from here to the end of the enclosing group.
        this.flags[this.flags.length - 1] = next;
      }
      this.i += flagged[0].length;
      return;
    }
    if (rest.startsWith("(?")) throw new Skip(`the group ${JSON.stringify(rest.slice(0, 4))}… is not Go syntax`);
    this.flags.push(this.current);
    this.out += "(";
    this.i++;
  }

  /** An escape outside brackets. */
  private escape(): void {
    const src = this.src;
    const c = src[this.i + 1];
    if (c === undefined) throw new Skip("it ends with a lone backslash");
    this.i += 2;
    switch (c) {
      case "A":
        this.out += "^";
        return;
      case "z":
        this.out += "$";
        return;
      case "s":
        this.out += `[${GO_SPACE}]`;
        return;
      case "S":
        this.out += `[^${GO_SPACE}]`;
        return;
      case "Q": {
        const end = src.indexOf("\\E", this.i);
        const text = end < 0 ? src.slice(this.i) : src.slice(this.i, end);
        for (const ch of text) this.out += SYNTAX.has(ch) ? `\\${ch}` : this.literal(ch);
        this.i = end < 0 ? src.length : end + 2;
        return;
      }
      case "E":
        return;
      case "p":
      case "P":
        this.out += this.unicodeClass(c);
        return;
      default:
        this.out += this.simpleEscape(c, false);
    }
  }

  /** `\pL`, `\p{Greek}`: unchanged in meaning, but not under (?i), where case folding would widen it. */
  private unicodeClass(c: string): string {
    if (this.current.i) throw new Skip("a Unicode class under (?i) has no JavaScript equivalent without the i flag");
    const src = this.src;
    if (src[this.i] === "{") {
      const end = src.indexOf("}", this.i);
      if (end < 0) throw new Skip("an unclosed \\p{…}");
      let name = src.slice(this.i + 1, end);
      let sign = c;
      this.i = end + 1;
      // \p{^Greek} is Go's negation; a script name is `Script=` in JavaScript, a category is the same.
      if (name.startsWith("^")) {
        name = name.slice(1);
        sign = c === "p" ? "P" : "p";
      }
      return `\\${sign}{${CATEGORIES.has(name) ? name : `Script=${name}`}}`;
    }
    const name = src[this.i];
    if (name === undefined) throw new Skip("a \\p without a class name");
    this.i++;
    return `\\${c}{${name}}`;
  }

  /** Escapes that mean the same in and out of brackets. */
  private simpleEscape(c: string, inClass: boolean): string {
    const src = this.src;
    if ("dDwWbBntrfv".includes(c)) return `\\${c}`;
    if (c === "a") return "\\x07";
    if (c === "x") {
      if (src[this.i] === "{") {
        const end = src.indexOf("}", this.i);
        if (end < 0) throw new Skip("an unclosed \\x{…}");
        const hex = src.slice(this.i + 1, end);
        this.i = end + 1;
        return `\\u{${hex}}`;
      }
      const hex = src.slice(this.i, this.i + 2);
      this.i += 2;
      return `\\x${hex}`;
    }
    if (/[0-7]/.test(c)) {
      const digits = /^[0-7]{0,2}/.exec(src.slice(this.i))![0];
      this.i += digits.length;
      return `\\u{${parseInt(c + digits, 8).toString(16)}}`;
    }
    if (/[A-Za-z0-9]/.test(c)) throw new Skip(`\\${c} is not an escape JavaScript knows the same way`);
    // Punctuation: Go lets any be escaped; a JavaScript `u` pattern only its syntax characters (and `-` in brackets).
    if (SYNTAX.has(c) || (inClass && c === "-")) return `\\${c}`;
    return inClass ? c : this.literal(c);
  }

  /** A bracket expression, from `[` to its `]`. */
  private charClass(): void {
    const src = this.src;
    this.i++;
    let negated = false;
    if (src[this.i] === "^") {
      negated = true;
      this.i++;
    }
    const items: string[] = [];
    let first = true;
    for (;;) {
      if (this.i >= src.length) throw new Skip("an unclosed [");
      const c = src[this.i]!;
      if (c === "]" && !first) break;
      first = false;
      const posix = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(this.i));
      if (posix) {
        const ranges = POSIX[posix[2]!];
        if (!ranges) throw new Skip(`[:${posix[2]}:] is not a POSIX class`);
        if (posix[1]) {
          // [[:^alpha:]] alone is a negated class; beside other items it has no JavaScript form.
          if (items.length || src[this.i + posix[0].length] !== "]" || negated) throw new Skip(`[:^${posix[2]}:] beside other items in brackets`);
          negated = true;
        }
        items.push(ranges);
        this.i += posix[0].length;
        continue;
      }
      const start = this.classChar();
      if (src[this.i] === "-" && src[this.i + 1] !== undefined && src[this.i + 1] !== "]" && start.char !== undefined) {
        this.i++;
        const end = this.classChar();
        if (end.char === undefined) throw new Skip("a range that ends in a class escape");
        items.push(this.range(start.char, end.char, start.text, end.text));
      } else {
        items.push(start.char !== undefined && this.current.i ? this.foldedSingle(start.char, start.text) : start.text);
      }
    }
    this.i++;
    this.out += `[${negated ? "^" : ""}${items.join("")}]`;
  }

  /** One character (or escape) inside brackets: its text for JavaScript, and the character when it is one. */
  private classChar(): { text: string; char?: string } {
    const src = this.src;
    const c = String.fromCodePoint(src.codePointAt(this.i)!);
    if (c !== "\\") {
      this.i += c.length;
      return { text: "[]^-\\".includes(c) ? `\\${c}` : c, char: c };
    }
    const e = src[this.i + 1];
    if (e === undefined) throw new Skip("it ends with a lone backslash");
    this.i += 2;
    if (e === "s") return { text: GO_SPACE };
    if (e === "S") throw new Skip("\\S inside brackets has no JavaScript form");
    if (e === "p" || e === "P") return { text: this.unicodeClass(e) };
    if ("dDwW".includes(e)) return { text: `\\${e}` };
    const text = this.simpleEscape(e, true);
    const char = /^\\u\{([0-9a-fA-F]+)\}$/.exec(text)?.[1];
    if (char) return { text, char: String.fromCodePoint(parseInt(char, 16)) };
    if (/^\\x[0-9a-fA-F]{2}$/.test(text)) return { text, char: String.fromCharCode(parseInt(text.slice(2), 16)) };
    if (text === "\\n" || text === "\\t" || text === "\\r" || text === "\\f" || text === "\\v" || text === "\\x07") return { text };
    return { text, char: text.length === 2 && text[0] === "\\" ? text[1] : text };
  }

  private foldedSingle(c: string, text: string): string {
    if (!/\p{L}/u.test(c)) return text;
    return caseFolds(c).join("");
  }

  /** A range `a-z`; under (?i) with the other case's range too (ASCII letter ranges only). */
  private range(a: string, b: string, aText: string, bText: string): string {
    const own = `${aText}-${bText}`;
    if (!this.current.i) return own;
    const lo = a.codePointAt(0)!;
    const hi = b.codePointAt(0)!;
    const inRange = (from: string, to: string) => lo >= from.charCodeAt(0) && hi <= to.charCodeAt(0);
    const touchesLetters = [..."AZaz"].some((x) => x.charCodeAt(0) >= lo && x.charCodeAt(0) <= hi) || (lo < 0x80 && hi >= 0x80);
    if (!inRange("a", "z") && !inRange("A", "Z")) {
      if (touchesLetters || hi >= 0x80) throw new Skip(`the range ${a}-${b} under (?i)`);
      return own;
    }
    const shift = (ch: string) => (inRange("a", "z") ? ch.toUpperCase() : ch.toLowerCase());
    let extra = `${shift(a)}-${shift(b)}`;
    const covers = (ch: string) => ch.charCodeAt(0) >= lo && ch.charCodeAt(0) <= hi;
    if (covers("k") || covers("K")) extra += "\\u{212a}";
    if (covers("s") || covers("S")) extra += "\\u{17f}";
    return `${own}${extra}`;
  }
}

function applyFlags(flags: Flags, on: string, off: string): Flags {
  let next = { ...flags };
  for (const [letters, value] of [[on, true], [off, false]] as const) {
    for (const f of letters) {
      if (f === "i") next = { ...next, i: value };
      else if (f === "s") next = { ...next, s: value };
      else if (f === "m") throw new Skip("the flag (?m) (multi-line ^ and $) cannot be set inside a JSON Schema pattern");
      else if (f === "U") throw new Skip("the flag (?U) (ungreedy) has no JavaScript equivalent");
      else throw new Skip(`(?${f}) is not a Go flag`);
    }
  }
  return next;
}

/** The characters Go's (?i) matches for an ASCII letter; a non-ASCII letter is not translated. */
function caseFolds(c: string): string[] {
  if (!/^[A-Za-z]$/.test(c)) throw new Skip(`the letter ${JSON.stringify(c)} under (?i): only ASCII letters are translated`);
  const out = [c.toLowerCase(), c.toUpperCase()];
  if (c.toLowerCase() === "k") out.push("\\u{212a}");
  if (c.toLowerCase() === "s") out.push("\\u{17f}");
  return out;
}
