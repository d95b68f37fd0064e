import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";
import { deferModelValidator } from "./register-typescript.mjs";

describe("deferModelValidator", () => {
  it("turns the model's import of its validator into a load on first call, and leaves other modules alone", () => {
    const file = path.join(REPO_ROOT, "node_modules/kubernetes-models/apps/v1/Deployment.js");
    const source = readFileSync(file, "utf8");
    expect(source).toContain('import{validate}from"../../_schemas/IoK8sApiAppsV1Deployment.js";');
    const lazy = deferModelValidator(source);
    expect(lazy).not.toContain('import{validate}from"');
    expect(lazy).toContain('("../../_schemas/IoK8sApiAppsV1Deployment.js").validate');
    expect(lazy).toContain("setValidateFunc(Deployment,validate)");
    expect(deferModelValidator("export const x = 1;")).toBe("export const x = 1;");
  });

  it("in a process with the loader: no validator module is loaded until validate() runs, which then behaves as before", () => {
    const script = `
      import module from "node:module";
      import { registerTypeScript } from ${JSON.stringify(path.join(REPO_ROOT, "tools/workspace/register-typescript.mjs"))};
      await registerTypeScript();
      const loaded = [];
      module.registerHooks({ load(url, context, next) { if (url.includes("/_schemas/")) loaded.push(url.replace(/.*\\/_schemas\\//, "")); return next(url, context); } });
      const { ConfigMap } = await import("kubernetes-models/v1/ConfigMap");
      const before = loaded.length;
      new ConfigMap({ metadata: { name: "ok" }, data: { a: "1" } }).validate();
      let message = "";
      try { new ConfigMap({ metadata: { name: "bad" }, data: { port: 8080 } }).validate(); } catch (error) { message = error.message; }
      console.log(JSON.stringify({ before, after: loaded.includes("IoK8sApiCoreV1ConfigMap.js"), message }));
    `;
    const run = (env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env } });
      expect(r.stderr).toBe("");
      return JSON.parse(r.stdout) as { before: number; after: boolean; message: string };
    };
    expect(run()).toEqual({ before: 0, after: true, message: "data/data/port must be string" });
    // GITOPS_EAGER_MODELS=1 turns the deferral off: the packages then load their validators on import.
    const eager = run({ GITOPS_EAGER_MODELS: "1" });
    expect(eager.before).toBeGreaterThan(0);
    expect(eager.message).toBe("data/data/port must be string");
  });
});
