/**
 * toYaml prints what the `yaml` package prints, and formatYaml gives what prettier gives, without running
 * either where it is not needed. These tests hold the fast paths to the libraries they stand in for: on
 * every file of this repository and of a synthetic platform, and on random values (fixed seeds).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { flushMemos, forgetMemos } from "../workspace/cache.ts";
import { execFileSync } from "node:child_process";
import * as prettier from "prettier";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { fastYaml, formatYaml, generatedFileState, mayNeedFormatting, toYaml, yamlLibraryYaml } from "./yaml-file.ts";

/** mulberry32: a small seeded generator, so that every run tests the same values. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s |= 0;
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings that exercise every quoting rule: YAML 1.1 booleans, numbers, timestamps, indicators, document markers. */
const TRICKY = [
  "", " ", "a", "on", "On", "ON", "oN", "yes", "y", "Y", "n", "No", "~", "null", "Null", "true", "0755", "0o17", "0b101", "0x1F", "0xg", "1e3",
  "1E+3", "1.0", ".5", "5.", "+1", "-1", "1_000", "12:30", "1:2:3", "12:30.5", "2024-01-01", "2024-1-1 10:00:00", "2024-01-01T10:00:00Z", "-",
  "?", "- x", "? x", "-x", "?x", "a: b", "a:b", "a #b", "a#b", "#c", "'q'", '"dq"', "*star", "&amp", "!tag", "%p", "@at", "`bt`", "[x]", "{y}",
  "a, b", ",a", "| pipe", "> gt", "http://x.y/z?a=b#c", "${VAR}", "{{ .Values }}", "---", "--- x", "...", "..x", "<<", "=", "a:", "a ", " a",
  ".inf", "-.Inf", ".nan", "NaN", "x".repeat(90), "registry.example.com/team/app:1.2.3", "app.kubernetes.io/name", "$patch", "/spec/replicas",
  "100m", "1Gi", "v1", "1.34", "a\nb", "a\nb\n", "line1\n  indented\n", "trailing  \n", "tab\there", "back\\slash", "quote ' and \" both", "ü ñ 日本",
  "emoji 🚀", "cr\r\nlf", "long key that goes on and on and on and on and on and on and on and on and past eighty columns",
];

function value(rnd: () => number, depth = 0): unknown {
  const r = rnd();
  const pick = () => TRICKY[Math.floor(rnd() * TRICKY.length)] + (rnd() < 0.2 ? TRICKY[Math.floor(rnd() * TRICKY.length)] : "");
  if (depth > 4 || r < 0.45) {
    const t = rnd();
    if (t < 0.6) return pick();
    if (t < 0.7) return Math.floor(rnd() * 1e6) - 500;
    if (t < 0.74) return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 10);
    if (t < 0.8) return rnd() < 0.5;
    if (t < 0.9) return rnd() < 0.5 ? {} : [];
    return null;
  }
  if (r < 0.75) {
    const o: Record<string, unknown> = {};
    const n = Math.floor(rnd() * 5);
    for (let i = 0; i < n; i++) o[rnd() < 0.5 ? `key${Math.floor(rnd() * 50)}` : pick()] = value(rnd, depth + 1);
    return o;
  }
  return Array.from({ length: Math.floor(rnd() * 4) }, () => value(rnd, depth + 1));
}

function randomDocuments(seed: number, count: number): unknown[] {
  const rnd = random(seed);
  return Array.from({ length: count }, () => (rnd() < 0.5 ? { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: value(rnd) } : [value(rnd), value(rnd)]));
}

