import type { ObjectFinding } from "../findings/finding.ts";
import { formatPath } from "../findings/finding.ts";
import { translateRe2Pattern } from "../schemas/re2-pattern.ts";
import { arrayAt, isRecord, show } from "./objects.ts";

/**
 * The `pattern`s of a CustomResourceDefinition that have no JavaScript equivalent (Go/RE2 syntax such as
 * `(?m)`): the schema made from the CRD leaves them out, so custom resources are not checked against them.
 * Said once, at the pattern, as a warning; a pattern that translates (re2-pattern.ts) is checked as Go would.
 */
export function checkCrdPatterns(object: unknown): ObjectFinding[] {
  // Fast path: every pattern string of the CRD at once, from its JSON text; walk the schema only when one is skipped.
  if (!isRecord(object) || !hasSkippedPattern(JSON.stringify(object.spec ?? null))) return [];
  const findings: ObjectFinding[] = [];
  // One path, pushed and popped: a CRD's schema has thousands of nodes and almost never a finding.
  const path: (string | number)[] = [];
  const visit = (node: unknown): void => {
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
    const step = (keys: (string | number)[], sub: unknown) => {
      path.push(...keys);
      visit(sub);
      path.length -= keys.length;
    };
    if (isRecord(node.properties)) for (const key in node.properties) step(["properties", key], node.properties[key]);
    if (node.items !== undefined) step(["items"], node.items);
    if (node.additionalProperties !== undefined) step(["additionalProperties"], node.additionalProperties);
    if (node.not !== undefined) step(["not"], node.not);
    for (const key of ["allOf", "anyOf", "oneOf"]) {
      const list = node[key];
      if (Array.isArray(list)) list.forEach((sub, i) => step([key, i], sub));
    }
  };
  const start = (keys: (string | number)[], node: unknown) => {
    path.push(...keys);
    visit(node);
    path.length = 0;
  };
  arrayAt(object, ["spec", "versions"]).forEach((version, i) =>
    start(["spec", "versions", i, "schema", "openAPIV3Schema"], isRecord(version) && isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined),
  );
  if (isRecord(object) && isRecord(object.spec) && isRecord(object.spec.validation)) start(["spec", "validation", "openAPIV3Schema"], object.spec.validation.openAPIV3Schema);
  return findings;
}

function hasSkippedPattern(json: string): boolean {
  for (const match of json.matchAll(/"pattern":("(?:[^"\\]|\\.)*")/g)) {
    if ("skipped" in translateRe2Pattern(JSON.parse(match[1]!) as string)) return true;
  }
  return false;
}
