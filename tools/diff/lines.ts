import { diffLines, structuredPatch } from "diff";
import { toYamlDocument } from "../render/serialize.ts";
import type { ObjectDiff } from "./model.ts";

/** The object as YAML, "" when it does not exist on that side. */
export function yamlOf(o: unknown): string {
  return o === undefined ? "" : toYamlDocument(o);
}

/** Unified diff lines of one object (` `, `-`, `+` prefixed), hunks headed by `@@`. */
export function unifiedLines(o: ObjectDiff, context = 3): string[] {
  const patch = structuredPatch("base", "head", yamlOf(o.before), yamlOf(o.after), "", "", { context });
  const out: string[] = [];
  for (const hunk of patch.hunks) {
    out.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith("\\")) out.push(line);
  }
  return out;
}

export interface SideBySideRow {
  readonly left?: { readonly n: number; readonly text: string };
  readonly right?: { readonly n: number; readonly text: string };
  readonly type: "same" | "removed" | "added" | "changed" | "fold";
  /** For a fold: how many unchanged lines it stands for. */
  readonly folded?: number;
}

/** Unchanged runs longer than twice the context shrink to their edges and one fold row. */
export function foldUnchanged(rows: readonly SideBySideRow[], context = 3): SideBySideRow[] {
  const out: SideBySideRow[] = [];
  let i = 0;
  while (i < rows.length) {
    if (rows[i].type !== "same") {
      out.push(rows[i++]);
      continue;
    }
    let j = i;
    while (j < rows.length && rows[j].type === "same") j++;
    const keepBefore = i === 0 ? 0 : context;
    const keepAfter = j === rows.length ? 0 : context;
    if (j - i > keepBefore + keepAfter + 1) {
      out.push(...rows.slice(i, i + keepBefore), { type: "fold", folded: j - i - keepBefore - keepAfter }, ...rows.slice(j - keepAfter, j));
    } else out.push(...rows.slice(i, j));
    i = j;
  }
  return out;
}

/** Rows for a side-by-side view: removed and added runs paired line by line. */
export function sideBySide(o: ObjectDiff): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let left = 0;
  let right = 0;
  const parts = diffLines(yamlOf(o.before), yamlOf(o.after));
  const split = (value: string) => value.replace(/\n$/, "").split("\n");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (!part.added && !part.removed) {
      for (const text of split(part.value)) rows.push({ type: "same", left: { n: ++left, text }, right: { n: ++right, text } });
      continue;
    }
    const removed = part.removed ? split(part.value) : [];
    const next = part.removed && parts[i + 1]?.added ? parts[++i] : undefined;
    const added = part.added ? split(part.value) : next ? split(next.value) : [];
    for (let j = 0; j < Math.max(removed.length, added.length); j++) {
      const l = j < removed.length ? { n: ++left, text: removed[j] } : undefined;
      const r = j < added.length ? { n: ++right, text: added[j] } : undefined;
      rows.push({ type: l && r ? "changed" : l ? "removed" : "added", ...(l ? { left: l } : {}), ...(r ? { right: r } : {}) });
    }
  }
  return rows;
}
