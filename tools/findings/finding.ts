export type Severity = "error" | "warning";

/** The object a finding is about, as far as it could be read. */
export interface ObjectRef {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** A location in a file; lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One problem found by validate or lint. Findings are data: stages return them, one reporter prints them.
 * `path` is the field path inside the object (["spec", "template", "spec", "containers", 0, "image"]).
 */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly object?: ObjectRef;
  readonly path?: readonly (string | number)[];
  readonly hint?: string;
  /** Where the object came from (component.ts), when known. */
  readonly source?: SourceLocation;
  /** For an object a chart rendered: the chart (`argo-cd@10.1.1`) and the template file. */
  readonly chart?: { readonly chart: string; readonly template: string };
}

/** A finding before its line is known: the object it is about and the field path. */
export interface ObjectFinding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly hint?: string;
}

/** `spec.template.spec.containers[0].image` */
export function formatPath(path: readonly (string | number)[] | undefined): string {
  if (!path || path.length === 0) return "";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) f.severity === "error" ? errors++ : warnings++;
  return { errors, warnings };
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule);
}
