import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDirs } from "../testing/temp-workspace.ts";
import { renderCrdSchemaDir } from "./render-crds.ts";

const CRD = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Widget", plural: "widgets" },
    scope: "Namespaced",
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } } }],
  },
};

describe("renderCrdSchemaDir", () => {
  const temps = tempDirs();
  afterAll(temps.removeAll);
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.GITOPS_CACHE_DIR;
    process.env.GITOPS_CACHE_DIR = temps.make("gitops-crd-schemas-");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.GITOPS_CACHE_DIR;
    else process.env.GITOPS_CACHE_DIR = saved;
  });

  it("GIVEN the same CRDs twice THEN one folder, imported once", () => {
    const dir = renderCrdSchemaDir([CRD])!;
    expect(readdirSync(dir).sort()).toEqual(["example.com.json", "index.json"]);
    expect(renderCrdSchemaDir([structuredClone(CRD)])).toBe(dir);
  });

  it("GIVEN a folder an earlier toolchain imported for the same CRDs (keyed by their content alone) THEN it is not used: the import's code is part of the key", () => {
    const cache = process.env.GITOPS_CACHE_DIR!;
    const stale = path.join(cache, "crd-schemas", createHash("sha256").update(JSON.stringify([CRD])).digest("hex").slice(0, 24));
    mkdirSync(stale, { recursive: true });
    writeFileSync(path.join(stale, "index.json"), "{}\n");
    const dir = renderCrdSchemaDir([CRD])!;
    expect(dir).not.toBe(stale);
    expect(readdirSync(dir).sort()).toEqual(["example.com.json", "index.json"]);
  });
});
