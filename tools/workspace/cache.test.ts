/**
 * The toolchain's on-disk caches (compiled schema validators, type-check stamps, stripped TypeScript) must
 * never change a result: an entry is used only for the exact inputs it was made from.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { typecheckStamp } from "../generate/typecheck.ts";
import { createSchemaValidator, DEFAULT_SCHEMA_DIR } from "../validate/schema-validator.ts";
import { gitops, tempWorkspace, writeFiles } from "../testing/temp-workspace.ts";
import { typeScriptToJavaScript } from "./register-typescript.mjs";
import { CacheMemo, forgetMemos, pruneCacheFolder, removeUnusedFiles, touchCacheEntry } from "./cache.ts";

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Runs `f` with environment variables set (gitops() passes the test process's environment on). */
function withEnv<T>(vars: Record<string, string>, f: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return f();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Objects with every kind of schema finding: unknown fields (with suggestions), types, enums, required, anyOf. */
const BAD_OBJECTS: unknown[] = [
  {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labelz: {} },
    spec: {
      replicas: "three",
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx:1.27", imagePullPolciy: "Always", ports: [{ containerPort: "80", protocol: "SCTPX" }] }] },
      },
    },
  },
  { apiVersion: "v1", kind: "Service", metadata: { name: "web" }, spec: { type: "LoadBalancr", ports: [{ port: 80, targetPort: "http" }] } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data: { port: 8080 } },
  { apiVersion: "argoproj.io/v1alpha1", kind: "Application", metadata: { name: "x" }, spec: { destination: {}, selfHael: true } },
  { apiVersion: "cert-manager.io/v1", kind: "Certificate", metadata: { name: "c" }, spec: { secretName: "s", issuerRef: { name: "ca" }, dnsNames: "a" } },
];

describe("compiled schema validators on disk", () => {
  it("GIVEN an empty cache WHEN a second validator runs THEN it finds exactly what a validator without the cache finds", () => {
    const cacheDir = tempDir("gitops-ajv-cache-");
    const reference = createSchemaValidator({ cache: false });
    const first = createSchemaValidator({ cacheDir });
    const expected = BAD_OBJECTS.map((o) => reference.validate(o));
    expect(expected.every((f) => f.length > 0)).toBe(true);
    expect(BAD_OBJECTS.map((o) => first.validate(o))).toEqual(expected);
    // One folder per schema file and the files it references: kubernetes.json (Deployment, Service, ConfigMap), argo-cd.json, cert-manager.json.
    const folders = readdirSync(cacheDir).filter((n) => n.startsWith("ajv-"));
    expect(folders).toHaveLength(3);
    expect(folders.flatMap((f) => readdirSync(path.join(cacheDir, f)).filter((n) => n.endsWith(".cjs"))).length).toBe(BAD_OBJECTS.length);
    const second = createSchemaValidator({ cacheDir, memo: false });
    expect(BAD_OBJECTS.map((o) => second.validate(o))).toEqual(expected);
  });

  it("GIVEN a cached validator WHEN a later process validates THEN it uses the cached code", () => {
    const cacheDir = tempDir("gitops-ajv-cache-");
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } };
    createSchemaValidator({ cacheDir, memo: false }).validate(configMap);
    const folder = path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith("ajv-"))!);
    const file = readdirSync(folder).find((n) => n.endsWith("IoK8sApiCoreV1ConfigMap.cjs"))!;
    // A stand-in that reports every object: proof that the validator loads the file instead of compiling.
    writeFileSync(
      path.join(folder, file),
      `module.exports = () => { const v = () => { v.errors = [{ instancePath: "", schemaPath: "#/required", keyword: "required", params: { missingProperty: "fromCache" }, message: "x" }]; return false; }; return v; };\n`,
    );
    expect(createSchemaValidator({ cacheDir, memo: false }).validate(configMap).map((f) => f.message)).toEqual(['missing required field "fromCache"']);
  });

  it("GIVEN a cache file that does not load WHEN validating THEN the schema is compiled again", () => {
    const cacheDir = tempDir("gitops-ajv-cache-");
    const service = BAD_OBJECTS[1];
    const expected = createSchemaValidator({ cache: false }).validate(service);
    createSchemaValidator({ cacheDir, memo: false }).validate(service);
    const folder = path.join(cacheDir, readdirSync(cacheDir).find((n) => n.startsWith("ajv-"))!);
    for (const name of readdirSync(folder)) writeFileSync(path.join(folder, name), "this is not JavaScript");
    expect(createSchemaValidator({ cacheDir, memo: false }).validate(service)).toEqual(expected);
  });

  it("GIVEN a schema file changes WHEN validating THEN a different cache folder is used", () => {
    const cacheDir = tempDir("gitops-ajv-cache-");
    const schemaDir = tempDir("gitops-schemas-");
    cpSync(DEFAULT_SCHEMA_DIR, schemaDir, { recursive: true });
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: "b" } };
    expect(createSchemaValidator({ schemaDir, cacheDir }).validate(configMap)).toEqual([]);
    const file = path.join(schemaDir, "kubernetes.json");
    writeFileSync(file, `${readFileSync(file, "utf8").trimEnd()}\n`.replace(/\n$/, "\n\n"));
    expect(createSchemaValidator({ schemaDir, cacheDir }).validate(configMap)).toEqual([]);
    expect(readdirSync(cacheDir).filter((n) => n.startsWith("ajv-"))).toHaveLength(2);
  });

  it("GIVEN two schema folders that differ in one file WHEN validating a kind of another file THEN both share its compiled code", () => {
    const cacheDir = tempDir("gitops-ajv-cache-");
    const schemaDir = tempDir("gitops-schemas-");
    cpSync(DEFAULT_SCHEMA_DIR, schemaDir, { recursive: true });
    const file = path.join(schemaDir, "cert-manager.json");
    writeFileSync(file, `${readFileSync(file, "utf8").trimEnd()}\n\n`);
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, data: { a: 1 } };
    const expected = createSchemaValidator({ cacheDir, memo: false }).validate(configMap);
    expect(createSchemaValidator({ schemaDir, cacheDir, memo: false }).validate(configMap)).toEqual(expected);
    expect(readdirSync(cacheDir).filter((n) => n.startsWith("ajv-"))).toHaveLength(1);
  });
});

