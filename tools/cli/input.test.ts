import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

function files(entries: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-input-"));
  for (const [name, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

function gitops(args: string[], cwd: string, input?: string, env: Record<string, string> = {}) {
  // A timeout: a hang (reading a FIFO, walking a symlink loop) fails the test instead of blocking it.
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), ...args], {
    cwd,
    encoding: "utf8",
    input: input ?? "",
    timeout: 60_000,
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n";

describe("GIVEN input the API server or Kustomize rejects", () => {
  it("WHEN a file is not UTF-8 THEN it is an error naming the file and line", () => {
    const dir = files({ "bad.yaml": Buffer.concat([Buffer.from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: \""), Buffer.from([0xff, 0xfe]), Buffer.from("\"}\n")]) });
    const v = gitops(["validate", "bad.yaml"], dir);
    expect(v.stdout).toContain("bad.yaml:4:1  error  yaml/encoding  -  the file is not valid UTF-8 (byte 62); the API server and Kustomize reject it");
    expect(v.status).toBe(1);
  });

  it("WHEN a document is a top-level array THEN it is an error", () => {
    const dir = files({ "list.yaml": "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n", "list.json": `[${JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" } })}]` });
    const v = gitops(["validate", "."], dir);
    expect(v.stdout).toContain("list.json:1:1  error  api/missing-type  -  the document is a top-level array, not an object with apiVersion, kind and metadata; kubectl and Kustomize reject it (write one document per object, or a kind: List)");
    expect(v.stdout).toContain("list.yaml:1:1  error  api/missing-type  -  the document is a top-level array");
    expect(v.status).toBe(1);
  });

  it("WHEN one document does not parse THEN the others of the file are still validated", () => {
    const dir = files({ "mixed.yaml": `${CONFIG_MAP}---\nkind: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: Bad_Name}\n` });
    const v = gitops(["validate", "mixed.yaml"], dir);
    expect(v.stdout).toMatch(/^mixed\.yaml:7:\d+  error  yaml\/parse  -  YAML does not parse: /m);
    expect(v.stdout).toContain('mixed.yaml:10:12  error  api/name  ConfigMap Bad_Name  metadata.name: "Bad_Name" is not a valid ConfigMap name');
    expect(v.stdout).toContain("validate: 1 file, 2 objects, 2 errors");
  });
});

describe("GIVEN input that used to crash or hang THEN a clear message and exit 2", () => {
  it("WHEN a folder links back to its parent THEN the loop is named", () => {
    const dir = files({ "app/cm.yaml": CONFIG_MAP });
    symlinkSync("..", path.join(dir, "app", "loop"));
    const v = gitops(["validate", "app"], dir);
    expect(v).toMatchObject({ status: 2, stdout: "" });
    expect(v.stderr).toBe("app/loop: symbolic link loop (it leads back to .)\n");
  });

  it("WHEN a link points at itself THEN ELOOP is a message, not a stack trace", () => {
    const dir = files({ "cm.yaml": CONFIG_MAP });
    symlinkSync("self.yaml", path.join(dir, "self.yaml"));
    expect(gitops(["validate", "."], dir)).toMatchObject({ status: 2, stderr: "self.yaml: symbolic link loop\n" });
  });

  it("WHEN a FIFO is named *.yaml THEN it is refused, never read", () => {
    const dir = files({ "cm.yaml": CONFIG_MAP });
    execFileSync("mkfifo", [path.join(dir, "pipe.yaml")]);
    expect(gitops(["validate", "."], dir)).toMatchObject({ status: 2, stderr: "pipe.yaml: not a regular file (a FIFO, socket or device is never read)\n" });
    expect(gitops(["validate", "pipe.yaml"], dir)).toMatchObject({ status: 2, stderr: "pipe.yaml: not a regular file or folder\n" });
  });

  it("WHEN --schemas names a folder without index.json THEN the message says how to make one", () => {
    const dir = files({ "cm.yaml": CONFIG_MAP, "crds/readme.md": "x" });
    expect(gitops(["validate", "--schemas", "crds", "cm.yaml"], dir)).toMatchObject({
      status: 2,
      stderr: "gitops validate: --schemas crds: no index.json there; write one with `gitops schemas import --out crds <crd.yaml>`\n",
    });
  });

  it("WHEN standard input is empty THEN it says so", () => {
    expect(gitops(["validate", "-"], os.tmpdir(), "")).toMatchObject({ status: 2, stderr: "standard input is empty: nothing to check\n" });
  });

  it("WHEN there are more than 120k findings THEN every one is reported", () => {
    // 42,000 empty List items, three errors each: 126,000 findings (spread into push(), they overflowed the stack).
    const dir = files({ "many.yaml": `apiVersion: v1\nkind: List\nitems:\n${"- {}\n".repeat(42_000)}` });
    // Its own toolchain cache: 126,000 findings' locations would otherwise fill the repository's locations memo,
    // which every later run reads whole.
    const v = gitops(["validate", "--output", "json", "many.yaml"], dir, undefined, { GITOPS_CACHE_DIR: path.join(dir, ".cache") });
    expect(v.stderr).toBe("");
    expect(JSON.parse(v.stdout).summary).toEqual({ files: 1, objects: 42_000, errors: 126_000, warnings: 0 });
    expect(v.status).toBe(1);
    rmSync(path.join(dir, ".cache"), { recursive: true, force: true });
  }, 120_000);
});

describe("GIVEN gitops schemas import of an apiextensions.k8s.io/v1beta1 CRD", () => {
  it("THEN it is converted, and its kinds validated", () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  version: v1
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  validation:
    openAPIV3Schema:
      type: object
      properties:
        spec:
          type: object
          properties:
            size: {type: integer}
`;
    const dir = files({ "crd.yaml": crd, "w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big, colour: red}\n" });
    // schemas import runs in the platform repository (it reads the built apimachinery schemas).
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), "schemas", "import", "--out", path.join(dir, "imported"), path.join(dir, "crd.yaml")], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^schemas import: 1 kinds \(example\.com\/v1 Widget\) → .*imported\/ in /);
    const v = gitops(["validate", "--schemas", "imported", "w.yaml"], dir);
    expect(v.stdout).toContain('w.yaml:4:8  error  schema/type  Widget w  spec.size must be integer, got string "big"');
    expect(v.stdout).toContain('error  schema/unknown-field  Widget w  spec: unknown field "colour"');
  });

  it("THEN a pattern in Go syntax JavaScript cannot express is a note naming the CRD, version and field, and the rest is imported", () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                lines: {type: string, pattern: "(?m)^[a-z]+$"}
                kind: {type: string, pattern: "(?i)^(small|big)$"}
`;
    const dir = files({ "crd.yaml": crd, "w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {lines: \"A\\nb\", kind: BIG}\n" });
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), "schemas", "import", "--out", path.join(dir, "imported"), path.join(dir, "crd.yaml")], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe('note: widgets.example.com v1 spec.lines: pattern "(?m)^[a-z]+$" skipped: the flag (?m) (multi-line ^ and $) cannot be set inside a JSON Schema pattern');
    expect(r.stdout).toMatch(/^schemas import: 1 kinds \(example\.com\/v1 Widget\) → .*imported\/ in \d+\.\d\ds; 1 pattern skipped \(see the notes\)$/m);
    const v = gitops(["validate", "--schemas", "imported", "w.yaml"], dir);
    expect(v.stdout).toMatch(/^validate: 1 file, 1 object, 0 errors, 0 warnings/m);
  });

  it("THEN a file without any CRD is a message and exit 2", () => {
    const dir = files({ "cm.yaml": CONFIG_MAP });
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "tools/bin/gitops.mjs"), "schemas", "import", "--out", path.join(dir, "out"), path.join(dir, "cm.yaml")], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^gitops schemas import: no CustomResourceDefinition found in /);
  });
});
