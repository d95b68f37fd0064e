import { describe, expect, it } from "vitest";
import { defineComponent } from "./component.ts";
import { declaredValidateExceptions } from "./policy-exception.ts";

describe("declaredValidateExceptions", () => {
  const component = (name: string, expires?: string) =>
    defineComponent({
      name,
      namespace: name,
      values: { dev: {}, prod: {} },
      validateExceptions: [
        { rule: "cluster/dangling-reference", objects: [{ kind: "Service", name: "x" }], reason: "the distribution provides it", ...(expires ? { expires } : {}) },
      ],
    });

  it("GIVEN exceptions of several components THEN lists them by component with its namespace, leaving out the expired", () => {
    const out = declaredValidateExceptions([component("zeta"), component("alpha", "2026-12-06"), component("old", "2026-12-05")], "2026-12-06");
    expect(out.map((e) => [e.component, e.namespace, e.expires])).toEqual([
      ["alpha", "alpha", "2026-12-06"],
      ["zeta", "zeta", undefined],
    ]);
  });
});
