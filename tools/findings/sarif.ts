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
        results: groupBySource(findings).map((g) => result(g, index.get(g.finding.rule)!, descriptors, options)),
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

/** The cluster a rendered file belongs to (`dist/render/<cluster>/…`), when it is one. */
export function clusterOfRenderedFile(file: string): string | undefined {
  const match = /(?:^|\/)dist\/render\/(?!components\/)([^/]+)\//.exec(file.split(sep).join("/"));
  return match?.[1];
}

/** One result: a finding at its committed source, with every rendered place (one per cluster) it was found at. */
interface SourceGroup {
  readonly finding: Finding;
  readonly rendered: readonly Finding[];
  readonly clusters: readonly string[];
}

/**
 * Findings about the same object, field and message made by the same source line are one result: code
 * scanning annotates the committed component.ts or cluster.ts once, listing the clusters it applies to.
 */
function groupBySource(findings: readonly Finding[]): SourceGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of [...findings].sort(compareFindings)) {
    const o = f.object ?? {};
    const where = f.source ? `${f.source.file}:${f.source.line}:${f.source.column}` : `${f.file}:${f.line}:${f.column}`;
    const key = [f.rule, where, o.apiVersion, o.kind, o.namespace, o.name, formatPath(f.path), f.message, f.hint].join("\u0000");
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const out = [...groups.values()].map((list) => ({
    finding: list[0],
    rendered: list,
    clusters: [...new Set(list.map((f) => clusterOfRenderedFile(f.file)).filter((c): c is string => c !== undefined))].sort(),
  }));
  const primary = (g: SourceGroup) => g.finding.source ?? g.finding;
  return out.sort((a, b) => sarifUri(primary(a).file).localeCompare(sarifUri(primary(b).file)) || primary(a).line - primary(b).line || primary(a).column - primary(b).column || compareFindings(a.finding, b.finding));
}

function result(group: SourceGroup, ruleIndex: number, rules: readonly SarifRule[], options: SarifOptions): object {
  const f = group.finding;
  const object = f.object ? describe(f.object) : undefined;
  const hint = f.hint && f.hint !== rules[ruleIndex].hint ? ` Hint: ${f.hint}` : "";
  const clusters = group.clusters.length ? ` (cluster${group.clusters.length > 1 ? "s" : ""}: ${group.clusters.join(", ")})` : "";
  const primary = f.source ?? f;
  const location: Record<string, unknown> = { physicalLocation: physicalLocation(primary.file, primary.line, primary.column, options) };
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
    message: { text: `${object ? `${object}: ` : ""}${f.message}${hint}${f.source ? clusters : ""}` },
    locations: [location],
    ...(f.source
      ? {
          relatedLocations: group.rendered.map((r, i) => {
            const cluster = clusterOfRenderedFile(r.file);
            return {
              id: i + 1,
              physicalLocation: physicalLocation(r.file, r.line, r.column, options),
              message: { text: cluster ? `rendered for cluster ${cluster}` : "rendered here" },
            };
          }),
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(f) },
    ...(group.clusters.length ? { properties: { clusters: group.clusters } } : {}),
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
  // The committed source when known, so that the same finding in several clusters is one alert.
  const key = [f.rule, f.source?.file ?? f.file, o.apiVersion, o.kind, o.namespace, o.name, formatPath(f.path), f.message].join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}
