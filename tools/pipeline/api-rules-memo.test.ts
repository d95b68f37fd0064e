/**
 * The API-server rules' findings of a rendered document are memoised in the toolchain cache by the digest
 * of its text: the same findings as without the memo, taken from it when the text is unchanged, found
 * again when it changes or when the rules' code changes.
 */
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import {
  flushMemos,
  forgetMemos,
  sourceClosureDigest,
} from "../workspace/cache.ts";
import { itemsOfObjects } from "./check-run.ts";
import { validateItems } from "./checks.ts";
import { serializeObjects } from "./serialized.ts";

const cacheDir = mkdtempSync(path.join(os.tmpdir(), "gitops-api-rules-"));
// Before the first check of this file's process: the memo lives in this folder.
process.env.GITOPS_CACHE_DIR = cacheDir;
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

const service = (port: number): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "web", namespace: "a" },
  spec: { selector: { app: "web" }, ports: [{ port }] },
});

/** Findings of objects as a cluster's render checks them: each document with the digest of its text. */
const rendered = (objects: KubeObject[]) =>
  validateItems(
    itemsOfObjects(
      "dist/render/c/apps/web.yaml",
      objects,
      serializeObjects(objects),
    ),
    "/nonexistent",
  ).map((f) => `${f.rule} ${f.message}`);
/** The same objects without digests (as files given on the command line are checked). */
const plain = (objects: KubeObject[]) =>
  validateItems(
    objects.map((value, index) => ({
      doc: { file: "web.yaml", index, line: 1, text: "", value },
    })),
    "/nonexistent",
  ).map((f) => `${f.rule} ${f.message}`);

describe("memoised API-server rules", () => {
  it("GIVEN a rendered document checked once WHEN checked again THEN its rule findings come from the memo; a changed document is checked again", () => {
    const bad = [service(70000)];
    const expected = plain(bad);
    expect(expected.some((f) => f.startsWith("api/"))).toBe(true);
    expect(rendered(bad)).toEqual(expected);
    flushMemos();
    const dir = path.join(cacheDir, "api-rules");
    const [file] = readdirSync(dir);
    const memo = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as {
      format: number;
      entries: Record<string, unknown[]>;
    };
    // Every entry replaced by a made-up finding: whatever returns it did not run the rules.
    const marked = Object.fromEntries(
      Object.keys(memo.entries).map((k) => [
        k,
        [
          {
            rule: "api/marker",
            severity: "error",
            message: "from the memo",
            path: [],
          },
        ],
      ]),
    );
    writeFileSync(
      path.join(dir, file),
      JSON.stringify({ ...memo, entries: marked }),
    );
    forgetMemos();
    expect(rendered(bad).filter((f) => f.startsWith("api/"))).toEqual([
      "api/marker from the memo",
    ]);
    // Another text (another port): the rules run.
    expect(rendered([service(70001)])).toEqual(plain([service(70001)]));
    // No digest: the rules run, whatever the memo holds.
    expect(plain(bad)).toEqual(expected);
  });

  it("GIVEN an object with a field set to undefined and the same object without it THEN each gets its own findings, in either order", () => {
    const clean: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "a" }, data: { k: "v" } };
    const withUndefined = { ...clean, extra: undefined } as KubeObject;
    const rules = (objects: KubeObject[]) => rendered(objects).map((f) => f.split(" ")[0]);
    // ajv reports an unknown field even when it is undefined; the YAML text cannot show it, so it keys no memo.
    expect(rules([withUndefined])).toEqual(["schema/unknown-field"]);
    expect(rules([clean])).toEqual([]);
    expect(rules([withUndefined])).toEqual(["schema/unknown-field"]);
  });

  it("GIVEN the rules' code THEN the memo's name covers api-rules.ts and every module it imports, transitively", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-closure-"));
    try {
      writeFileSync(
        path.join(dir, "rules.ts"),
        'import { a } from "./a.ts";\nexport { b } from "./b.ts";\nimport { readFileSync } from "node:fs";\n',
      );
      writeFileSync(
        path.join(dir, "a.ts"),
        'import {\n  c,\n} from "./c.ts";\nexport const a = c;\n',
      );
      writeFileSync(path.join(dir, "b.ts"), "export const b = 1;\n");
      writeFileSync(path.join(dir, "c.ts"), "export const c = 1;\n");
      const before = sourceClosureDigest(path.join(dir, "rules.ts"));
      expect(before).toMatch(/^[0-9a-f]{64}$/);
      // A change two imports away (through a multi-line import) changes the digest.
      writeFileSync(path.join(dir, "c.ts"), "export const c = 2;\n");
      const after = sourceClosureDigest(path.join(dir, "rules.ts"));
      expect(after).not.toBe(before);
      writeFileSync(path.join(dir, "b.ts"), "export const b = 2;\n");
      expect(sourceClosureDigest(path.join(dir, "rules.ts"))).not.toBe(after);
      // An imported file that cannot be read: no digest, so no memo.
      rmSync(path.join(dir, "c.ts"));
      expect(sourceClosureDigest(path.join(dir, "rules.ts"))).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
