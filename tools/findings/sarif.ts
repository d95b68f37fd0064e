import { createHash } from "node:crypto";
import { isAbsolute, relative, sep } from "node:path";
import { compareFindings, formatPath, type Finding, type Severity } from "./finding.ts";

/** What SARIF says about a rule: its id, a title, why it exists and how to fix a finding. */
export interface SarifRule {
  readonly id: string;
  readonly title: string;
  readonly rationale?: string;
  readonly hint?: string;
  readonly severity: Severity;
  readonly helpUri?: string;
}

export interface SarifTool {
  readonly name: string;
  readonly version: string;
  readonly informationUri?: string;
}

export interface SarifOptions {
  /**
   * Directory that finding files are relative to in the repository (the repository root). Absolute
   * file names under it are made relative; GitHub code scanning maps only repository-relative URIs.
   */
  readonly root?: string;
}

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** The partialFingerprints key: a hash of what the finding is about, stable when lines move. */
export const FINGERPRINT_KEY = "typedGitopsFinding/v1";

/**
 * A SARIF 2.1.0 log of one run, as GitHub code scanning accepts it: each rule in
 * `tool.driver.rules` (with descriptions, help and default level), each finding a result with its rule,
 * level, message and a repository-relative location. Rules a finding names but `rules` lacks (validate's)
 * get a minimal descriptor so that every `ruleIndex` is valid.
 */
export function toSarif(
  findings: readonly Finding[],
  rules: readonly SarifRule[],
  tool: SarifTool,
  options: SarifOptions = {},
): object {
  const descriptors = [...rules];
  const index = new Map(descriptors.map((r, i) => [r.id, i]));
  for (const f of [...findings].sort((a, b) => a.rule.localeCompare(b.rule))) {
    if (index.has(f.rule)) continue;
    index.set(f.rule, descriptors.length);
    descriptors.push({ id: f.rule, title: f.rule, severity: f.severity });
  }
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(/^\d+\.\d+\.\d+(-[\w.-]+)?(\+[\w.-]+)?$/.test(tool.version) ? { semanticVersion: tool.version } : {}),
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: descriptors.map(ruleDescriptor),
          },
        },
        columnKind: "utf16CodeUnits",
        results: [...findings].sort(compareFindings).map((f) => result(f, index.get(f.rule)!, descriptors, options)),
      },
    ],
  };
}

function ruleDescriptor(rule: SarifRule): object {
  const markdown = [`**${rule.title}**`, rule.rationale, rule.hint && `**Fix:** ${rule.hint}`]
    .filter(Boolean)
    .join("\n\n");
  return {
    id: rule.id,
    name: rule.id.replace(/(^|[-_.])(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.rationale ?? rule.title },
    help: { text: [rule.rationale, rule.hint].filter(Boolean).join(" ") || rule.title, markdown },
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    defaultConfiguration: { level: rule.severity },
    properties: { tags: ["kubernetes"], precision: "very-high", "problem.severity": rule.severity },
  };
}

function result(f: Finding, ruleIndex: number, rules: readonly SarifRule[], options: SarifOptions): object {
  const object = f.object ? describe(f.object) : undefined;
  const hint = f.hint && f.hint !== rules[ruleIndex].hint ? ` Hint: ${f.hint}` : "";
  const location: Record<string, unknown> = { physicalLocation: physicalLocation(f.file, f.line, f.column, options) };
  if (object) {
    const path = formatPath(f.path);
    location.logicalLocations = [
      { name: object, fullyQualifiedName: path ? `${object} ${path}` : object, kind: "resource" },
    ];
  }
  return {
    ruleId: f.rule,
    ruleIndex,
    level: f.severity,
    message: { text: `${object ? `${object}: ` : ""}${f.message}${hint}` },
    locations: [location],
    ...(f.source
      ? {
          relatedLocations: [
            {
              id: 1,
              physicalLocation: physicalLocation(f.source.file, f.source.line, f.source.column, options),
              message: { text: "defined here" },
            },
          ],
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
  };
}

function physicalLocation(file: string, line: number, column: number, options: SarifOptions): object {
  return {
    artifactLocation: { uri: sarifUri(file, options.root), uriBaseId: "%SRCROOT%" },
    region: { startLine: Math.max(1, Math.trunc(line) || 1), startColumn: Math.max(1, Math.trunc(column) || 1) },
  };
}

/** A repository-relative URI reference: `/` separators, no `./`, each segment percent-encoded. */
export function sarifUri(file: string, root?: string): string {
  let path = file;
  if (root && isAbsolute(path)) {
    const rel = relative(root, path);
    if (!rel.startsWith("..") && !isAbsolute(rel)) path = rel;
  }
  path = path.split(sep).join("/").replace(/\\/g, "/");
  while (path.startsWith("./")) path = path.slice(2);
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return isAbsolute(file) && path === file.split(sep).join("/") ? `file://${encoded}` : encoded;
}

function describe(o: NonNullable<Finding["object"]>): string {
  const kind = o.kind ?? "<no kind>";
  const name = o.name ?? "<no name>";
  return o.namespace ? `${kind} ${o.namespace}/${name}` : `${kind} ${name}`;
}

function fingerprint(f: Finding): string {
  const o = f.object ?? {};
  const key = [f.rule, f.file, o.apiVersion, o.kind, o.namespace, o.name, formatPath(f.path), f.message].join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}