/** Every generated YAML file committed in this repository, with its body (the text after the two header lines). */
function committedGeneratedFiles(): { file: string; content: string; body: string }[] {
  const files = execFileSync("git", ["ls-files", "infrastructure", "apps", "clusters"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f.endsWith(".yaml"));
  return files
    .map((file) => ({ file, content: readFileSync(path.join(REPO_ROOT, file), "utf8") }))
    .filter(({ content }) => generatedFileState(content) !== "not-generated")
    .map(({ file, content }) => ({ file, content, body: content.split("\n").slice(2).join("\n") }));
}

describe("toYaml", () => {
  it("prints random values exactly as the yaml package does, and takes the fast path for most of them", () => {
    let fast = 0;
    const mismatches: string[] = [];
    for (const seed of [1, 2, 3]) {
      for (const doc of randomDocuments(seed, 3000)) {
        const quick = fastYaml(doc);
        const reference = yamlLibraryYaml(doc);
        expect(toYaml(doc)).toBe(reference);
        if (quick === undefined) continue;
        fast++;
        if (quick !== reference) mismatches.push(`${quick}\n--- yaml package:\n${reference}`);
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(fast).toBeGreaterThan(3000);
  });

  it("prints every committed generated file's objects exactly as the yaml package does", () => {
    const files = committedGeneratedFiles();
    expect(files.length).toBeGreaterThan(100);
    let fast = 0;
    for (const { file, body } of files) {
      // YAML 1.1, as generate writes; a multi-document body is a list of documents.
      const docs = body.split(/^---\n/m).map((text) => parse(text, { version: "1.1" }) as unknown);
      for (const doc of docs) {
        if (fastYaml(doc) !== undefined) fast++;
        expect({ file, yaml: toYaml(doc) }).toEqual({ file, yaml: yamlLibraryYaml(doc) });
      }
    }
    expect(fast).toBeGreaterThan(files.length / 2);
  });

  it("hands whatever it does not print itself to the yaml package", () => {
    expect(fastYaml({ a: "multi\nline" })).toBeUndefined();
    expect(fastYaml({ a: 'say "hi"' })).toBeUndefined();
    expect(fastYaml({ a: "ü" })).toBeUndefined();
    expect(fastYaml({ a: undefined })).toBeUndefined();
    expect(fastYaml({ a: Number.NaN })).toBeUndefined();
    expect(fastYaml({ a: new Date(0) })).toBeUndefined();
    expect(fastYaml("scalar")).toBeUndefined();
    expect(toYaml({ a: "multi\nline\n" })).toBe(yamlLibraryYaml({ a: "multi\nline\n" }));
  });

  it("quotes what YAML 1.1 would read as something else", () => {
    expect(fastYaml({ a: "on", b: "0755", c: "1.0", d: "", e: "2024-01-01", f: "~", g: "- x", h: "a: b", i: "plain", "80": 1 })).toBe(
      '"80": 1\na: "on"\nb: "0755"\nc: "1.0"\nd: ""\ne: "2024-01-01"\nf: "~"\ng: "- x"\nh: "a: b"\ni: plain\n',
    );
    expect(fastYaml({ list: [{ a: 1, b: [] }, [1, [2]], {}], empty: {} })).toBe("list:\n  - a: 1\n    b: []\n  - - 1\n    - - 2\n  - {}\nempty: {}\n");
    expect(fastYaml([])).toBe("[]\n");
  });
});

describe("formatYaml", () => {
  it("GIVEN a body that mayNeedFormatting calls safe WHEN prettier formats it THEN nothing changes (random values)", async () => {
    const missed: string[] = [];
    let safe = 0;
    for (const seed of [11, 12]) {
      for (const doc of randomDocuments(seed, 1500)) {
        const body = toYaml(doc);
        if (mayNeedFormatting(body)) continue;
        safe++;
        const formatted = await prettier.format(body, { parser: "yaml" });
        if (formatted !== body) missed.push(`${body}\n--- prettier:\n${formatted}`);
      }
    }
    expect(missed.slice(0, 3)).toEqual([]);
    expect(safe).toBeGreaterThan(1000);
  });

  it("formats what toYaml leaves unformatted exactly as prettier does", async () => {
    const samples = [
      { data: { [`${"k".repeat(90)}`]: [] } },
      { data: { script: "line one  \n\nline three\n" } },
      { data: { quote: "'it' \"is\"" } },
      { data: { tab: "a\tb" } },
    ];
    for (const sample of samples) {
      const body = toYaml(sample);
      expect(mayNeedFormatting(body)).toBe(true);
      expect(await formatYaml(body)).toBe(await prettier.format(body, { parser: "yaml" }));
    }
  });

  it("GIVEN a body prettier formatted once WHEN formatted again, in a new process THEN the toolchain cache answers, without prettier", async () => {
    const saved = process.env.GITOPS_CACHE_DIR;
    const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-formatted-"));
    process.env.GITOPS_CACHE_DIR = cache;
    try {
      const body = toYaml({ data: { quote: "'it' \"is\"" } });
      const expected = await prettier.format(body, { parser: "yaml" });
      expect(await formatYaml(body)).toBe(expected);
      flushMemos();
      const [file] = readdirSync(path.join(cache, "formatted"));
      const memo = path.join(cache, "formatted", file);
      const stored = JSON.parse(readFileSync(memo, "utf8")) as { format: number; entries: Record<string, string> };
      expect(Object.values(stored.entries)).toEqual([expected]);
      // With the stored text replaced, the replacement is what comes back: the memo answered.
      writeFileSync(memo, JSON.stringify({ ...stored, entries: Object.fromEntries(Object.keys(stored.entries).map((k) => [k, "from the memo\n"])) }));
      forgetMemos();
      expect(await formatYaml(body)).toBe("from the memo\n");
      // Another body is formatted by prettier.
      const other = toYaml({ data: { tab: "a\tb" } });
      expect(await formatYaml(other)).toBe(await prettier.format(other, { parser: "yaml" }));
    } finally {
      forgetMemos();
      if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
      else process.env.GITOPS_CACHE_DIR = saved;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it("leaves every committed generated file as prettier --check wants it", async () => {
    const files = committedGeneratedFiles();
    const unformatted: string[] = [];
    for (const { file, content, body } of files) {
      if (!(await prettier.check(content, { parser: "yaml", filepath: file }))) unformatted.push(file);
      expect({ file, body: await formatYaml(body) }).toEqual({ file, body });
    }
    expect(unformatted).toEqual([]);
  });
});
