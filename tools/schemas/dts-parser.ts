/**
 * A small parser for the regular `.d.ts` files that kubernetes-models and the @kubernetes-models/* packages
 * ship (generated code: interfaces with `"field"?: Type;`, string-literal unions, `{ [key: string]: X }` maps,
 * `Array<X>`, type aliases and `export type { A as B }` lists). It reads declarations, not arbitrary
 * TypeScript: class bodies, functions and constants are skipped.
 */

export type KeywordName = "string" | "number" | "boolean" | "any" | "unknown" | "null" | "undefined" | "object" | "never";

export type TypeNode =
  | { readonly kind: "keyword"; readonly name: KeywordName }
  | { readonly kind: "literal"; readonly value: string | number | boolean }
  | { readonly kind: "array"; readonly element: TypeNode }
  | { readonly kind: "object"; readonly members: readonly PropertyNode[]; readonly index?: TypeNode }
  | { readonly kind: "ref"; readonly name: string; readonly member?: string }
  | { readonly kind: "union"; readonly types: readonly TypeNode[] }
  | { readonly kind: "intersection"; readonly types: readonly TypeNode[] };

export interface PropertyNode {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeNode;
}

export interface Declaration {
  readonly name: string;
  readonly form: "interface" | "alias";
  /** Names in `interface X extends A, B` (generic arguments dropped). */
  readonly extends: readonly string[];
  /** For an interface: an object type of its own members; for an alias: the aliased type. */
  readonly type: TypeNode;
}

export interface ParsedDts {
  /** Local name → imported name, from `import { A, B as C } from "…"`. */
  readonly imports: ReadonlyMap<string, { readonly imported: string; readonly from: string }>;
  readonly declarations: readonly Declaration[];
  /** Exported name → local name, from `export type { IX as IGlobalX }` and `export { … }`. */
  readonly exportAliases: ReadonlyMap<string, string>;
}

type TokenKind = "ident" | "string" | "number" | "punct" | "eof";
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
}

export class DtsParseError extends Error {}

const PUNCT = new Set(["{", "}", "[", "]", "<", ">", "(", ")", "|", "&", ";", ":", "?", ",", "=", ".", "*", "-", "+", "!", "@", "/", "%", "^", "~"]);

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < n && text[j] !== c) {
        if (text[j] === "\\") {
          const e = text[j + 1];
          value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : (e ?? "");
          j += 2;
        } else {
          value += text[j];
          j++;
        }
      }
      if (j >= n) throw new DtsParseError(`unterminated string at ${i}`);
      tokens.push({ kind: "string", text: value, pos: i });
      i = j + 1;
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0) throw new DtsParseError(`unterminated template at ${i}`);
      tokens.push({ kind: "string", text: text.slice(i + 1, end), pos: i });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9._xXa-fA-FeE]/.test(text[j]!)) j++;
      tokens.push({ kind: "number", text: text.slice(i, j), pos: i });
      i = j;
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < n && /[\w$]/.test(text[j]!)) j++;
      tokens.push({ kind: "ident", text: text.slice(i, j), pos: i });
      i = j;
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: "punct", text: c, pos: i });
      i++;
    } else {
      throw new DtsParseError(`unexpected character ${JSON.stringify(c)} at ${i}`);
    }
  }
  tokens.push({ kind: "eof", text: "", pos: n });
  return tokens;
}

const KEYWORDS: ReadonlySet<string> = new Set(["string", "number", "boolean", "any", "unknown", "null", "undefined", "object", "never"]);

