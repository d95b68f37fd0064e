import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CORE_SCHEMA, loadAll, YAML11_SCHEMA } from "js-yaml";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, test } from "vitest";
import type { KubeObject } from "../model/kube-object.ts";
import { buildKustomization } from "./kustomize.ts";
import { kubectlAvailable, kubectlKustomize } from "./kubectl.ts";
import { toYamlDocumentLines, toYamlDocuments } from "./serialize.ts";

const KUBECTL_REQUIRED = "kubectl not found: the Kustomize equivalence tests need kubectl (Kustomize v5)";

/** Strings that some YAML version reads as something else, or that stress quoting and block scalars. */
const TRICKY_STRINGS = [
  "", " ", "  lead", "trail ", "yes", "Yes", "YES", "no", "on", "On", "off", "y", "Y", "n", "N", "true", "False", "null", "Null", "~",
  "0", "00", "0755", "08", "-0", "+1", "1.0", "1.", ".5", "+.5", "1e3", "1E3", "1e+3", "1_000", "0x1F", "0o17", "0b101", "-0x1F",
  "12:30", "1:20:30", "190:20:30.15", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", ".inf", "-.Inf", ".nan", ".NaN",
  "=", "<<", "-", "--", "---", "...", "- a", "? a", ": a", "a: b", "a #b", "#c", "a#b", "key:", "x:y", "@at", "`tick", "!tag", "&anchor", "*alias",
  "%pct", "|pipe", ">fold", "'single'", '"double"', "back\\slash", "[a]", "{a: 1}", "a, b", "tab\there", "cr\rhere", "nul\u0000here", "del\u007fx",
  "nel\u0085x", "ls\u2028x", "ps\u2029x", "bom\ufeffx", "é", "日本語", "emoji 🚀",
  "line1\nline2", "line1\nline2\n", "line1\n\n", "\nleading newline", " lead\nblock", "a\n  indented\nb", "trailing spaces  \nnext", "# not a comment\n- not a list\n",
  "100m", "1Gi", "500Mi", "0.5", "10s", "1h", "3d", "nginx:1.27", "registry.example.com/app@sha256:abc", "app.kubernetes.io/name", "http://x.example.com:8080/a?b=c#d",
  "x".repeat(300), "word ".repeat(40).trim(),
];

const NUMBERS = [0, 1, -1, 42, 493, 1.5, -2.25, 0.1, 1e21, 1.5e300, 1e-7, 2 ** 53, 123456789012];

/**
 * Strings that do not survive Kustomize itself: DEL and C1 controls it cannot print ("control characters
 * are not allowed"), NEL it prints as a line break (read back as a space), LS and PS it prints raw in
 * single quotes (YAML 1.1 readers get the string back, js-yaml reading its output does not).
 */
const NOT_PRINTABLE_BY_KUSTOMIZE = /[\u007f-\u009f\u2028\u2029]/;

function trickyObjects(options: { forKustomize?: boolean } = {}): KubeObject[] {
  const strings = TRICKY_STRINGS.filter((s) => !options.forKustomize || !NOT_PRINTABLE_BY_KUSTOMIZE.test(s));
  const data: Record<string, string> = {};
  strings.forEach((s, i) => {
    data[`s${String(i).padStart(3, "0")}`] = s;
  });
  const keyed: Record<string, string> = {};
  // Kustomize reads a "<<" key, even quoted, as a merge key.
  strings.filter((s) => s !== "" && !s.includes("\n") && !(options.forKustomize && s === "<<")).forEach((s, i) => {
    keyed[s] = `v${i}`;
  });
  return [
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "strings", namespace: "yes", labels: { on: "off", "app.kubernetes.io/part-of": "0755" }, annotations: { "note/1": "1e3", multi: "a\nb\n" } },
      data,
    },
    {
      apiVersion: "example.com/v1",
      kind: "Values",
      metadata: { name: "values" },
      spec: {
        numbers: NUMBERS,
        booleans: [true, false],
        nothing: null,
        emptyMap: {},
        emptyList: [],
        nested: [[1, [2, []]], [{}], [{ a: [{ b: "c" }] }], { deep: { deeper: { deepest: ["x", { y: "z\nw" }] } } }],
        listOfMaps: [{ name: "a", value: "on" }, { name: "b", value: "1.0", extra: { k: ["v"] } }],
        keys: keyed,
      },
    },
  ];
}

