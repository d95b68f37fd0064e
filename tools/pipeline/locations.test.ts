/**
 * Finding locations are memoised in the toolchain cache by the document's text and the field path:
 * the same line and column as without the memo, taken from it when the text is unchanged, found again
 * when the text changes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { flushMemos, forgetMemos } from "../workspace/cache.ts";
import { parseDocuments } from "../workspace/documents.ts";
import { validateItems, type CheckItem } from "./checks.ts";

const cacheDir = mkdtempSync(path.join(os.tmpdir(), "gitops-locations-"));
// Before the first check of this file's process: the memo lives in this folder.
process.env.GITOPS_CACHE_DIR = cacheDir;
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const YAML = `# settings
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  a: "1"
  port: 8080
`;

function items(text: string): CheckItem[] {
  return parseDocuments(text, "settings.yaml").map((doc) => ({ doc }));
}

const located = (text: string) => validateItems(items(text), "/nonexistent").map((f) => `${f.rule} ${f.line}:${f.column}`);

describe("memoised finding locations", () => {
  it("GIVEN a located finding WHEN the same document is checked again THEN the location comes from the memo; a changed text is located again", () => {
    expect(located(YAML)).toEqual(["schema/type 8:3"]);
    flushMemos();
    const dir = path.join(cacheDir, "locations");
    const [file] = readdirSync(dir);
    const memo = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { format: number; entries: Record<string, [number, number]> };
    expect(Object.values(memo.entries)).toEqual([[6, 3]]);
    // The field is 6 lines below the document's first line. A made-up position: a run that returns it did not parse the document.
    writeFileSync(path.join(dir, file), JSON.stringify({ ...memo, entries: Object.fromEntries(Object.keys(memo.entries).map((k) => [k, [2, 9]])) }));
    forgetMemos();
    expect(located(YAML)).toEqual(["schema/type 4:9"]);
    // Two lines more above the field: located again.
    expect(located(YAML.replace("\ndata:\n", "\ndata:\n  b: x\n  c: y\n"))).toEqual(["schema/type 10:3"]);
  });
});
