import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { writeRenderFolder } from "./render-output.ts";

/** Every file under dir, relative. */
function tree(dir: string, rel = ""): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(dir, path.join(rel, e.name)) : [path.join(rel, e.name)],
  );
}

describe("writeRenderFolder", () => {
  it("GIVEN several processes writing the same render folder at once (validate and lint in parallel) THEN none fails and the folder holds exactly the render", async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "gitops-render-race-"));
    // Each process writes the folder many times; half the renders have a file in a subfolder the other half lacks,
    // so that pruning removes files and empty folders while other processes write into them.
    const script = `
      import { registerTypeScript } from ${JSON.stringify(path.join(REPO_ROOT, "tools/workspace/register-typescript.mjs"))};
      await registerTypeScript();
      const { writeRenderFolder } = await import(${JSON.stringify(path.join(REPO_ROOT, "tools/pipeline/render-output.ts"))});
      const object = (name) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "a" } });
      for (let i = 0; i < 60; i++) {
        const files = Array.from({ length: 20 }, (_, f) => ({ file: "dist/render/c/apps/app-" + f + ".yaml", objects: [object("o" + f)] }));
        if (i % 2 === 1) files.push({ file: "dist/render/c/extra/deep/x.yaml", objects: [object("x")] });
        writeRenderFolder(process.argv[1], "dist/render/c", files, { kind: "cluster", name: "c", files: [] });
      }
    `;
    const runs = Array.from({ length: 4 }, () =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ["--input-type=module", "-e", script, root], { stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d) => (stderr += d));
        child.on("close", (code) => resolve({ code, stderr }));
      }),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.stderr.split("\n")[0] ?? "")).toEqual(["", "", "", ""]);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0]);
    const files = tree(path.join(root, "dist/render/c"));
    expect(files.filter((f) => f.includes(".tmp-"))).toEqual([]);
    // The last render of every process had the extra file (i = 59 is odd).
    expect(files.sort()).toEqual([...Array.from({ length: 20 }, (_, f) => `apps/app-${f}.yaml`), "extra/deep/x.yaml", "index.json"].sort());
  }, 60_000);

  it("GIVEN a render folder already holding the render WHEN it is written again THEN identical files are left alone and a changed or hand-edited one is rewritten", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "gitops-render-same-"));
    const object = (name: string, value: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "a" }, data: { k: value } });
    const files = (value: string) => [
      { file: "dist/render/c/apps/a.yaml", objects: [object("a", "1")] },
      { file: "dist/render/c/apps/b.yaml", objects: [object("b", value)] },
    ];
    const index = { kind: "cluster" as const, name: "c", files: [] };
    const at = (rel: string) => path.join(root, "dist/render/c", rel);
    writeRenderFolder(root, "dist/render/c", files("1"), index);
    const inode = (rel: string) => statSync(at(rel)).ino;
    const before = { a: inode("apps/a.yaml"), b: inode("apps/b.yaml"), index: inode("index.json") };
    writeRenderFolder(root, "dist/render/c", files("2"), index);
    expect(inode("apps/a.yaml")).toBe(before.a);
    expect(inode("index.json")).toBe(before.index);
    expect(inode("apps/b.yaml")).not.toBe(before.b);
    expect(readFileSync(at("apps/b.yaml"), "utf8")).toContain("k: \"2\"");
    // A hand edit of an output file is replaced by the render.
    writeFileSync(at("apps/a.yaml"), "edited\n");
    writeRenderFolder(root, "dist/render/c", files("2"), index);
    expect(readFileSync(at("apps/a.yaml"), "utf8")).toContain("name: a");
  });
});
