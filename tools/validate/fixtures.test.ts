import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { CASES } from "./fixtures/cases.ts";
import { fixturePath, runFixture } from "./fixtures/run-fixture.ts";
import { VALIDATE_RULES } from "./rules.ts";

describe("validate fixtures", () => {
  it.each(CASES.map((c) => [c.file, c] as const))("%s", (_file, fixture) => {
    if (fixture.parseError) {
      expect(() => runFixture(fixture)).toThrow(fixture.parseError);
      return;
    }
    const found = runFixture(fixture);
    expect(found.map((f) => `#${f.document} ${f.rule} ${f.severity}`)).toEqual(fixture.expect.map((e) => `#${e.document} ${e.rule} ${e.severity}`));
    fixture.expect.forEach((expected, i) => expect(found[i].message).toContain(expected.message));
  });

  it("valid fixtures expect nothing, invalid ones something", () => {
    for (const fixture of CASES) {
      if (fixture.file.startsWith("valid/")) expect(fixture.expect, fixture.file).toEqual([]);
      else expect(fixture.expect.length > 0 || fixture.parseError !== undefined, fixture.file).toBe(true);
    }
  });

  it("cover every rule and severity validate reports, and only those", () => {
    const covered = new Set(CASES.flatMap((c) => c.expect.map((e) => `${e.rule} ${e.severity}`)));
    const declared = Object.entries(VALIDATE_RULES).flatMap(([rule, { severities }]) => severities.map((s) => `${rule} ${s}`));
    expect([...covered].filter((r) => !declared.includes(r))).toEqual([]);
    expect(declared.filter((r) => !covered.has(r))).toEqual([]);
  });

  it("every fixture file has a case", () => {
    const root = fixturePath(".");
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".yaml") ? [relative(root, join(dir, e.name))] : []));
    expect(files(root).sort()).toEqual(CASES.map((c) => c.file).sort());
  });
});
