import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

describe("the test run's temporary folder (tools/testing/global-setup.ts)", () => {
  it("is where this process and those it starts make their temporary folders: removed as a whole when the run ends", () => {
    expect(path.basename(os.tmpdir())).toMatch(/^gitops-test-run-/);
    expect(process.env.TMPDIR).toBe(os.tmpdir());
  });
});
