import { describe, expect, it } from "vitest";
import { gitops, REPO_ROOT } from "../testing/temp-workspace.ts";

describe("the committed generated files", () => {
  it("are what generate writes from the component and cluster files (CI fails otherwise)", () => {
    const run = gitops(REPO_ROOT, ["generate", "--check"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/\(0 to write, 0 to delete, \d+ unchanged\)/);
    expect(run.status).toBe(0);
  });
});
