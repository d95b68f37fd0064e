import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import { COMMENT_MARKER, commentMarker, commentPlan, partOf } from "./comment-plan.mjs";
import type { ClusterObjects } from "./compare.ts";
import { diffClusters } from "./diff.ts";
import type { DiffReport } from "./model.ts";
import { diffOutputs } from "./outputs.ts";
import { GITHUB_COMMENT_LIMIT, markdownComments } from "./report.ts";

/** A report of `apps` Applications, each changing one ConfigMap of `lines` lines. */
function report(apps: number, lines: number): DiffReport {
  const side = (value: string): ClusterObjects => ({
    cluster: "dev",
    apps: Array.from({ length: apps }, (_, i) => ({
      name: `app-${String(i).padStart(3, "0")}`,
      objects: [
        {
          apiVersion: "v1",
          kind: "ConfigMap",
          metadata: { name: "big", namespace: `ns-${i}` },
          data: Object.fromEntries(Array.from({ length: lines }, (_, k) => [`key-${k}`, `${value}-${k}`])),
        } as KubeObject,
      ],
    })),
  });
  return { base: { ref: "main", commit: "a".repeat(40) }, head: { ref: "HEAD", commit: "b".repeat(40) }, clusters: diffClusters([side("old")], [side("new")]) };
}

const apps = (parts: readonly string[]) => parts.flatMap((p) => [...p.matchAll(/<summary><b>dev<\/b> \/ (app-\d+):/g)].map((m) => m[1]));
const balanced = (part: string) => {
  expect((part.match(/<details>/g) ?? []).length).toBe((part.match(/<\/details>/g) ?? []).length);
  expect((part.match(/^```/gm) ?? []).length % 2).toBe(0);
};

describe("the pull-request comment split across comments", () => {
  it("GIVEN a diff longer than one comment THEN parts each under the limit, numbered, the summary in the first, every Application once and in order", () => {
    const parts = markdownComments(report(40, 30), { limit: 10_000, maxComments: 10, detailsUrl: "https://example.invalid/run/1" });
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.length).toBeLessThanOrEqual(10);
    for (const [i, part] of parts.entries()) {
      expect(part.length).toBeLessThanOrEqual(10_000);
      expect(partOf(part)).toBe(i + 1);
      balanced(part);
    }
    expect(parts[0].startsWith(`${COMMENT_MARKER}\n### Rendered diff: main (\`aaaaaaaaaaaa\`) → HEAD (\`bbbbbbbbbbbb\`) (part 1 of ${parts.length})\n`)).toBe(true);
    expect(parts[0]).toContain("| dev | 0 | 40 | 0 |");
    expect(parts[1].startsWith(`${commentMarker(2)}\n### Rendered diff, part 2 of ${parts.length}\n\n<details>`)).toBe(true);
    expect(parts.slice(1).join("")).not.toContain("| cluster | added |");
    expect(apps(parts)).toEqual(Array.from({ length: 40 }, (_, i) => `app-${String(i).padStart(3, "0")}`));
    expect(parts.join("")).not.toContain("left out");
  });

  it("GIVEN more than the comments allowed THEN the last lists what was left out, with the pointer to the full diff", () => {
    const parts = markdownComments(report(40, 30), { limit: 10_000, maxComments: 2, detailsUrl: "https://example.invalid/run/1" });
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(10_000);
    const left = /\*\*(\d+) Applications left out to stay under the 10,000-character limit\*\* \(dev\/app-\d+, .*\): see the full diff in the \[workflow artifact\]\(https:\/\/example\.invalid\/run\/1\)\.$/.exec(parts[1]);
    expect(left).not.toBeNull();
    expect(apps(parts).length + Number(left![1])).toBe(40);
  });

  it("GIVEN one Application longer than a comment THEN its section is cut at a line, its fence and fold closed, with the pointer", () => {
    const parts = markdownComments(report(2, 600), { limit: 8_000, maxComments: 10 });
    expect(apps(parts)).toEqual(["app-000", "app-001"]);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(8_000);
      balanced(part);
      expect(part).toContain("*This Application's diff is cut to stay under the 8,000-character limit: see the full diff in the workflow artifact (`gitops diff --output html`).*\n\n</details>");
    }
  });

  it("stays under the limit for any size (GitHub's limit by default)", () => {
    for (const [count, lines, limit] of [[1, 1, 5000], [3, 200, 4000], [25, 7, 3000], [7, 90, 12_345], [60, 40, undefined]] as const) {
      const parts = markdownComments(report(count, lines), { limit, maxComments: 4 });
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit ?? GITHUB_COMMENT_LIMIT);
      for (const part of parts) balanced(part);
    }
  });

  it("GIVEN a short diff THEN one comment, as before the split, and diffOutputs writes comment-1.md only", () => {
    const parts = markdownComments(report(2, 3), { maxComments: 10 });
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(/^<!-- gitops-diff -->\n### Rendered diff: main \(`aaaaaaaaaaaa`\) → HEAD \(`bbbbbbbbbbbb`\)\n/);
    expect(Object.keys(diffOutputs(report(2, 3)))).toEqual(["diff.txt", "diff.json", "diff.html", "comment-1.md"]);
    expect(Object.keys(diffOutputs(report(60, 60))).filter((n) => n.startsWith("comment-")).length).toBeGreaterThan(1);
  });
});

describe("commentPlan: posting the parts again", () => {
  const parts = [`${COMMENT_MARKER}\nsummary`, `${commentMarker(2)}\nmore`, `${commentMarker(3)}\nrest`];

  it("creates every part on a pull request without one, and ignores other comments", () => {
    expect(commentPlan([{ id: 1, body: "LGTM" }, { id: 2, body: "see <!-- gitops-diff --> below" }], parts)).toEqual({
      update: [],
      create: parts.map((body, i) => ({ part: i + 1, body })),
      remove: [],
    });
  });

  it("does nothing when posted again with the same parts (idempotent)", () => {
    const existing = parts.map((body, i) => ({ id: 10 + i, body }));
    expect(commentPlan(existing, parts)).toEqual({ update: [], create: [], remove: [] });
  });

  it("updates parts whose text changed, and deletes the parts a longer diff left behind", () => {
    const existing = [
      { id: 10, body: `${COMMENT_MARKER}\nold summary` },
      { id: 11, body: `${commentMarker(2)}\nmore` },
      { id: 12, body: `${commentMarker(3)}\nold` },
      { id: 13, body: `${commentMarker(4)}\nold` },
    ];
    expect(commentPlan(existing, parts.slice(0, 2))).toEqual({ update: [{ id: 10, part: 1, body: parts[0] }], create: [], remove: [12, 13] });
  });

  it("keeps the oldest comment of a part and deletes a second one", () => {
    const existing = [
      { id: 5, body: `${COMMENT_MARKER}\nsummary` },
      { id: 9, body: `${COMMENT_MARKER}\nduplicate` },
    ];
    expect(commentPlan(existing, parts.slice(0, 1))).toEqual({ update: [], create: [], remove: [9] });
  });

  it("reads the part of a body from its first line only", () => {
    expect(partOf(`${COMMENT_MARKER}\n`)).toBe(1);
    expect(partOf(commentMarker(12))).toBe(12);
    expect(partOf("<!-- gitops-diff part 0 -->")).toBeUndefined();
    expect(partOf("text\n<!-- gitops-diff -->")).toBeUndefined();
    expect(partOf(null)).toBeUndefined();
  });
});
