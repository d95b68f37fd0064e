import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Component } from "../model/component.ts";
import { flushMemos } from "../workspace/cache.ts";
import { componentObjects } from "./component-objects.ts";

describe("componentObjects: model validation remembered for unchanged objects", () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), "gitops-models-"));
  const saved = process.env.GITOPS_CACHE_DIR;
  beforeAll(() => {
    process.env.GITOPS_CACHE_DIR = cache;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
    else process.env.GITOPS_CACHE_DIR = saved;
  });

  /** A component of one model-like object whose validate() counts its calls and fails when told to. */
  function componentOf(data: Record<string, string>, state: { calls: number; fail?: string }): Component<Record<string, never>> {
    const model = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data,
      validate() {
        state.calls++;
        if (state.fail) throw new Error(state.fail);
      },
    };
    return { name: "web", namespace: "web", values: { dev: {}, prod: {} }, resources: () => [model] } as unknown as Component<Record<string, never>>;
  }

  it("GIVEN an object whose validate() passed WHEN it is produced again THEN validate() is not run; a changed object runs it", () => {
    const state = { calls: 0 };
    componentObjects(componentOf({ a: "1" }, state), "apps/web/component.ts", "dev");
    componentObjects(componentOf({ a: "1" }, state), "apps/web/component.ts", "dev");
    expect(state.calls).toBe(1);
    componentObjects(componentOf({ a: "2" }, state), "apps/web/component.ts", "dev");
    expect(state.calls).toBe(2);
    flushMemos();
    expect(readdirSync(path.join(cache, "valid-models"))).toHaveLength(1);
  });

  it("GIVEN an object whose validate() fails THEN it fails every time (a failure is never remembered)", () => {
    const state = { calls: 0, fail: "data/a must be string" };
    const run = () => componentObjects(componentOf({ b: "x" }, state), "apps/web/component.ts", "dev");
    expect(run).toThrow("apps/web/component.ts (dev): ConfigMap web/settings is invalid: a must be string");
    expect(run).toThrow("is invalid: a must be string");
    expect(state.calls).toBe(2);
  });
});
