import type { ObjectFinding } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { translateRe2Pattern } from "../schemas/re2-pattern.ts";
import { arrayAt, isRecord, show, type Path } from "./objects.ts";

/**
 * The `pattern`s of a CustomResourceDefinition that have no JavaScript equivalent (Go/RE2 syntax such as
 * `(?m)`): the schema made from the CRD leaves them out, so custom resources are not checked against them.
 * Said once, at the pattern, as a warning; a pattern that translates (re2-pattern.ts) is checked as Go would.
 */
export function checkCrdPatterns(object: unknown): ObjectFinding[] {
  const findings: ObjectFinding[] = [];
  const visit = (node: unknown, path: Path): void => {
    if (!isRecord(node)) return;
    if (typeof node.pattern === "string") {
      const translated = translateRe2Pattern(node.pattern);
      if ("skipped" in translated) {
        const at = [...path, "pattern"];
        findings.push({
          rule: "api/crd-pattern",
          severity: "warning",
          path: at,
          message: `${formatPath(at)}: ${show(node.pattern)} is Go (RE2) syntax with no JavaScript equivalent (${translated.skipped}), so custom resources are not checked against it`,
        });
      }
    }
    if (isRecord(node.properties)) for (const [key, sub] of Object.entries(node.properties)) visit(sub, [...path, "properties", key]);
    for (const key of ["items", "additionalProperties", "not"]) visit(node[key], [...path, key]);
    for (const key of ["allOf", "anyOf", "oneOf"]) arrayAt(node, [key]).forEach((sub, i) => visit(sub, [...path, key, i]));
  };
  arrayAt(object, ["spec", "versions"]).forEach((version, i) => visit(isRecord(version) && isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined, ["spec", "versions", i, "schema", "openAPIV3Schema"]));
  if (isRecord(object) && isRecord(object.spec) && isRecord(object.spec.validation)) visit(object.spec.validation.openAPIV3Schema, ["spec", "validation", "openAPIV3Schema"]);
  return findings;
}
