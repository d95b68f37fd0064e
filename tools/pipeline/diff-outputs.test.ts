import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDirs } from "../testing/temp-workspace.ts";
import { writeDiffOutputs } from "./diff-refs.ts";

describe("writeDiffOutputs", () => {
  const temps = tempDirs();
  afterAll(temps.removeAll);

  it("replaces and removes only what an earlier run wrote, and never overwrites another file", () => {
    const dir = path.join(temps.make("gitops-diff-out-"), "out");
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

  it("GIVEN a person's file named like a temporary file THEN it is left as it was", () => {
    const dir = temps.make("gitops-diff-out-");
    writeFileSync(path.join(dir, "diff.txt.tmp"), "mine\n");
    writeDiffOutputs(dir, { "diff.txt": "one\n" });
    writeDiffOutputs(dir, { "diff.txt": "two\n" });
    expect(readdirSync(dir).sort()).toEqual([".gitops-diff", "diff.txt", "diff.txt.tmp"]);
    expect(readFileSync(path.join(dir, "diff.txt.tmp"), "utf8")).toBe("mine\n");
    expect(readFileSync(path.join(dir, "diff.txt"), "utf8")).toBe("two\n");
  });

  it("GIVEN a .gitops-diff that gitops diff did not write THEN it is refused, not trusted, and nothing is written", () => {
    const dir = temps.make("gitops-diff-out-");
    writeFileSync(path.join(dir, ".gitops-diff"), "notes.md\n");
    writeFileSync(path.join(dir, "notes.md"), "mine\n");
    expect(() => writeDiffOutputs(dir, { "notes.md": "theirs\n" })).toThrow(
      `gitops diff: --out-dir ${dir}: .gitops-diff exists and was not written by gitops diff; not overwriting it (remove it, or choose another folder)`,
    );
    expect(readdirSync(dir).sort()).toEqual([".gitops-diff", "notes.md"]);
    expect(readFileSync(path.join(dir, "notes.md"), "utf8")).toBe("mine\n");
    expect(readFileSync(path.join(dir, ".gitops-diff"), "utf8")).toBe("notes.md\n");
  });
});
