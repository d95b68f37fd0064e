import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { skipWithoutUpstream, upstreamPath, UPSTREAM_DIR } from "./upstream.ts";

describe("skipWithoutUpstream", () => {
  const saved = process.env.GITOPS_REQUIRE_UPSTREAM;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITOPS_REQUIRE_UPSTREAM;
    else process.env.GITOPS_REQUIRE_UPSTREAM = saved;
  });

  it("skips what is absent, unless the data is required (then the tests run and fail)", () => {
    delete process.env.GITOPS_REQUIRE_UPSTREAM;
    expect(skipWithoutUpstream("no-such-folder-here")).toBe(true);
    process.env.GITOPS_REQUIRE_UPSTREAM = "1";
    expect(skipWithoutUpstream("no-such-folder-here")).toBe(false);
  });

  it("resolves paths inside the upstream folder", () => {
    expect(upstreamPath("crds", "a.yaml")).toBe(path.join(UPSTREAM_DIR, "crds", "a.yaml"));
  });
});