describe("toYamlDocuments", () => {
  test("writes keys in the object's own order, kubectl style", () => {
    const text = toYamlDocuments([
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a", labels: { z: "1", a: "yes" } }, data: { list: ["x", { k: "v", n: 1 }], e: [] } },
      { kind: "Namespace", apiVersion: "v1", metadata: { name: "b" } },
    ]);
    expect(text).toBe(
      [
        "apiVersion: v1",
        "kind: ConfigMap",
        "metadata:",
        "  name: a",
        "  labels:",
        '    z: "1"',
        '    a: "yes"',
        "data:",
        "  list:",
        "  - x",
        "  - k: v",
        '    "n": 1',
        "  e: []",
        "---",
        "kind: Namespace",
        "apiVersion: v1",
        "metadata:",
        "  name: b",
        "",
      ].join("\n"),
    );
  });

  test("js-yaml (YAML 1.2 core and YAML 1.1 schemas) and the yaml package (1.1 and 1.2) read back the same values", () => {
    const objects = trickyObjects();
    const text = toYamlDocuments(objects);
    expect(loadAll(text, { schema: CORE_SCHEMA })).toStrictEqual(objects);
    expect(loadAll(text, { schema: YAML11_SCHEMA })).toStrictEqual(objects);
    for (const version of ["1.1", "1.2"] as const) {
      const docs = parseAllDocuments(text, { version, uniqueKeys: true });
      expect(docs.map((d) => d.errors)).toEqual(docs.map(() => []));
      expect(docs.map((d) => d.toJS({ maxAliasCount: -1 }))).toStrictEqual(objects);
    }
  });

  test("writes a lone surrogate (no UTF-8 form) as U+FFFD", () => {
    expect(toYamlDocuments([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { s: "a\ud800b" } }])).toContain('s: "a\ufffdb"');
  });

  test("is deterministic", () => {
    expect(toYamlDocuments(trickyObjects())).toBe(toYamlDocuments(trickyObjects()));
  });

  test("kubectl reads it back identically (the rendered file as a kustomization resource)", () => {
    if (!kubectlAvailable()) throw new Error(KUBECTL_REQUIRED);
    // Kustomize drops nothing here: no empty annotations, no -0. "0x1FFFFFFFFFFFFFFFF" (beyond uint64)
    // is left out: kubectl prints it unquoted and js-yaml, reading that output, takes it for a number.
    // So are DEL and C1 controls: Kustomize cannot print them ("control characters are not allowed").
    const objects = trickyObjects({ forKustomize: true });
    const root = mkdtempSync(path.join(os.tmpdir(), "render-serialize-"));
    try {
      mkdirSync(path.join(root, "k"));
      writeFileSync(path.join(root, "k", "rendered.yaml"), toYamlDocuments(objects));
      writeFileSync(path.join(root, "k", "kustomization.yaml"), "resources:\n  - rendered.yaml\n");
      const viaKubectl = kubectlKustomize(path.join(root, "k"));
      const byName = (list: KubeObject[]) => Object.fromEntries(list.map((o) => [o.metadata.name, o]));
      expect(byName(viaKubectl)).toStrictEqual(byName(JSON.parse(JSON.stringify(objects)) as KubeObject[]));
      // And our renderer reads our own output like kubectl does.
      expect(buildKustomization(path.join(root, "k"), { cache: new Map(), allowKubectlFallback: false }).objects).toStrictEqual(viaKubectl);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("round-trips what the renderer builds, text included", () => {
    if (!kubectlAvailable()) throw new Error(KUBECTL_REQUIRED);
    const root = mkdtempSync(path.join(os.tmpdir(), "render-serialize-"));
    try {
      mkdirSync(path.join(root, "k"));
      writeFileSync(path.join(root, "k", "rendered.yaml"), toYamlDocuments(trickyObjects({ forKustomize: true })));
      writeFileSync(path.join(root, "k", "kustomization.yaml"), "resources:\n  - rendered.yaml\n");
      const built = buildKustomization(path.join(root, "k"), { cache: new Map(), allowKubectlFallback: false }).objects;
      const text = toYamlDocuments(built);
      expect(loadAll(text, { schema: CORE_SCHEMA })).toStrictEqual(built);
      writeFileSync(path.join(root, "k", "rendered.yaml"), text);
      expect(toYamlDocuments(buildKustomization(path.join(root, "k"), { cache: new Map() }).objects)).toBe(text);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

afterAll(() => undefined);

describe("line counts", () => {
  test("the writer counts the lines it writes: literal blocks, empty maps and lists, nested lists, a scalar document", () => {
    const values: unknown[] = [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", labels: {} }, data: { script: "#!/bin/sh\necho hi\n\n", one: "a\nb", kept: "a\n\n\n", quoted: " lead\nx", empty: "" } },
      { spec: { list: [], nested: [[1, [2, []]], [], {}, { a: [] }], map: { b: {} }, skipped: undefined, text: ["x\ny", "z"] } },
      [],
      [{}],
      "a\nb\n",
      42,
      null,
      {},
    ];
    for (const value of values) {
      const { text, lines } = toYamlDocumentLines(value);
      expect(lines, text).toBe(text.split("\n").length - 1);
    }
  });
});
