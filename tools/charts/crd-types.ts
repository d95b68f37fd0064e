/**
 * TypeScript types of the custom resources a chart's CRDs define, for `gitops charts types`: each served
 * version of each kind becomes an entry of CustomResourceRegistry (tools/model/custom-resources.ts), so
 * that `CustomResource<"metallb.io/v1beta1", "IPAddressPool">` in a component.ts is the type the pinned
 * chart's CRD describes (required fields required, closed objects, enums as literal unions), and a loose
 * object until the types are generated.
 */
import { GENERATED_HEADER } from "./values-types.ts";

type Schema = Record<string, unknown>;

/** One custom resource type: `apiVersion` (group/version), `kind`, and its TypeScript text. */
export interface CustomResourceType {
  readonly apiVersion: string;
  readonly kind: string;
  readonly type: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The types of every served version of every kind the CRDs define, in group, kind, version order. */
export function customResourceTypes(crds: readonly unknown[]): CustomResourceType[] {
  const out: CustomResourceType[] = [];
  for (const crd of crds) {
    const spec = isSchema(crd) && isSchema(crd.spec) ? crd.spec : undefined;
    const group = typeof spec?.group === "string" ? spec.group : undefined;
    const kind = isSchema(spec?.names) && typeof spec.names.kind === "string" ? spec.names.kind : undefined;
    if (!spec || !group || !kind || !Array.isArray(spec.versions)) continue;
    for (const version of spec.versions) {
      if (!isSchema(version) || typeof version.name !== "string" || version.served === false) continue;
      const schema = isSchema(version.schema) && isSchema(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : {};
      const apiVersion = `${group}/${version.name}`;
      out.push({ apiVersion, kind, type: resourceType(apiVersion, kind, schema) });
    }
  }
  return out.sort((a, b) => (`${a.apiVersion}/${a.kind}` < `${b.apiVersion}/${b.kind}` ? -1 : 1));
}

/** The object: apiVersion, kind and metadata fixed; the schema's other top-level fields as it says (status left out). */
function resourceType(apiVersion: string, kind: string, schema: Schema): string {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : []);
  const lines = [`    apiVersion: ${JSON.stringify(apiVersion)};`, `    kind: ${JSON.stringify(kind)};`, "    metadata: CustomResourceMetadata;"];
  for (const [key, value] of Object.entries(properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (["apiVersion", "kind", "metadata", "status"].includes(key)) continue;
    lines.push(`    ${property(key, required.has(key))}: ${typeText(value, "    ")};`);
  }
  return `{\n${lines.join("\n")}\n  }`;
}

function property(key: string, required: boolean): string {
  return `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}${required ? "" : "?"}`;
}

/** The TypeScript text of a structural schema (the subset CRDs use). */
export function typeText(node: unknown, indent = ""): string {
  if (!isSchema(node)) return "unknown";
  if (node["x-kubernetes-int-or-string"] === true) return "number | string";
  if (Array.isArray(node.enum) && node.enum.length > 0) {
    return node.enum.map((v) => (v === null ? "null" : typeof v === "object" ? "unknown" : JSON.stringify(v))).join(" | ");
  }
  const open = node["x-kubernetes-preserve-unknown-fields"] === true;
  switch (node.type) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array": {
      const items = typeText(node.items, indent);
      return /^[\w.]+$|^\{[\s\S]*\}$/.test(items) && !items.includes(" | ") ? `readonly ${items}[]` : `readonly (${items})[]`;
    }
    case "object":
    case undefined: {
      const properties = isSchema(node.properties) ? node.properties : undefined;
      const additional = isSchema(node.additionalProperties) ? node.additionalProperties : node.additionalProperties === true ? {} : undefined;
      if (!properties || Object.keys(properties).length === 0) {
        if (additional) return `{ readonly [key: string]: ${free(additional, indent)} }`;
        if (open || node.type === undefined) return "{ readonly [key: string]: any }";
        return "{ readonly [key: string]: never }";
      }
      const required = new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === "string") : []);
      const inner = `${indent}  `;
      const lines = Object.entries(properties).map(([key, value]) => `${inner}readonly ${property(key, required.has(key))}: ${typeText(value, inner)};`);
      if (open || additional) lines.push(`${inner}readonly [key: string]: any;`);
      return `{\n${lines.join("\n")}\n${indent}}`;
    }
    default:
      return "unknown";
  }
}

function free(schema: Schema, indent: string): string {
  const text = typeText(schema, indent);
  return text === "unknown" ? "any" : text;
}

/**
 * A declaration file adding a chart's custom resource types to the CustomResourceRegistry of
 * `registryModule` (the import specifier of tools/model/custom-resources.ts, relative to the file).
 */
export function customResourceDeclaration(chart: string, version: string, types: readonly CustomResourceType[], registryModule: string): string {
  return [
    GENERATED_HEADER,
    `// ${chart} ${version}: the custom resources of the chart's CustomResourceDefinitions`,
    `import type { CustomResourceMetadata } from ${JSON.stringify(registryModule)};`,
    "",
    `declare module ${JSON.stringify(registryModule)} {`,
    "  interface CustomResourceRegistry {",
    ...types.map((t) => `    ${JSON.stringify(`${t.apiVersion}/${t.kind}`)}: ${t.type.replace(/\n/g, "\n  ")};`),
    "  }",
    "}",
    "",
  ].join("\n");
}