/** The memo files of a cache folder, parsed. */
function memoFiles(cacheDir: string): { file: string; entries: Record<string, unknown[]> }[] {
  const dir = path.join(cacheDir, "schema-findings");
  return readdirSync(dir).map((name) => ({ file: path.join(dir, name), entries: (JSON.parse(readFileSync(path.join(dir, name), "utf8")) as { entries: Record<string, unknown[]> }).entries }));
}

/** Replaces every memoised result with one made-up finding: a validator that returns it did not validate. */
function markMemos(cacheDir: string): void {
  for (const { file, entries } of memoFiles(cacheDir)) {
    const marked = Object.fromEntries(Object.keys(entries).map((key) => [key, [{ rule: "schema/marker", severity: "error", message: "from the memo" }]]));
    writeFileSync(file, JSON.stringify({ format: 1, entries: marked }));
  }
}

describe("memoised schema findings", () => {
  const configMap = (data: Record<string, unknown>) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" }, data });

  it("GIVEN findings memoised by one process WHEN another validates the same objects THEN it returns them without validating, identical to an uncached run", () => {
    const cacheDir = tempDir("gitops-memo-");
    const expected = BAD_OBJECTS.map((o) => createSchemaValidator({ cache: false }).validate(o));
    const first = createSchemaValidator({ cacheDir });
    expect(BAD_OBJECTS.map((o) => first.validate(o))).toEqual(expected);
    first.flush();
    expect(memoFiles(cacheDir).reduce((n, m) => n + Object.keys(m.entries).length, 0)).toBe(BAD_OBJECTS.length);
    forgetMemos();
    // Read back from disk: the same findings, field for field.
    expect(BAD_OBJECTS.map((o) => createSchemaValidator({ cacheDir }).validate(o))).toEqual(expected);
    // And they do come from the memo: with its entries replaced, the replacement is what a validator returns.
    markMemos(cacheDir);
    forgetMemos();
    expect(createSchemaValidator({ cacheDir }).validate(BAD_OBJECTS[2]).map((f) => f.rule)).toEqual(["schema/marker"]);
  });

  it("GIVEN a memoised object WHEN the object changes THEN it is validated again", () => {
    const cacheDir = tempDir("gitops-memo-");
    const validator = createSchemaValidator({ cacheDir });
    expect(validator.validate(configMap({ a: "b" }))).toEqual([]);
    validator.flush();
    markMemos(cacheDir);
    forgetMemos();
    const later = createSchemaValidator({ cacheDir });
    expect(later.validate(configMap({ a: "b" })).map((f) => f.rule)).toEqual(["schema/marker"]);
    expect(later.validate(configMap({ a: 1 })).map((f) => f.message)).toEqual(["data.a must be string, got number 1"]);
    // A field set to undefined is not the same object as one without it (ajv reports an unknown one).
    const withUndefined = { ...configMap({ a: "b" }), extra: undefined };
    expect(later.validate(withUndefined)).toEqual(createSchemaValidator({ cache: false }).validate(withUndefined));
    expect(later.validate(withUndefined).map((f) => f.rule)).toEqual(["schema/unknown-field"]);
  });

  it("GIVEN objects validated with the digest of their rendered YAML THEN the memo is keyed by it, apart from the keys of objects validated without one", () => {
    const cacheDir = tempDir("gitops-memo-");
    const good = configMap({ a: "b" });
    const bad = configMap({ a: 1 });
    const validator = createSchemaValidator({ cacheDir });
    expect(validator.validate(good, "digest-of-good")).toEqual([]);
    expect(validator.validate(bad, "digest-of-bad").map((f) => f.message)).toEqual(["data.a must be string, got number 1"]);
    validator.flush();
    markMemos(cacheDir);
    forgetMemos();
    const later = createSchemaValidator({ cacheDir });
    // The same digest: the memo's answer.
    expect(later.validate(good, "digest-of-good").map((f) => f.rule)).toEqual(["schema/marker"]);
    // The same object without its digest, or with another one: validated.
    expect(later.validate(good)).toEqual([]);
    expect(later.validate(bad, "digest-of-another-text").map((f) => f.message)).toEqual(["data.a must be string, got number 1"]);
  });

  it("GIVEN a memoised object WHEN its kind's schema changes THEN it is validated against the new schema", () => {
    const cacheDir = tempDir("gitops-memo-");
    const schemaDir = tempDir("gitops-schemas-");
    cpSync(DEFAULT_SCHEMA_DIR, schemaDir, { recursive: true });
    const object = configMap({ a: "b" });
    const validator = createSchemaValidator({ schemaDir, cacheDir });
    expect(validator.validate(object)).toEqual([]);
    validator.flush();
    markMemos(cacheDir);
    forgetMemos();
    // ConfigMap now requires a field: the memo of the old schema is not used.
    const file = path.join(schemaDir, "kubernetes.json");
    const schemas = JSON.parse(readFileSync(file, "utf8")) as { definitions: Record<string, { required?: string[] }> };
    schemas.definitions.IoK8sApiCoreV1ConfigMap.required = ["immutable"];
    writeFileSync(file, JSON.stringify(schemas));
    expect(createSchemaValidator({ schemaDir, cacheDir }).validate(object).map((f) => f.message)).toEqual(['missing required field "immutable"']);
  });

  it("GIVEN the cache is off THEN nothing is memoised", () => {
    const cacheDir = tempDir("gitops-memo-");
    const validator = createSchemaValidator({ cacheDir, memo: false });
    validator.validate(BAD_OBJECTS[0]);
    validator.flush();
    expect(existsSync(path.join(cacheDir, "schema-findings"))).toBe(false);
  });
});

