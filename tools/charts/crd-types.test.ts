import { describe, expect, it } from "vitest";
import { customResourceDeclaration, customResourceTypes, typeText } from "./crd-types.ts";

const crd = (versions: unknown[]) => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: { group: "example.com", names: { kind: "Widget" }, versions },
});

describe("typeText: a CRD's structural schema as TypeScript", () => {
  it.each([
    [{ type: "string" }, "string"],
    [{ type: "integer", format: "int32" }, "number"],
    [{ "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] }, "number | string"],
    [{ type: "string", enum: ["All", "OneOf"] }, '"All" | "OneOf"'],
    [{ type: "array", items: { type: "string" } }, "readonly string[]"],
    [{ type: "array", items: { type: "string", enum: ["a", "b"] } }, 'readonly ("a" | "b")[]'],
    [{ type: "object", additionalProperties: { type: "string" } }, "{ readonly [key: string]: string }"],
    [{ type: "object", "x-kubernetes-preserve-unknown-fields": true }, "{ readonly [key: string]: any }"],
    [{ type: "object" }, "{ readonly [key: string]: never }"],
    [{}, "{ readonly [key: string]: any }"],
  ])("GIVEN %j THEN %s", (schema, text) => {
    expect(typeText(schema)).toBe(text);
  });

  it("GIVEN an object with required and optional fields THEN the required ones have no `?`, and preserve-unknown-fields adds an index signature", () => {
    expect(typeText({ type: "object", required: ["name"], properties: { name: { type: "string" }, size: { type: "integer" } }, "x-kubernetes-preserve-unknown-fields": true })).toBe(
      "{\n  readonly name: string;\n  readonly size?: number;\n  readonly [key: string]: any;\n}",
    );
  });
});

describe("customResourceTypes", () => {
  it("GIVEN a CRD THEN one type per served version, with apiVersion, kind and metadata fixed and status left out", () => {
    const schema = { openAPIV3Schema: { type: "object", required: ["spec"], properties: { apiVersion: { type: "string" }, spec: { type: "object", properties: { size: { type: "integer" } } }, status: { type: "object" } } } };
    const types = customResourceTypes([crd([{ name: "v1", served: true, schema }, { name: "v1alpha1", served: false, schema }])]);
    expect(types).toEqual([
      { apiVersion: "example.com/v1", kind: "Widget", type: '{\n    apiVersion: "example.com/v1";\n    kind: "Widget";\n    metadata: CustomResourceMetadata;\n    spec: {\n      readonly size?: number;\n    };\n  }' },
    ]);
    expect(customResourceDeclaration("widgets", "1.0.0", types, "../../tools/model/custom-resources.ts")).toContain('    "example.com/v1/Widget": {\n      apiVersion: "example.com/v1";');
  });

  it("GIVEN something that is not a complete CRD THEN it is left out", () => {
    expect(customResourceTypes([{ kind: "CustomResourceDefinition" }, crd([{ served: true }]), null])).toEqual([]);
  });
});
