import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tools/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Tests spawn kubectl, git and nx; two cores are shared among forks.
    pool: "forks",
    // The chart mirror on loopback for tests that render charts (tools/testing/global-setup.ts).
    globalSetup: ["tools/testing/global-setup.ts"],
  },
});