describe("type-check stamps", () => {
  const files = { "apps/web/component.ts": 'import { helper } from "./lib.ts";\nexport default helper;\n', "apps/web/lib.ts": "export const helper = 1;\n" };

  it("change with any file the checked files import, and only with those", () => {
    const root = tempDir("gitops-stamp-");
    writeFiles(root, { ...files, "tsconfig.base.json": "{}", "docs/readme.md": "x" });
    const stamp = typecheckStamp(root, ["apps/web/component.ts"]);
    expect(stamp).toMatch(/^[0-9a-f]{32}$/);
    expect(typecheckStamp(root, ["apps/web/component.ts"])).toBe(stamp);
    writeFiles(root, { "docs/readme.md": "y" });
    expect(typecheckStamp(root, ["apps/web/component.ts"])).toBe(stamp);
    writeFiles(root, { "apps/web/lib.ts": "export const helper = 2;\n" });
    const afterImport = typecheckStamp(root, ["apps/web/component.ts"]);
    expect(afterImport).not.toBe(stamp);
    writeFiles(root, { "tsconfig.base.json": '{"compilerOptions":{}}' });
    expect(typecheckStamp(root, ["apps/web/component.ts"])).not.toBe(afterImport);
  });

  it("change when an import that did not resolve starts to resolve", () => {
    const root = tempDir("gitops-stamp-");
    writeFiles(root, { "apps/web/component.ts": 'import "./missing.ts";\n' });
    const before = typecheckStamp(root, ["apps/web/component.ts"]);
    writeFiles(root, { "apps/web/missing.ts": "export {};\n" });
    expect(typecheckStamp(root, ["apps/web/component.ts"])).not.toBe(before);
  });

  it("GIVEN a component passed the type check WHEN it gets a type error THEN generate reports it although a stamp exists", () => {
    const cacheDir = tempDir("gitops-stamp-cache-");
    const component = (replicas: string) => `import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ replicas: number }>({
  name: "web",
  namespace: "web",
  values: { dev: { replicas: ${replicas} }, prod: { replicas: 2 } },
  resources: () => [],
});
`;
    const cluster = `import web from "../../apps/web/component.ts";
import { defineCluster } from "../../tools/model/index.ts";
export default defineCluster({ name: "dev1", environment: "dev", kubernetesVersion: "1.34", distribution: "kind", repo: { url: "https://git.example.com/p.git", revision: "main" }, components: [web] });
`;
    const ws = tempWorkspace({ "apps/web/component.ts": component("1"), "clusters/dev1/cluster.ts": cluster });
    temps.push(ws);
    const withCache = (args: string[]) => withEnv({ GITOPS_CACHE_DIR: cacheDir }, () => gitops(ws, args));
    expect(withCache(["generate"]).status).toBe(0);
    expect(readdirSync(path.join(cacheDir, "typecheck")).length).toBe(1);
    writeFiles(ws, { "apps/web/component.ts": component('"one"') });
    const run = withCache(["generate"]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/apps\/web\/component\.ts\(\d+,\d+\): error TS2322/);
    writeFiles(ws, { "apps/web/component.ts": component("1") });
    expect(withCache(["generate"]).status).toBe(0);
  });
});

