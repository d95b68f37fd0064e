import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as jsyaml from "js-yaml";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { NOT_BLOCK_YAML, readBlockYaml } from "./block-yaml.ts";
import { parseDocumentsTolerant, splitDocuments } from "./documents.ts";
import { skipWithoutUpstream, upstreamPath } from "../testing/upstream.ts";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function reference(text: string): { value: unknown } | { error: string } {
  try {
    return { value: jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) };
  } catch (error) {
    return { error: String(error) };
  }
}

/** The fast reader either gives js-yaml's exact value, or gives up; it never gives a value where js-yaml fails. */
function expectSameAsJsYaml(text: string): "read" | "gave up" {
  const fast = readBlockYaml(text);
  if (fast === NOT_BLOCK_YAML) return "gave up";
  expect({ value: fast }, text).toStrictEqual(reference(text));
  return "read";
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules" || entry.name === "dist") continue;
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) yamlFiles(abs, out);
    else if (/\.ya?ml$/.test(entry.name)) out.push(abs);
  }
  return out;
}

describe("readBlockYaml", () => {
  // GIVEN documents the reader understands WHEN read THEN the value is js-yaml's, scalar types included
  it.each([
    ["a mapping of scalars", "a: 1\nb: text\nc: true\nd: ~\ne: null\nf: 1.5\ng: 0x1F\nh: -3\ni: .inf\nj: 1e3\nk: 0o17\nl: +5\nm: FALSE\nn: 012\n"],
    ["keys that are not strings", "1: one\ntrue: yes\n~: nothing\n2.0: float\n0x10: hex\n"],
    ["quoted scalars", "a: \"x: y # not a comment\"\nb: 'it''s'\nc: \"\\t\\n\\\\ \\\" \\u00e9 \\x41 \\U0001F600\"\nd: ''\ne: \"\"\n"],
    ["comments", "# head\na: 1 # trailing\n  # indented comment\nb: a#b\nc: \"q\" # c\n"],
    ["nested mappings and sequences", "a:\n  b:\n    c: 1\n  d:\n  - x\n  - y: 1\n    z: 2\n  -\n    w: 3\n"],
    ["a sequence at the key's indentation", "spec:\n  containers:\n  - name: a\n    args:\n    - --flag=1\n    - -v\n  volumes: []\nother: {}\n"],
    ["a root sequence", "- a\n- b: 1\n  c:\n    - d\n-\n- 'e'\n"],
    ["empty values", "a:\nb:\n  # only a comment\nc: []\nd: {}\n"],
    ["literal block scalars", "a: |\n  line 1\n\n    indented\n  line 3\nb: |-\n  stripped\n  # not a comment\nc: x\n"],
    ["a literal at the end", "data:\n  script: |\n    #!/bin/sh\n    echo hi\n\n\n"],
    ["a literal in a sequence item", "- |\n  one\n- run: |\n    two\n  x: 1\n"],
    ["plain scalars with indicators inside", "a: http://x:80/y\nb: a,b]c}\nc: -x\nd: ?y\ne: :z\nf: 'a' \ng: foo \"bar\"\n"],
    ["keys with spaces and quotes", "\"a: b\": 1\n'c d': 2\ne f: 3\ng : 4\n"],
    ["an indented root", "  a: 1\n  b: 2\n"],
    ["many documents' worth of one", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: {}\ndata:\n  k: v\n"],
  ])("reads %s as js-yaml does", (_what, text) => {
    expect(expectSameAsJsYaml(text)).toBe("read");
  });

  // GIVEN anything outside the subset WHEN read THEN it gives up and js-yaml decides (errors included)
  it.each([
    ["an anchor and alias", "a: &x 1\nb: *x\n"],
    ["a tag", "a: !!str 1\n"],
    ["a flow collection", "a: [1, 2]\n"],
    ["a flow mapping", "a: {b: 1}\n"],
    ["a folded scalar", "a: >\n  folded\n  text\n"],
    ["a kept literal", "a: |+\n  kept\n\n"],
    ["an indentation indicator", "a: |2\n   x\n"],
    ["a multi-line plain scalar", "a: one\n  two\n"],
    ["a multi-line quoted scalar", "a: \"one\n  two\"\n"],
    ["a duplicate key", "a: 1\na: 2\n"],
    ["a merge key", "a: &x {b: 1}\nc:\n  <<: *x\n"],
    ["__proto__", "__proto__: 1\n"],
    ["a tab", "a:\t1\n"],
    ["CRLF", "a: 1\r\nb: 2\r\n"],
    ["a mapping value inside a plain scalar", "a: b: c\n"],
    ["a complex key", "? a\n: b\n"],
    ["a bad indentation", "a: 1\n b: 2\n"],
    ["a scalar document", "just text\n"],
    ["a compact nested sequence", "- - a\n"],
    ["a literal with no content", "a: |\nb: 1\n"],
    ["a literal ending without a line break", "a: |\n  x"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a sequence under a key on its line", "a: - b\n"],
    ["a bad escape", "a: \"\\q\"\n"],
    ["text after a quoted scalar", "a: \"x\" y\n"],
  ])("gives up on %s", (_what, text) => {
    expect(expectSameAsJsYaml(text)).toBe("gave up");
  });

  // GIVEN random values with awkward scalars, written by both serialisers, then damaged line by line
  // WHEN read THEN js-yaml agrees on every document the reader does not give up on
  it("agrees with js-yaml on random and damaged documents", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const atoms = ["a", "b c", "x: y", "#h", "a #b", "'q'", '"d"', "-", "- x", "?", ":", "::1", "true", "True", "yes", "null", "~", "", " ", "01", "0x1F", "0o7", "1e3", ".5", "-.inf", ".NaN", "1_000", "+1", "-0", "12:30", "a\tb", "é", "\\", "[a]", "{b}", "*a", "&a", "!t", "|", ">", "%x", "@x", "a,b", "https://x/y?z=1#f", "key:", "x\ny", "x\n\ny\n", "  lead", "trail  ", "a'b", 'a"b', "\u2028", "\u00a0x"];
    const value = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.4) return pick([pick(atoms), pick(atoms) + pick(atoms), Math.floor(random() * 1000) - 500, random() * 100, random() < 0.5, null]);
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, () => [pick(atoms) + (random() < 0.3 ? pick(atoms) : ""), value(depth + 1)]));
    };
    const damage = (text: string): string => {
      const lines = text.split("\n");
      const i = Math.floor(random() * lines.length);
      const edits = [() => (lines[i] = ` ${lines[i]}`), () => (lines[i] = lines[i].replace(/^ /, "")), () => lines.splice(i, 0, "  # c"), () => (lines[i] += " #x"), () => (lines[i] += ": z"), () => lines.splice(i, 1), () => lines.splice(i, 0, ""), () => (lines[i] = lines[i].replace(":", ""))];
      pick(edits)();
      return lines.join("\n");
    };
    let read = 0;
    for (let n = 0; n < 1500; n++) {
      const v = { root: value(0), other: value(0) };
      for (let text of [stringify(v), stringify(v, { lineWidth: 0 }), jsyaml.dump(v), jsyaml.dump(v, { lineWidth: -1 })]) {
        for (let round = 0; round < 3; round++) {
          if (round > 0) text = damage(text);
          if (expectSameAsJsYaml(text) === "read") read++;
        }
      }
    }
    expect(read).toBeGreaterThan(5000);
  });

  // GIVEN every YAML file of this repository WHEN each document is read THEN js-yaml agrees
  it("agrees with js-yaml on every document of this repository", () => {
    let read = 0;
    for (const file of yamlFiles(REPO_ROOT)) {
      for (const doc of splitDocuments(readFileSync(file, "utf8"))) if (expectSameAsJsYaml(doc.text) === "read") read++;
    }
    expect(read).toBeGreaterThan(100);
  });

  it.skipIf(skipWithoutUpstream("crds"))("agrees with js-yaml on the upstream CRDs and test cases", () => {
    let read = 0;
    for (const dir of ["crds", "kyverno-tests"]) {
      for (const file of yamlFiles(upstreamPath(dir))) {
        for (const doc of splitDocuments(readFileSync(file, "utf8"))) if (expectSameAsJsYaml(doc.text) === "read") read++;
      }
    }
    expect(read).toBeGreaterThan(100);
  });
});

describe("parseDocumentsTolerant with the fast reader", () => {
  it("gives the documents, lines and parse errors js-yaml alone gives", () => {
    const text = "# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nkind: X\nbad: [\n---\n\na: &x 1\nb: *x\n";
    const { docs, errors } = parseDocumentsTolerant(text, "f.yaml");
    expect(docs.map((d) => [d.index, d.line, d.value])).toStrictEqual([
      [0, 2, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" } }],
      [2, 11, { a: 1, b: 1 }],
    ]);
    expect(errors.map((e) => e.message)).toStrictEqual(["f.yaml:9:1: YAML does not parse: deficient indentation"]);
  });
});