class Parser {
  private i = 0;
  readonly imports = new Map<string, { imported: string; from: string }>();
  readonly declarations: Declaration[] = [];
  readonly exportAliases = new Map<string, string>();

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== "eof") this.i++;
    return t;
  }
  private is(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return (t.kind === "punct" || t.kind === "ident") && t.text === text;
  }
  private eat(text: string): boolean {
    if (this.is(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(text: string): void {
    if (!this.eat(text)) this.fail(`expected "${text}"`);
  }
  private ident(): string {
    const t = this.next();
    if (t.kind !== "ident") this.fail(`expected a name, got "${t.text}"`, t);
    return t.text;
  }
  private fail(message: string, token = this.peek()): never {
    throw new DtsParseError(`${this.file}: ${message} at offset ${token.pos}`);
  }

  parseFile(): void {
    while (this.peek().kind !== "eof") this.statement();
  }

  private statement(): void {
    if (this.eat(";")) return;
    if (this.is("import") && !this.is("(", 1)) return this.importStatement();
    if (this.eat("export")) {
      if (this.is("interface")) return this.interfaceDeclaration();
      if (this.is("type") && this.peek(1).kind === "ident" && this.is("=", 2)) return this.aliasDeclaration();
      if (this.is("type") && this.is("{", 1)) {
        this.next();
        return this.exportList();
      }
      if (this.is("{")) return this.exportList();
      return this.skipStatement();
    }
    if (this.is("interface")) return this.interfaceDeclaration();
    if (this.is("type") && this.peek(1).kind === "ident" && this.is("=", 2)) return this.aliasDeclaration();
    this.skipStatement();
  }

  private importStatement(): void {
    this.expect("import");
    this.eat("type");
    const names: [string, string][] = [];
    if (this.eat("{")) {
      while (!this.eat("}")) {
        this.eat("type");
        const imported = this.ident();
        const local = this.eat("as") ? this.ident() : imported;
        names.push([local, imported]);
        this.eat(",");
      }
    } else {
      // `import X from`, `import * as X from`, side-effect imports: nothing to record.
      while (!this.is("from") && this.peek().kind !== "string" && this.peek().kind !== "eof") this.next();
    }
    this.eat("from");
    const from = this.next();
    if (from.kind !== "string") this.fail("expected a module specifier", from);
    for (const [local, imported] of names) this.imports.set(local, { imported, from: from.text });
    this.eat(";");
  }

  private exportList(): void {
    this.expect("{");
    while (!this.eat("}")) {
      this.eat("type");
      const local = this.ident();
      const exported = this.eat("as") ? this.ident() : local;
      this.exportAliases.set(exported, local);
      this.eat(",");
    }
    if (this.eat("from")) this.next();
    this.eat(";");
  }

  private interfaceDeclaration(): void {
    this.expect("interface");
    const name = this.ident();
    if (this.is("<")) this.skipTypeArguments();
    const bases: string[] = [];
    if (this.eat("extends")) {
      do {
        let base = this.ident();
        while (this.eat(".")) base += "." + this.ident();
        if (this.is("<")) this.skipTypeArguments();
        bases.push(base);
      } while (this.eat(","));
    }
    const type = this.objectType();
    this.declarations.push({ name, form: "interface", extends: bases, type });
  }

  private aliasDeclaration(): void {
    this.expect("type");
    const name = this.ident();
    this.expect("=");
    const type = this.type();
    this.eat(";");
    this.declarations.push({ name, form: "alias", extends: [], type });
  }

  /** Skips one statement: up to a `;` at depth 0, or the `}` that closes a top-level block. */
  private skipStatement(): void {
    let depth = 0;
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") return;
      if (t.kind !== "punct") continue;
      if (t.text === "{" || t.text === "(" || t.text === "[") depth++;
      else if (t.text === "}" || t.text === ")" || t.text === "]") {
        depth--;
        if (depth === 0 && t.text === "}" && !this.is(";") && !this.is(")") && !this.is("|") && !this.is("&")) return;
      } else if (t.text === ";" && depth <= 0) return;
    }
  }

  private skipTypeArguments(): void {
    this.expect("<");
    let depth = 1;
    while (depth > 0) {
      const t = this.next();
      if (t.kind === "eof") this.fail("unterminated type arguments");
      if (t.kind === "punct" && t.text === "<") depth++;
      else if (t.kind === "punct" && t.text === ">") depth--;
    }
  }

  private objectType(): TypeNode {
    this.expect("{");
    const members: PropertyNode[] = [];
    let index: TypeNode | undefined;
    while (!this.eat("}")) {
      this.eat("readonly");
      if (this.is("[")) {
        // `[key: string]: X`
        this.expect("[");
        this.ident();
        this.expect(":");
        this.type();
        this.expect("]");
        this.eat("?");
        this.expect(":");
        index = this.type();
      } else {
        const t = this.next();
        if (t.kind !== "string" && t.kind !== "ident" && t.kind !== "number") this.fail(`expected a property name, got "${t.text}"`, t);
        const optional = this.eat("?");
        if (this.is("(") || this.is("<")) this.fail(`methods are not supported (${t.text})`);
        this.expect(":");
        members.push({ name: t.text, optional, type: this.type() });
      }
      if (!this.eat(";")) this.eat(",");
    }
    return index ? { kind: "object", members, index } : { kind: "object", members };
  }

  type(): TypeNode {
    this.eat("|");
    const types = [this.intersection()];
    while (this.eat("|")) types.push(this.intersection());
    return types.length === 1 ? types[0]! : { kind: "union", types };
  }

  private intersection(): TypeNode {
    this.eat("&");
    const types = [this.postfix()];
    while (this.eat("&")) types.push(this.postfix());
    return types.length === 1 ? types[0]! : { kind: "intersection", types };
  }

  private postfix(): TypeNode {
    let type = this.primary();
    while (this.is("[")) {
      if (this.is("]", 1)) {
        this.next();
        this.next();
        type = { kind: "array", element: type };
      } else if (this.peek(1).kind === "string" && this.is("]", 2) && type.kind === "ref" && type.member === undefined) {
        this.next();
        const member = this.next().text;
        this.next();
        type = { kind: "ref", name: type.name, member };
      } else this.fail("unsupported indexed access type");
    }
    return type;
  }

  private primary(): TypeNode {
    const t = this.peek();
    if (t.kind === "string") {
      this.next();
      return { kind: "literal", value: t.text };
    }
    if (t.kind === "number" || (t.kind === "punct" && t.text === "-" && this.peek(1).kind === "number")) {
      const negative = this.eat("-");
      const value = Number(this.next().text);
      return { kind: "literal", value: negative ? -value : value };
    }
    if (this.is("{")) return this.objectType();
    if (this.eat("(")) {
      const inner = this.type();
      this.expect(")");
      return inner;
    }
    if (t.kind === "ident") {
      if (t.text === "true" || t.text === "false") {
        this.next();
        return { kind: "literal", value: t.text === "true" };
      }
      if (KEYWORDS.has(t.text)) {
        this.next();
        return { kind: "keyword", name: t.text as KeywordName };
      }
      if (t.text === "import" && this.is("(", 1)) {
        // import("module").Name<…>: only seen in class statics; keep the name.
        this.next();
        this.next();
        this.next();
        this.expect(")");
        this.expect(".");
        const name = this.ident();
        if (this.is("<")) this.skipTypeArguments();
        return { kind: "ref", name };
      }
      let name = this.ident();
      while (this.eat(".")) name += "." + this.ident();
      if (this.is("<")) {
        if (name === "Array" || name === "ReadonlyArray") {
          this.expect("<");
          const element = this.type();
          this.expect(">");
          return { kind: "array", element };
        }
        if (name === "Record") {
          this.expect("<");
          this.type();
          this.expect(",");
          const value = this.type();
          this.expect(">");
          return { kind: "object", members: [], index: value };
        }
        this.skipTypeArguments();
      }
      return { kind: "ref", name };
    }
    this.fail(`unexpected "${t.text}" in a type`);
  }
}

/** Parses the declarations of one `.d.ts` text; `file` names it in errors. */
export function parseDts(text: string, file = "<d.ts>"): ParsedDts {
  const parser = new Parser(tokenize(text), file);
  parser.parseFile();
  return { imports: parser.imports, declarations: parser.declarations, exportAliases: parser.exportAliases };
}

/** Parses one type expression (for tests and small uses). */
export function parseType(text: string): TypeNode {
  const parser = new Parser(tokenize(text), "<type>");
  return parser.type();
}
