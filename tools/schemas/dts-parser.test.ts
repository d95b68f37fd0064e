import { describe, expect, it } from "vitest";
import { DtsParseError, parseDts, parseType } from "./dts-parser.ts";

describe("parseType", () => {
  it("reads literal unions, arrays, maps and references", () => {
    expect(parseType(`"Always" | "IfNotPresent" | "Never"`)).toEqual({
      kind: "union",
      types: [
        { kind: "literal", value: "Always" },
        { kind: "literal", value: "IfNotPresent" },
        { kind: "literal", value: "Never" },
      ],
    });
    expect(parseType("Array<IIoK8sApiCoreV1EnvVar>")).toEqual({ kind: "array", element: { kind: "ref", name: "IIoK8sApiCoreV1EnvVar" } });
    expect(parseType("string[]")).toEqual({ kind: "array", element: { kind: "keyword", name: "string" } });
    expect(parseType("{\n [key: string]: string;\n}")).toEqual({ kind: "object", members: [], index: { kind: "keyword", name: "string" } });
    expect(parseType("301 | 302")).toEqual({ kind: "union", types: [{ kind: "literal", value: 301 }, { kind: "literal", value: 302 }] });
    expect(parseType(`IFoo["spec"]`)).toEqual({ kind: "ref", name: "IFoo", member: "spec" });
    expect(parseType("{}")).toEqual({ kind: "object", members: [] });
  });

  it("reads an intersection with Exclude (how the istio models spell oneOf)", () => {
    const t = parseType(`{ "a"?: string; "b"?: string } & (Exclude<{ "a"?: string }, { "a": string }> | { "a": string; "b"?: string })`);
    expect(t.kind).toBe("intersection");
    if (t.kind !== "intersection") return;
    expect(t.types[0]).toEqual({
      kind: "object",
      members: [
        { name: "a", optional: true, type: { kind: "keyword", name: "string" } },
        { name: "b", optional: true, type: { kind: "keyword", name: "string" } },
      ],
    });
    expect(t.types[1]!.kind).toBe("union");
  });
});

describe("parseDts", () => {
  const text = `import { IIoK8sApimachineryPkgApisMetaV1ObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";
import { IIoK8sApiAppsV1DeploymentSpec as Spec } from "./DeploymentSpec.js";
import { ModelData, TypeMeta, Model } from "@kubernetes-models/base";
/**
 * Deployment enables declarative updates for Pods and ReplicaSets. "quoted" { braces }
 */
export interface IDeployment extends TypeMeta {
    "apiVersion": "apps/v1";
    "kind": "Deployment";
    /** Standard object's metadata. */
    "metadata"?: IIoK8sApimachineryPkgApisMetaV1ObjectMeta;
    "spec"?: Spec;
}
export declare class Deployment extends Model<IDeployment> implements IDeployment {
    "apiVersion": IDeployment["apiVersion"];
    static is: import("@kubernetes-models/base").TypeMetaGuard<IDeployment>;
    constructor(data?: ModelData<IDeployment>);
}
export type { IDeployment as IIoK8sApiAppsV1Deployment, Deployment as IoK8sApiAppsV1Deployment };
`;

  it("reads imports, interfaces and the export list, skipping the class", () => {
    const parsed = parseDts(text, "Deployment.d.ts");
    expect([...parsed.imports]).toEqual([
      ["IIoK8sApimachineryPkgApisMetaV1ObjectMeta", { imported: "IIoK8sApimachineryPkgApisMetaV1ObjectMeta", from: "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta" }],
      ["Spec", { imported: "IIoK8sApiAppsV1DeploymentSpec", from: "./DeploymentSpec.js" }],
      ["ModelData", { imported: "ModelData", from: "@kubernetes-models/base" }],
      ["TypeMeta", { imported: "TypeMeta", from: "@kubernetes-models/base" }],
      ["Model", { imported: "Model", from: "@kubernetes-models/base" }],
    ]);
    expect(parsed.declarations).toEqual([
      {
        name: "IDeployment",
        form: "interface",
        extends: ["TypeMeta"],
        type: {
          kind: "object",
          members: [
            { name: "apiVersion", optional: false, type: { kind: "literal", value: "apps/v1" } },
            { name: "kind", optional: false, type: { kind: "literal", value: "Deployment" } },
            { name: "metadata", optional: true, type: { kind: "ref", name: "IIoK8sApimachineryPkgApisMetaV1ObjectMeta" } },
            { name: "spec", optional: true, type: { kind: "ref", name: "Spec" } },
          ],
        },
      },
    ]);
    expect(parsed.exportAliases.get("IIoK8sApiAppsV1Deployment")).toBe("IDeployment");
    expect(parsed.exportAliases.get("IoK8sApiAppsV1Deployment")).toBe("Deployment");
  });

  it("reads type aliases", () => {
    const parsed = parseDts(`export type IIntOrString = string | number;\nexport type IntOrString = IIntOrString;\n`);
    expect(parsed.declarations.map((d) => [d.name, d.form, d.type.kind])).toEqual([
      ["IIntOrString", "alias", "union"],
      ["IntOrString", "alias", "ref"],
    ]);
  });

  it("names the file and offset of what it cannot read", () => {
    expect(() => parseDts(`export interface IX { "a": ; }`, "X.d.ts")).toThrow(new DtsParseError(`X.d.ts: unexpected ";" in a type at offset 27`));
  });
});
