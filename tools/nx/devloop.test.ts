/**
 * The developer's loop through Nx, in a temporary clone with the real Nx graph: never a green on stale
 * generated files, never a file a person wrote overwritten or deleted, and a graph that follows the files.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitCommit, gitops, REPO_ROOT, run as runIn, workspaceRepo } from "../testing/temp-workspace.ts";

const nx = path.join(REPO_ROOT, "node_modules/.bin/nx");
// Charts off: this is the loop through Nx on the committed files; the findings on the charts' own
// objects (tools/pipeline/render-charts.test.ts) are not its subject.
const env = { NX_DAEMON: "false", NX_NO_CLOUD: "true", NX_TUI: "false", CI: "true", NO_COLOR: "1", GITOPS_CHARTS: "off" };

function nxRun(cwd: string, args: string[]): { status: number; output: string } {
  const r = spawnSync(nx, [...args, "--outputStyle=static"], { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

describe("GIVEN an app's image switched to :latest and nothing generated", () => {
  let repo: string;
  beforeAll(() => {
    repo = workspaceRepo();
    const file = path.join(repo, "apps/backend/component.ts");
    const text = readFileSync(file, "utf8");
    expect(text).toContain("image: `${BACKEND_IMAGE.repository}:${v.tag}`");
    writeFileSync(file, text.replace("image: `${BACKEND_IMAGE.repository}:${v.tag}`", "image: `${BACKEND_IMAGE.repository}:latest`"));
  });

  it("WHEN gitops lint runs THEN it refuses the stale generated files", () => {
    const r = gitops(repo, ["lint", "--cluster", "local"]);
    expect(r.stderr).toBe("lint failed: generated files are stale: run npm run generate\n  apps/backend/base/rollout-backend.yaml\n");
    expect(r.status).toBe(1);
    expect(gitops(repo, ["render", "--component", "backend"]).stderr).toMatch(/^render failed: generated files are stale: run npm run generate\n/);
    expect(gitops(repo, ["validate", "--component", "backend"]).status).toBe(1);
  });

  it("WHEN nx run local:lint runs THEN the components are generated first and lint fails on the :latest tag", () => {
    const r = nxRun(repo, ["run", "local:lint"]);
    expect(r.output).toContain("> nx run backend:generate");
    expect(r.output).toContain('image-pinned  Rollout backend/backend  container "backend" image "ghcr.io/acme/backend:latest" uses the :latest tag');
    expect(r.output).toMatch(/lint: \d+ files, \d+ objects, 1 error, 0 warnings/);
    expect(r.status).toBe(1);
    expect(readFileSync(path.join(repo, "apps/backend/base/rollout-backend.yaml"), "utf8")).toContain("image: ghcr.io/acme/backend:latest");
  });
});

describe("GIVEN a generated file edited by hand and a note in base/", () => {
  let repo: string;
  const edited = "apps/docs/base/service-docs.yaml";
  const notes = "apps/docs/base/NOTES.md";
  beforeAll(() => {
    repo = workspaceRepo();
    // The cache holds every target's results for the committed tree.
    expect(nxRun(repo, ["run-many", "-t", "generate", "render", "validate", "lint"]).status).toBe(0);
    appendFileSync(path.join(repo, edited), "# a hand edit\n");
    writeFileSync(path.join(repo, notes), "Why docs runs two replicas.\n");
  });

  it("WHEN the Nx targets run twice THEN both files survive and generate reports the hand edit", () => {
    const editedText = readFileSync(path.join(repo, edited), "utf8");
    for (let i = 0; i < 2; i++) {
      const r = nxRun(repo, ["run-many", "-t", "generate", "render", "validate", "lint"]);
      expect(readFileSync(path.join(repo, edited), "utf8")).toBe(editedText);
      expect(readFileSync(path.join(repo, notes), "utf8")).toBe("Why docs runs two replicas.\n");
      expect(r.output).toContain(`${edited}: was edited by hand since it was generated`);
      expect(r.status).not.toBe(0);
    }
  });

  it("WHEN npm start runs without and then with --force THEN the first refuses and the second overwrites the edit, keeping the note", () => {
    const refused = gitops(repo, ["all"], { GITOPS_CHARTS: "off" });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`${edited}: was edited by hand since it was generated`);
    const forced = gitops(repo, ["all", "--force"], { GITOPS_CHARTS: "off" });
    expect(forced.stderr).toBe("");
    expect(forced.status).toBe(0);
    expect(readFileSync(path.join(repo, edited), "utf8")).not.toContain("# a hand edit");
    expect(existsSync(path.join(repo, notes))).toBe(true);
  });
});

describe("GIVEN a component folder that disappears and comes back", () => {
  it("WHEN it changes afterwards THEN nx show projects --affected still lists its clusters (no nx reset)", () => {
    const repo = workspaceRepo();
    const show = () => runIn(repo, nx, ["show", "projects", "--affected", "--base=main"], env).split("\n").filter(Boolean).sort();
    expect(show()).toEqual([]);
    // A stash of the folder (as a branch switch would do), a graph computed without it, then the pop.
    renameSync(path.join(repo, "apps/backend"), path.join(repo, "backend-away"));
    expect(runIn(repo, nx, ["show", "projects"], env)).not.toMatch(/^backend$/m);
    renameSync(path.join(repo, "backend-away"), path.join(repo, "apps/backend"));
    appendFileSync(path.join(repo, "apps/backend/component.ts"), "\n// a change\n");
    expect(show()).toEqual(["backend", "doks", "homelab", "local"]);
    gitCommit(repo, "backend changed");
  });
});