describe("the TypeScript loader", () => {
  it("blanks types out and keeps every line where it was", () => {
    const source = "const a: number = 1;\ninterface X { y: string }\nexport function f(x: X): string {\n  return x.y;\n}\n";
    const js = typeScriptToJavaScript(source, "file:///x.ts");
    expect(js.split("\n")).toHaveLength(source.split("\n").length);
    expect(js).not.toContain(": number");
    expect(js.split("\n")[3]).toBe("  return x.y;");
  });

  it("transforms what cannot be blanked out (parameter properties)", async () => {
    const source = "export class E extends Error {\n  constructor(readonly file: string) {\n    super(file);\n  }\n}\n";
    const js = typeScriptToJavaScript(source, "file:///e.ts");
    expect(js).toContain("this.file = file");
    const dir = tempDir("gitops-loader-");
    writeFileSync(path.join(dir, "e.mjs"), js);
    const { E } = await import(path.join(dir, "e.mjs"));
    expect(new E("a.yaml").file).toBe("a.yaml");
  });

  it("GIVEN the tsx fallback WHEN the CLI runs THEN it works the same", () => {
    const run = withEnv({ GITOPS_TS_LOADER: "tsx" }, () => gitops(tempDir("gitops-loader-cli-"), ["--help"]));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("Usage: gitops <command>");
  });
});

