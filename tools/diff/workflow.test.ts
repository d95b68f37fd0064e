import { readFileSync } from "node:fs";
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

  it("never passes the diff through a step output, and posts one comment found by its marker", () => {
    expect(text).not.toMatch(/steps\.[\w-]+\.outputs|GITHUB_OUTPUT|set-output/);
    const post = steps.find((s) => s.name === "Post or update the diff comment")!;
    expect(post.with!.script).toContain('readFileSync("dist/diff/comment.md"');
    expect(post.with!.script).toContain("<!-- gitops-diff -->");
    expect(post.if).toContain("env.SAME_REPO == 'true'");
    const diff = steps.find((s) => s.name === "Rendered diff")!;
    expect(diff.run).toContain('>> "$GITHUB_STEP_SUMMARY"');
  });

  it("skips the SARIF upload on pull requests from forks", () => {
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))!;
    expect(upload.if).toContain("env.SAME_REPO == 'true'");
  });
});
