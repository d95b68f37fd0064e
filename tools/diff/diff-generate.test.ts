import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { gitCommit, gitops, run, workspaceRepo } from "../testing/temp-workspace.ts";

/** `gitops diff --generate`: each side regenerated from its sources with this toolchain before it is rendered. */
const BACKEND = "apps/backend/component.ts";
/** Charts off: the subject is how each side is generated; both sides' charts are the same. */
const NO_CHARTS = { GITOPS_CHARTS: "off" };

let repo: string;
let broken: string;

beforeAll(() => {
  repo = workspaceRepo();
  const file = path.join(repo, BACKEND);
  const source = readFileSync(file, "utf8");
  writeFileSync(file, source.replace("throw", "throw").replace(/^/, 'throw new Error("boom");\n'));
  gitCommit(repo, "a component that cannot load");
  broken = run(repo, "git", ["rev-parse", "HEAD"]).trim();
  // Prod's autoscaling floor 3 → 4, committed without regenerating.
  writeFileSync(file, source.replace("min: 3, max: 10", "min: 4, max: 10"));
  gitCommit(repo, "backend: at least 4 replicas in prod, not generated");
});

describe("gitops diff --generate", () => {
  it("GIVEN a source change committed without its generated files THEN only --generate shows it", () => {
    const committed = gitops(repo, ["diff", "--base", "HEAD~2", "--cluster", "doks", "--exit-code"], NO_CHARTS);
    expect(committed.stdout).toContain("diff: no change");
    expect(committed.status).toBe(0);
    const generated = gitops(repo, ["diff", "--base", "HEAD~2", "--cluster", "doks", "--generate", "--output", "json"], NO_CHARTS);
    expect(generated.stderr).toMatch(/^diff: generated and rendered base HEAD~2 \(/m);
    const report = JSON.parse(generated.stdout);
    const backend = report.clusters[0].apps.find((a: { name: string }) => a.name === "backend");
    expect(backend.objects.map((o: { kind: string; fields: { path: string; before: unknown; after: unknown }[] }) => [o.kind, o.fields])).toEqual([["HorizontalPodAutoscaler", [{ path: "spec.minReplicas", before: 3, after: 4 }]]]);
    expect(run(repo, "git", ["worktree", "list"]).trim().split("\n")).toHaveLength(1);
  });

  it("GIVEN --worktree THEN uncommitted source edits are generated in a copy, never in the working tree", () => {
    const file = path.join(repo, BACKEND);
    const committed = readFileSync(file, "utf8");
    writeFileSync(file, committed.replace("min: 4, max: 10", "min: 5, max: 10"));
    try {
      const result = gitops(repo, ["diff", "--base", "HEAD", "--worktree", "--generate", "--cluster", "doks", "--output", "json"], NO_CHARTS);
      expect(result.stderr).not.toContain("Error");
      const backend = JSON.parse(result.stdout).clusters[0].apps.find((a: { name: string }) => a.name === "backend");
      expect(backend.objects[0].fields).toEqual([{ path: "spec.minReplicas", before: 4, after: 5 }]);
      expect(run(repo, "git", ["status", "--porcelain"]).trim()).toBe(`M ${BACKEND}`);
    } finally {
      writeFileSync(file, committed);
    }
  });

  it("reports a base that does not generate as such (exit 2)", () => {
    const result = gitops(repo, ["diff", "--base", broken, "--generate", "--cluster", "local"], NO_CHARTS);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`gitops diff: base ${broken} (${broken.slice(0, 12)}) does not generate: ${BACKEND}: cannot be loaded: boom\n` + ["doks", "homelab", "local"].map((c) => `clusters/${c}/cluster.ts: cannot be loaded: boom\n`).join(""));
    expect(run(repo, "git", ["worktree", "list"]).trim().split("\n")).toHaveLength(1);
  });
});
