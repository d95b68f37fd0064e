import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeDiffOutputs } from "./diff-refs.ts";

describe("writeDiffOutputs", () => {
  it("replaces and removes only what an earlier run wrote, and never overwrites another file", () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-diff-out-")), "out");
    writeDiffOutputs(dir, { "diff.txt": "one\n", "comment-1.md": "1\n", "comment-2.md": "2\n" });
    writeFileSync(path.join(dir, "notes.md"), "mine\n");
    writeDiffOutputs(dir, { "diff.txt": "two\n", "comment-1.md": "1\n" });
    expect(readdirSync(dir).sort()).toEqual([".gitops-diff", "comment-1.md", "diff.txt", "notes.md"]);
    expect(readFileSync(path.join(dir, "diff.txt"), "utf8")).toBe("two\n");
    expect(() => writeDiffOutputs(dir, { "notes.md": "theirs\n" })).toThrow(
      `gitops diff: --out-dir ${dir}: notes.md exists and was not written by gitops diff; not overwriting it (remove it, or choose another folder)`,
    );
    expect(readFileSync(path.join(dir, "notes.md"), "utf8")).toBe("mine\n");
  });
});
