import { describe, expect, test } from "vitest";
import { pinnedPlatform } from "../engines/binaries.ts";
import { gitops, REPO_ROOT } from "../testing/temp-workspace.ts";

describe("gitops --version", () => {
  test.runIf(pinnedPlatform())("prints the toolchain's version, Helm's and Kustomize's", () => {
    const r = gitops(REPO_ROOT, ["--version"], { PATH: "" });
    expect(r).toMatchObject({ status: 0, stderr: "" });
    expect(r.stdout).toBe("gitops 0.1.0\nhelm v4.1.4 (pinned)\nkustomize v5.7.1 (kubectl v1.35.2, pinned)\n");
  });

  test("a missing override is a usage error naming it", () => {
    const r = gitops(REPO_ROOT, ["--version"], { GITOPS_HELM: "/nonexistent/helm" });
    expect(r).toMatchObject({ status: 2, stdout: "", stderr: "gitops --version: GITOPS_HELM=/nonexistent/helm: no such file\n" });
  });
});
