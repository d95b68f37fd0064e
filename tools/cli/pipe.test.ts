import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { REPO_ROOT } from "../testing/temp-workspace.ts";

describe("gitops writing into a pipe its reader closed", () => {
  test("GIVEN `gitops --help | true` (the reader is gone before the first write) THEN it stops quietly, without an EPIPE stack trace", () => {
    const bin = path.join(REPO_ROOT, "tools/bin/gitops.mjs");
    const r = spawnSync("bash", ["-c", `node "${bin}" --help | true`], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
