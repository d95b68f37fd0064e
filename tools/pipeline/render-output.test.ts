import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

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
});