describe("memo files", () => {
  // A fixed clock: an hour that ends during a test would move the stamps it expects.
  const NOW = new Date("2026-12-06T10:30:00Z");
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());
  const hour = Math.floor(NOW.getTime() / 3_600_000);
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as { entries: Record<string, number>; hours: Record<string, string[]> };
  /** A memo file whose entries were last used `hoursAgo` hours ago. */
  const memoFile = (file: string, groups: { keys: string[]; hoursAgo: number }[]) =>
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        entries: Object.fromEntries(groups.flatMap((g) => g.keys.map((k, i) => [k, i]))),
        hours: Object.fromEntries(groups.map((g) => [String(hour - g.hoursAgo), g.keys])),
      }),
    );
  const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

  it("GIVEN entries nobody used for more than a week WHEN a run adds an entry THEN they are let go, and what the run used and added is marked now", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    memoFile(file, [
      { keys: keys("stale-", 3_000), hoursAgo: 9 * 24 },
      { keys: keys("recent-", 3), hoursAgo: 6 * 24 },
      { keys: ["hit"], hoursAgo: 20 * 24 },
    ]);
    const memo = new CacheMemo<number>(file, 1);
    expect(memo.get("hit")).toBe(0);
    expect(memo.get("stale-1")).toBe(1);
    memo.set("new", 7);
    memo.flush();
    const { entries, hours } = read(file);
    expect(Object.keys(entries).sort()).toEqual(["hit", "new", "recent-0", "recent-1", "recent-2", "stale-1"]);
    expect(hours[String(hour)].sort()).toEqual(["hit", "new", "stale-1"]);
    expect(hours[String(hour - 6 * 24)]).toEqual(["recent-0", "recent-1", "recent-2"]);
  });

  it("GIVEN a run that only reads THEN it writes the file at most once an hour, to mark what it used", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    memoFile(file, [{ keys: ["a", "b"], hoursAgo: 3 }]);
    const first = new CacheMemo<number>(file, 1);
    expect(first.get("a")).toBe(0);
    first.flush();
    expect(read(file).hours).toEqual({ [String(hour)]: ["a"], [String(hour - 3)]: ["b"] });
    const text = readFileSync(file, "utf8");
    const second = new CacheMemo<number>(file, 1);
    expect(second.get("a")).toBe(0);
    second.flush();
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("GIVEN many entries of earlier hours that this run does not use THEN the most recent are kept up to 5,000 (or twice its own)", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    memoFile(file, [
      { keys: keys("older-", 6_000), hoursAgo: 30 },
      { keys: keys("old-", 4_000), hoursAgo: 2 },
      { keys: ["hit"], hoursAgo: 50 },
    ]);
    const memo = new CacheMemo<number>(file, 1);
    expect(memo.get("hit")).toBe(0);
    memo.flush();
    const kept = Object.keys(read(file).entries);
    expect(kept).toHaveLength(5_000);
    expect(kept.filter((k) => k.startsWith("old-"))).toHaveLength(4_000);
    expect(kept.filter((k) => k.startsWith("older-"))).toHaveLength(999);
    expect(kept).toContain("hit");
  });

  it("GIVEN a wide run's entries WHEN a narrow run uses a few of them an hour later THEN the others stay (they were used in the last day)", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    memoFile(file, [{ keys: keys("k", 20_000), hoursAgo: 1 }]);
    const narrow = new CacheMemo<number>(file, 1);
    for (let i = 0; i < 100; i++) narrow.get(`k${i}`);
    narrow.flush();
    const { entries, hours } = read(file);
    expect(Object.keys(entries)).toHaveLength(20_000);
    expect(hours[String(hour)]).toHaveLength(100);
  });

  it("GIVEN a memo file of an earlier toolchain, without stamps THEN its entries count as used an hour ago and are kept", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    writeFileSync(file, JSON.stringify({ format: 1, entries: Object.fromEntries(keys("k", 3_001).map((k, i) => [k, i])) }));
    const memo = new CacheMemo<number>(file, 1);
    expect(memo.get("k7")).toBe(7);
    memo.set("new", 1);
    memo.flush();
    const { entries, hours } = read(file);
    expect(Object.keys(entries)).toHaveLength(3_002);
    expect(hours[String(hour - 1)]).toHaveLength(3_000);
  });

  it("GIVEN two writers sharing a file (the main thread and a worker, or validate and lint) THEN neither loses the other's entries", () => {
    const file = path.join(tempDir("gitops-memo-file-"), "m.json");
    memoFile(file, [
      { keys: keys("w", 16_000), hoursAgo: 1 },
      { keys: keys("m", 8_000), hoursAgo: 1 },
    ]);
    const worker = new CacheMemo<number>(file, 1);
    const main = new CacheMemo<number>(file, 1);
    for (let i = 0; i < 16_000; i++) worker.get(`w${i}`);
    for (let i = 0; i < 8_000; i++) main.get(`m${i}`);
    main.set("m-new", 1);
    worker.flush();
    main.flush();
    const { entries, hours } = read(file);
    expect(Object.keys(entries)).toHaveLength(24_001);
    expect(hours[String(hour)]).toHaveLength(24_001);
  });
});

