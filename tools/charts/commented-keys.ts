/**
 * Keys a chart documents only as comments in values.yaml (`# ingressClassName: nginx`,
 * `#   maxUnavailable: 1`): real options the chart's templates read, with no default. The closed
 * objects inferred from values.yaml would refuse them, so they are recovered from the comments.
 *
 * A comment line counts as a key when it reads `# key: value` with at most one value token (prose like
 * `# Note: see the docs` has several). Its indentation is the column of `#` plus the spaces after
 * `# ` (commenting inserts `# ` before the line or at its indentation); its parent is the innermost
 * mapping open at that line whose keys sit left of it. The children of a commented mapping are skipped.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";

const COMMENTED_KEY = /^(\s*)#(\s*)([A-Za-z_][A-Za-z0-9_.\-/]*):(?:\s+(\S+))?\s*$/;

/** Words that open prose comments (`# Ref: …`, `# Note: …`), not keys. */
const PROSE = /^(?:ref|refs|note|notes|example|examples|e\.g|i\.e|see|default|defaults|warning|important|todo|deprecated|docs?|source|link|more|info|usage|caution|nb|tip)$/i;

interface KeyLine {
  readonly line: number;
  readonly column: number;
  readonly path: readonly string[];
  /** Whether the key's value is a mapping (a parent for commented keys). */
  readonly isMap: boolean;
}

/** Paths (from the values root) of the keys that values.yaml documents only as comments. */
export function commentedKeys(valuesYaml: string): string[][] {
  const counter = new LineCounter();
  let doc;
  try {
    doc = parseDocument(valuesYaml, { lineCounter: counter, merge: true, uniqueKeys: false });
  } catch {
    return [];
  }
  if (doc.errors.length || !isMap(doc.contents)) return [];
  const keys: KeyLine[] = [];
  const walk = (node: Node | null | undefined, path: readonly string[]): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) continue;
      const key = String(pair.key.value);
      const pos = counter.linePos(pair.key.range[0]);
      const child = [...path, key];
      keys.push({ line: pos.line, column: pos.col - 1, path: child, isMap: isMap(pair.value) });
      if (isMap(pair.value)) walk(pair.value as Node, child);
      // Keys inside lists are examples of items, which are open anyway.
      else if (isSeq(pair.value)) continue;
    }
  };
  walk(doc.contents as Node, []);
  keys.sort((a, b) => a.line - b.line);
  const blockScalarLines = blockScalarRanges(doc.contents as Node, counter);
  const found: string[][] = [];
  const lines = valuesYaml.split("\n");
  const stack: KeyLine[] = [];
  let next = 0;
  // The indentation of a commented key with no value (a commented mapping): its commented children are
  // its own, and untyped with it.
  let commentedParent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    while (next < keys.length && keys[next].line <= lineNo) {
      const key = keys[next++];
      while (stack.length && stack[stack.length - 1].column >= key.column) stack.pop();
      stack.push(key);
      commentedParent = undefined;
    }
    if (blockScalarLines.some(([from, to]) => lineNo > from && lineNo <= to)) continue;
    const match = COMMENTED_KEY.exec(lines[i]);
    if (!match || PROSE.test(match[3]) || match[4]?.includes("://")) continue;
    const hash = match[1].length;
    const indent = hash + Math.max(0, match[2].length - 1);
    if (commentedParent !== undefined && indent > commentedParent) continue;
    commentedParent = match[4] === undefined ? indent : undefined;
    // Within the same run of real keys, the stack top may be a deeper key that has ended: drop what sits at or right of the indent.
    const parent = [...stack].reverse().find((k) => k.column < indent && k.isMap);
    if (indent === 0) found.push([match[3]]);
    else if (parent) found.push([...parent.path, match[3]]);
  }
  return found;
}

/** Line ranges [key line, last line] of block scalars (`key: |`), whose lines are text, not comments. */
function blockScalarRanges(root: Node, counter: LineCounter): [number, number][] {
  const ranges: [number, number][] = [];
  const visit = (node: unknown): void => {
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) visit(isPair(item) ? item.value : item);
    } else if (isScalar(node) && (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") && node.range) {
      // Its header line, then one line per line of text (the node's range runs on over trailing comments).
      const from = counter.linePos(node.range[0]).line;
      ranges.push([from, from + String(node.value).replace(/\n+$/, "").split("\n").length]);
    }
  };
  visit(root);
  return ranges;
}
