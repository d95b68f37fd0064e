import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { toYamlDocuments } from "../render/serialize.ts";
import { tempDirs } from "../testing/temp-workspace.ts";
import {
  memoisedContents,
  serializeFile,
  serializeObjects,
  type SerializedFile,
} from "./serialized.ts";
import type { RenderedFile } from "./render-output.ts";

const temps = tempDirs();
afterAll(temps.removeAll);

let cache: string;
let saved: string | undefined;
beforeEach(() => {
  saved = process.env.GITOPS_CACHE_DIR;
  cache = temps.make("gitops-serialized-");
  process.env.GITOPS_CACHE_DIR = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
  else process.env.GITOPS_CACHE_DIR = saved;
});

// Multi-byte characters before later documents: offsets in the cache are bytes, not UTF-16 units.
const OBJECTS = [
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "a", namespace: "ns" },
    data: { greeting: "grüße, 世界 🚀", multi: "line one\nline two\n" },
  },
  {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "b", namespace: "ns" },
    data: { yes: "yes", n: "0755" },
  },
  {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "c", namespace: "ns" },
    spec: { ports: [{ port: 80 }] },
  },
];

const chartFile = (contentKey?: string): RenderedFile => ({
  file: "dist/render/c/charts/x.yaml",
  objects: OBJECTS,
  ...(contentKey ? { contentKey } : {}),
});

/** A SerializedFile as plain data (the cached form's texts are read through getters). */
function plain(s: SerializedFile): {
  content: string;
  documents: { text: string; line: number; digest?: string }[];
} {
  return {
    content: s.content.toString(),
    documents: s.documents.map((d) => ({
      text: d.text,
      line: d.line,
      digest: d.digest,
    })),
  };
}

const memoFiles = () => {
  try {
    return readdirSync(path.join(cache, "serialized")).sort();
  } catch {
    return [];
  }
};

describe("serializeFile", () => {
  it("GIVEN objects THEN the text is the renderer's, each document starts where the text says, and each digest is the sha256 of its text", () => {
    const s = serializeObjects(OBJECTS);
    expect(s.content).toBe(toYamlDocuments(OBJECTS));
    const lines = String(s.content).split("\n");
    for (const d of s.documents) {
      expect(
        lines
          .slice(d.line - 1)
          .join("\n")
          .startsWith(d.text),
      ).toBe(true);
      expect(d.digest).toBe(
        createHash("sha256").update(d.text).digest("base64url"),
      );
    }
    expect(s.documents.map((d) => d.line)).toEqual([1, 12, 21]);
  });

  it("GIVEN objects whose text loses something (an undefined field or item, a lone surrogate, -0) THEN their documents have no digest, also when read back from the cache", () => {
    const base = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    const lossy = [
      { ...base, extra: undefined },
      { ...base, data: { a: undefined } },
      { ...base, list: [1, undefined] },
      { ...base, data: { s: "broken \ud800 surrogate" } },
      { ...base, data: { ["key \udc00"]: "v" } },
      { ...base, spec: { zero: -0 } },
    ];
    const s = serializeObjects([base, ...lossy, { ...base, spec: { zero: 0 } }] as never[]);
    expect(s.documents.map((d) => d.digest !== undefined)).toEqual([true, false, false, false, false, false, false, true]);
    // The same key again (keys are remembered between documents): still marked.
    expect(serializeObjects([{ ...base, data: { ["key \udc00"]: "w" } }] as never[]).documents[0].digest).toBeUndefined();
    const file: RenderedFile = { file: "dist/render/c/charts/x.yaml", objects: [base, ...lossy] as never[], contentKey: "chart lossy namespace ns" };
    serializeFile(file);
    expect(plain(serializeFile(file))).toEqual(plain(serializeObjects(file.objects)));
    expect(serializeFile(file).documents.map((d) => d.digest !== undefined)).toEqual([true, false, false, false, false, false, false]);
  });

  it("GIVEN a file with a content key WHEN serialised again THEN the cached bytes and documents equal a fresh serialisation", () => {
    const fresh = plain(serializeObjects(OBJECTS));
    expect(plain(serializeFile(chartFile("chart k1 namespace ns")))).toEqual(
      fresh,
    );
    expect(memoFiles()).toHaveLength(2);
    const again = serializeFile(chartFile("chart k1 namespace ns"));
    expect(Buffer.isBuffer(again.content)).toBe(true);
    expect(plain(again)).toEqual(fresh);
    expect(
      memoisedContents([
        chartFile("chart k1 namespace ns"),
        { file: "dist/render/c/apps/y.yaml", objects: OBJECTS },
      ]),
    ).toEqual(
      new Map([["dist/render/c/charts/x.yaml", Buffer.from(fresh.content)]]),
    );
  });

  it("GIVEN a cached entry WHEN it is used THEN it is marked as used now, so that pruning the folder keeps it", () => {
    serializeFile(chartFile("chart k3 namespace ns"));
    const month = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    for (const f of memoFiles()) utimesSync(path.join(cache, "serialized", f), month, month);
    serializeFile(chartFile("chart k3 namespace ns"));
    for (const f of memoFiles()) expect(Date.now() - statSync(path.join(cache, "serialized", f)).mtimeMs).toBeLessThan(60_000);
  });

  it("GIVEN a file without a content key THEN nothing is cached", () => {
    expect(plain(serializeFile(chartFile()))).toEqual(
      plain(serializeObjects(OBJECTS)),
    );
    expect(memoFiles()).toEqual([]);
  });

  it("GIVEN a cached entry that was cut short or does not match the objects THEN it is not used", () => {
    serializeFile(chartFile("chart k2 namespace ns"));
    const text = memoFiles().find((f) => f.endsWith(".yaml"))!;
    const file = path.join(cache, "serialized", text);
    writeFileSync(file, readFileSync(file).subarray(0, 40));
    expect(plain(serializeFile(chartFile("chart k2 namespace ns")))).toEqual(
      plain(serializeObjects(OBJECTS)),
    );
    // Another number of objects under the same key (a caller's mistake): serialised, never sliced wrongly.
    const fewer = {
      ...chartFile("chart k2 namespace ns"),
      objects: OBJECTS.slice(0, 2),
    };
    expect(plain(serializeFile(fewer))).toEqual(
      plain(serializeObjects(OBJECTS.slice(0, 2))),
    );
  });
});