describe("pruning large cache folders", () => {
  const day = 24 * 3600 * 1000;
  /** A file of `size` bytes last used `daysAgo` days ago. */
  const entry = (dir: string, name: string, size: number, daysAgo: number) => {
    const file = path.join(dir, name);
    writeFileSync(file, Buffer.alloc(size));
    const at = new Date(Date.now() - daysAgo * day);
    utimesSync(file, at, at);
  };

  it("GIVEN a folder over its size THEN the least recently used files go until it fits, and what this process wrote or used stays", () => {
    const dir = tempDir("gitops-prune-");
    entry(dir, "a.json", 400, 9);
    entry(dir, "b.json", 400, 3);
    entry(dir, "c.json", 400, 5);
    entry(dir, "used.json", 400, 30);
    touchCacheEntry(path.join(dir, "used.json"));
    writeFileSync(path.join(dir, "new.json"), Buffer.alloc(400));
    writeFileSync(path.join(dir, "x.json.tmp-1-2"), "being written by another process");
    // 2,000 bytes: a (the oldest), then c go, and 1,200 fit.
    pruneCacheFolder(dir, 1_300);
    expect(readdirSync(dir).sort()).toEqual(["b.json", "new.json", "used.json", "x.json.tmp-1-2"]);
  });

  it("GIVEN a folder that stays over its size THEN only files this process neither wrote nor used go", () => {
    const dir = tempDir("gitops-prune-");
    entry(dir, "old.json", 400, 2);
    entry(dir, "used.json", 400, 30);
    touchCacheEntry(path.join(dir, "used.json"));
    writeFileSync(path.join(dir, "new.json"), Buffer.alloc(400));
    pruneCacheFolder(dir, 100);
    expect(readdirSync(dir).sort()).toEqual(["new.json", "used.json"]);
  });

  it("GIVEN memo files of an earlier toolchain nobody wrote for a week WHEN a memo of the folder is written THEN they go, and recent ones stay", () => {
    const dir = tempDir("gitops-sweep-");
    entry(dir, "old-code.json", 10, 8);
    entry(dir, "x.json.tmp-1-0-3", 10, 9);
    entry(dir, "other-schema.json", 10, 2);
    const memo = new CacheMemo<number>(path.join(dir, "current.json"), 1);
    memo.set("k", 1);
    memo.flush();
    expect(readdirSync(dir).sort()).toEqual(["current.json", "other-schema.json"]);
    // Once per folder and process.
    entry(dir, "later.json", 10, 30);
    removeUnusedFiles(dir, 7 * day);
    expect(readdirSync(dir).sort()).toEqual(["current.json", "later.json", "other-schema.json"]);
  });

  it("GIVEN a folder within its size THEN nothing goes; and a folder is pruned once per process", () => {
    const dir = tempDir("gitops-prune-");
    entry(dir, "a.json", 100, 40);
    pruneCacheFolder(dir, 1_000);
    expect(readdirSync(dir)).toEqual(["a.json"]);
    entry(dir, "b.json", 5_000, 20);
    pruneCacheFolder(dir, 1_000);
    expect(readdirSync(dir).sort()).toEqual(["a.json", "b.json"]);
    // A missing folder is no error.
    pruneCacheFolder(path.join(dir, "missing"), 1);
  });
});
