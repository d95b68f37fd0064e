import { readFileSync } from "node:fs";
import * as jsyaml from "js-yaml";
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from "yaml";
import { NOT_BLOCK_YAML, readBlockYaml } from "./block-yaml.ts";

/** One YAML document of a file, parsed; `line` is the 1-based line where its content starts. */
export interface LoadedDocument {
  readonly file: string;
  readonly index: number;
  readonly line: number;
  /** The document's text, kept so that a finding can be located inside it without reading the file again. */
  readonly text: string;
  /**
   * sha256 (base64url) of `text`, when the text determines `value` (the renderer's serialisation of a
   * parsed object): memos keyed by the object use it instead of hashing the object.
   */
  readonly digest?: string;
  readonly value: unknown;
}

export class DocumentParseError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}

/**
 * Splits a multi-document YAML (or JSON) text at `---` lines. Block scalars are indented, so a `---` at
 * column 0 always separates documents.
 */
export function splitDocuments(text: string): { text: string; line: number }[] {
  const docs: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 1;
  let line = 1;
  let pos = 0;
  while (pos <= text.length) {
    const end = text.indexOf("\n", pos);
    const lineEnd = end < 0 ? text.length : end;
    const first = text.charCodeAt(pos);
    // Only a line starting with `-` or `.` can be a separator: the others are not sliced and tested.
    const content = first === 45 || first === 46 ? text.slice(pos, lineEnd) : "";
    if (content !== "" && /^(---|\.\.\.)(\s|$)/.test(content)) {
      docs.push({ text: text.slice(start, pos), line: startLine });
      // Content after `--- ` on the same line belongs to the next document.
      const rest = content.startsWith("---") ? content.slice(3) : "";
      start = pos + (content.length - rest.length);
      startLine = line;
    }
    if (end < 0) break;
    pos = end + 1;
    line++;
  }
  docs.push({ text: text.slice(start), line: startLine });
  return docs.filter((d) => d.text.trim() !== "" && !/^\s*(#.*)?(\n\s*(#.*)?)*$/.test(d.text));
}

/** Parses every document of a YAML or JSON text; throws DocumentParseError naming file and line. */
export function parseDocuments(text: string, file: string): LoadedDocument[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const value = JSON.parse(text);
      const items = Array.isArray(value) ? value : [value];
      return items.map((v, index) => ({ file, index, line: 1, text, value: v }));
    } catch {
      // Not JSON after all (YAML flow style); fall through to the YAML parser.
    }
  }
  return splitDocuments(text).map((doc, index) => {
    let value: unknown;
    try {
      value = loadYaml(doc.text, file);
    } catch (error) {
      const mark = (error as { mark?: { line: number; column: number } }).mark;
      const reason = (error as { reason?: string }).reason ?? String(error);
      const startLineOffset = leadingLineOffset(doc.text);
      throw new DocumentParseError(
        file,
        doc.line + (mark ? mark.line : startLineOffset),
        mark ? mark.column + 1 : 1,
        `YAML does not parse: ${reason}`,
      );
    }
    return { file, index, line: doc.line + leadingLineOffset(doc.text), text: doc.text, value };
  });
}

/** One document's value: the fast block reader where it applies, js-yaml (which also reports errors) elsewhere. */
function loadYaml(text: string, file: string): unknown {
  const fast = readBlockYaml(text);
  return fast !== NOT_BLOCK_YAML ? fast : jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
}

function leadingLineOffset(text: string): number {
  // Lines of comments and blanks before the document's first content line (read line by line: documents can be large).
  let offset = 0;
  let pos = 0;
  while (pos <= text.length) {
    const end = text.indexOf("\n", pos);
    const line = text.slice(pos, end < 0 ? text.length : end);
    if (line.trim() === "" || line.trimStart().startsWith("#") || line.startsWith("---")) offset++;
    else break;
    if (end < 0) break;
    pos = end + 1;
  }
  return offset;
}

export function loadDocuments(file: string, displayName = file): LoadedDocument[] {
  return parseDocuments(readFileSync(file, "utf8"), displayName);
}

/**
 * Line and column of a field path inside a document, found by parsing that document again with a
 * position-keeping parser. Only called for documents that have findings. Falls back to the nearest
 * existing ancestor of the path (a missing field is reported where its parent is).
 */
const positionsOf = new WeakMap<LoadedDocument, { lineCounter: LineCounter; parsed: ReturnType<typeof parseDocument> }>();

export function locatePath(doc: LoadedDocument, path: readonly (string | number)[]): { line: number; column: number } {
  if (doc.text.trimStart().startsWith("{") || doc.text.trimStart().startsWith("[")) {
    return { line: doc.line, column: 1 };
  }
  let positions = positionsOf.get(doc);
  if (!positions) {
    // Parsed once per document: a document with many findings is not parsed again for each.
    const lineCounter = new LineCounter();
    positions = { lineCounter, parsed: parseDocument(doc.text, { lineCounter, keepSourceTokens: false, uniqueKeys: false }) };
    positionsOf.set(doc, positions);
  }
  const { lineCounter, parsed } = positions;
  let node: Node | null | undefined = parsed.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      const keyNode = pair.key as Node;
      offset = keyNode.range?.[0] ?? offset;
      node = pair.value as Node | null;
      if (node?.range && key === path[path.length - 1]) offset = keyNode.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof key === "number" && node.items[key]) {
      node = node.items[key] as Node;
      offset = node.range?.[0] ?? offset;
    } else break;
  }
  const pos = lineCounter.linePos(offset);
  const docOffsetLines = doc.line - 1 - leadingLineOffset(doc.text);
  return { line: pos.line + docOffsetLines, column: pos.col };
}

/**
 * Every document of a text that parses, and an error for each that does not: one broken document does
 * not hide the others. A JSON text is one document (a top-level array stays an array, which kubectl and
 * Kustomize reject, and the checks report).
 */
export function parseDocumentsTolerant(text: string, file: string): { docs: LoadedDocument[]; errors: DocumentParseError[] } {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return { docs: [{ file, index: 0, line: 1 + leadingLineOffset(text), text, value: JSON.parse(text) }], errors: [] };
    } catch {
      // Not JSON after all (YAML flow style, or several documents); the YAML parser decides.
    }
  }
  const docs: LoadedDocument[] = [];
  const errors: DocumentParseError[] = [];
  splitDocuments(text).forEach((doc, index) => {
    try {
      const value = loadYaml(doc.text, file);
      docs.push({ file, index, line: doc.line + leadingLineOffset(doc.text), text: doc.text, value });
    } catch (error) {
      const mark = (error as { mark?: { line: number; column: number } }).mark;
      const reason = (error as { reason?: string }).reason ?? String(error);
      errors.push(new DocumentParseError(file, doc.line + (mark ? mark.line : leadingLineOffset(doc.text)), mark ? mark.column + 1 : 1, `YAML does not parse: ${reason}`));
    }
  });
  return { docs, errors };
}
