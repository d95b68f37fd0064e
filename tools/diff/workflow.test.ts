import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> };

describe("the CI workflow's pull-request diff", () => {
  const text = readFileSync(path.join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8");
  const workflow = parse(text) as { permissions: Record<string, string>; concurrency: { group: string }; jobs: { platform: { steps: Step[] } } };
  const steps = workflow.jobs.platform.steps;

  it("has the permissions nx-set-shas and the comment need, and one run per ref", () => {
    expect(workflow.permissions).toMatchObject({ actions: "read", "pull-requests": "write", contents: "read" });
    expect(workflow.concurrency.group).toContain("${{ github.ref }}");
  });

  it("keys the cache by content, not by commit", () => {
    const cache = steps.find((s) => s.uses?.startsWith("actions/cache@"))!;
    expect(cache.with!.key).not.toContain("github.sha");
  });

  it("never passes the diff through a step output, renders once into files, and posts the comment parts found by their marker", () => {
    expect(text).not.toMatch(/steps\.[\w-]+\.outputs|GITHUB_OUTPUT|set-output/);
    const diff = steps.find((s) => s.name === "Rendered diff")!;
    expect(diff.run!.match(/gitops diff /g)).toHaveLength(1);
    expect(diff.run).toContain("--out-dir dist/diff");
    expect(diff.run).toContain("cat dist/diff/comment-1.md >> \"$GITHUB_STEP_SUMMARY\"");
    const post = steps.find((s) => s.name === "Post or update the diff comments")!;
    expect(post.uses).toMatch(/^actions\/github-script@v7$/);
    expect(post.if).toContain("env.SAME_REPO == 'true'");
    const script = post.with!.script;
    expect(script).toContain('"tools/diff/comment-plan.mjs"');
    expect(existsSync(path.join(REPO_ROOT, "tools/diff/comment-plan.mjs"))).toBe(true);
    expect(script).toContain('"dist/diff"');
    for (const call of ["commentPlan(", "updateComment(", "createComment(", "deleteComment("]) expect(script).toContain(call);
    // github-script runs the script as the body of an async function with these names in scope: it must compile as one.
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => unknown;
    expect(() => new AsyncFunction("require", "github", "context", "core", "process", script)).not.toThrow();
  });

  it("uploads every file of the diff as the artifact the comment points at", () => {
    const upload = steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.with!.path).toBe("dist/diff/");
    expect(steps.indexOf(upload)).toBeGreaterThan(steps.findIndex((s) => s.name === "Rendered diff"));
  });

  it("skips the SARIF upload on pull requests from forks", () => {
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
    expect(upload.if).toContain("env.SAME_REPO == 'true'");
  });
});
