/**
 * What every command shares: one --output flag (--format its alias, --json the old spelling), the
 * findings in `all --output json`, files in generated folders that generate did not write, and counts
 * worded as counts ("0 written", "1 target").
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { devClusterSource } from "../testing/component-sources.ts";
import { gitops, tempWorkspace } from "../testing/temp-workspace.ts";

const COMPONENT = `import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { defineComponent } from "../../tools/model/index.ts";
export default defineComponent<{ greeting: string }>({
  name: "web",
  namespace: "web",
  values: { dev: { greeting: "hello" }, prod: { greeting: "bonjour" } },
  resources: (v) => [new ConfigMap({ metadata: { name: "settings" }, data: { greeting: v.greeting } })],
});
`;
const CLUSTER = devClusterSource({ web: "apps/web" });

describe("the output flag and the wording of counts", () => {
  let ws: string;
  beforeAll(() => {
    ws = tempWorkspace({ "apps/web/component.ts": COMPONENT, "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"]).status).toBe(0);
  });

  it("GIVEN --format json WHEN any command runs THEN it is --output json", () => {
    for (const args of [["all"], ["generate"], ["render"], ["validate"], ["lint"]]) {
      const r = gitops(ws, [...args, "--format", "json"]);
      expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
      expect(() => JSON.parse(r.stdout), args[0]).not.toThrow();
    }
    expect(JSON.parse(gitops(ws, ["lint", "--format", "sarif"]).stdout).version).toBe("2.1.0");
  });

  it("GIVEN a format a command cannot print, or two that disagree WHEN it runs THEN a usage error", () => {
    expect(gitops(ws, ["generate", "--output", "sarif"])).toMatchObject({ status: 2, stderr: 'gitops generate: --output must be one of text, json, got "sarif"\n' });
    expect(gitops(ws, ["lint", "--output", "json", "--format", "sarif"])).toMatchObject({
      status: 2,
      stderr: 'gitops lint: --format is another name for --output; give one of them, not "json" and "sarif"\n',
    });
    expect(gitops(ws, ["all", "--json", "--output", "text"])).toMatchObject({ status: 2, stderr: "gitops all: --json and --output text contradict each other\n" });
  });

  it("GIVEN a clean platform WHEN all --output json runs THEN the findings are in the report", () => {
    const report = JSON.parse(gitops(ws, ["all", "--output", "json"]).stdout);
    expect(report.findings).toEqual([]);
    expect(report.errors).toBe(0);
  });

  it("GIVEN nothing to do WHEN generate and render run THEN the counts read as counts", () => {
    expect(gitops(ws, ["generate"]).stdout).toMatch(/\(0 written, 0 deleted, \d+ unchanged\)/);
    expect(gitops(ws, ["generate", "--check"]).stdout).toMatch(/\(0 to write, 0 to delete, \d+ unchanged\)/);
    expect(gitops(ws, ["render", "--cluster", "dev1"]).stdout).toMatch(/^render: 1 target in /m);
  });
});

describe("GIVEN a YAML file in a generated folder that generate did not write", () => {
  const message =
    "apps/web/base/extra.yaml: a YAML file in a generated folder that gitops generate did not write (Kustomize ignores it); move it out of the folder, or make it an object of the component";
  let ws: string;
  beforeAll(() => {
    ws = tempWorkspace({ "apps/web/component.ts": COMPONENT, "clusters/dev1/cluster.ts": CLUSTER });
    expect(gitops(ws, ["generate"]).status).toBe(0);
    mkdirSync(path.join(ws, "apps/web/base"), { recursive: true });
    writeFileSync(path.join(ws, "apps/web/base/extra.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n");
    // A person's notes are not YAML: never reported.
    writeFileSync(path.join(ws, "apps/web/base/NOTES.md"), "notes\n");
  });

  it("WHEN generate --check runs THEN it is reported and the check fails", () => {
    const r = gitops(ws, ["generate", "--check"]);
    expect(r.stderr).toContain(`${message}\n`);
    expect(r.stderr).not.toContain("NOTES.md");
    expect(r.status).toBe(1);
  });

  it("WHEN npm start runs THEN it is an error finding, in text and in JSON", () => {
    const text = gitops(ws, ["all"]);
    expect(text.stdout).toContain(`apps/web/base/extra.yaml:1:1  error  generate/stray-file`);
    expect(text.status).toBe(1);
    const json = JSON.parse(gitops(ws, ["all", "--output", "json"]).stdout);
    expect(json.findings).toEqual([expect.objectContaining({ rule: "generate/stray-file", severity: "error", file: "apps/web/base/extra.yaml", message })]);
  });
});
