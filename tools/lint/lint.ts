import type { ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { DeclaredPolicyException } from "../model/policy-exception.ts";
import {
  EXCEPTION_HINT,
  activeExceptions,
  exceptionCovers,
  exceptionProblems,
  ignoreAnnotationFinding,
  isExpired,
  utcToday,
} from "./exceptions.ts";
import { KYVERNO_EXCLUDED_NAMESPACES } from "./kyverno-config.ts";
import { POLICY_EXCEPTION_RULE, isRecord, type RuleContext } from "./rule.ts";
import { POLICY_RULES } from "./rules.ts";
import { resolvePolicySettings, type PolicySettings } from "./settings.ts";

/** One object to lint; `id` is the caller's handle (e.g. its index among loaded documents) to locate findings. */
export interface LintInput {
  readonly object: unknown;
  readonly id: number;
}

export interface LintResult {
  readonly id: number;
  readonly finding: ObjectFinding;
}

/** A finding about a declared exception itself (malformed, expired, matching nothing). */
export interface ExceptionResult {
  readonly exception: DeclaredPolicyException;
  readonly finding: ObjectFinding;
}

export interface LintOptions {
  /** The typed exceptions the components of the set declare (component.ts `policyExceptions`). */
  readonly exceptions?: readonly DeclaredPolicyException[];
  /** The day exceptions are judged on (YYYY-MM-DD). @default today in UTC */
  readonly today?: string;
  /**
   * Components whose objects were not all checked (a chart that was not rendered, which is reported
   * on its own): an exception of theirs that names nothing checked may still name a real object.
   */
  readonly partlyChecked?: ReadonlySet<string>;
}

export interface LintReport {
  readonly objects: LintResult[];
  readonly exceptions: ExceptionResult[];
}

/**
 * Runs every enabled policy rule over a set of objects (a cluster's or a project's rendered output).
 * The set matters: `pdb-for-replicated` looks for PodDisruptionBudgets and autoscalers among the others.
 * A typed exception waives its rule for the objects it names; a malformed or expired exception is an
 * error and one that names no object of the set a warning (rule `policy-exception`). Values that are
 * not Kubernetes objects are left to validate, and objects in the namespaces Kyverno never checks
 * (KYVERNO_EXCLUDED_NAMESPACES) are left out as Kyverno leaves them out. Throws PolicySettingsError when the settings name an unknown rule.
 */
export function lintSet(objects: readonly LintInput[], settings: PolicySettings, options: LintOptions = {}): LintReport {
  const resolved = resolvePolicySettings(settings);
  const today = options.today ?? utcToday();
  const declared = options.exceptions ?? [];
  const inputs = objects.filter((o): o is { object: KubeObject; id: number } => isKubeObject(o.object));
  const context: RuleContext = { settings: resolved, objects: inputs.map((o) => o.object) };
  const active = activeExceptions(declared, today);
  const out: LintResult[] = [];
  for (const { object, id } of inputs) {
    const annotation = ignoreAnnotationFinding(object);
    if (annotation) out.push({ id, finding: annotation });
    // Kyverno never sees these namespaces (its resource filters and webhooks), so lint agrees with it.
    if (KYVERNO_EXCLUDED_NAMESPACES.includes(object.metadata?.namespace ?? "")) continue;
    const waived = active.waived(object);
    for (const rule of POLICY_RULES) {
      const severity = resolved.severities.get(rule.id);
      if (severity === undefined || waived.has(rule.id)) continue;
      for (const finding of rule.check(object, context)) {
        out.push({ id, finding: finding.severity === severity ? finding : { ...finding, severity } });
      }
    }
  }
  return { objects: out, exceptions: exceptionFindings(declared, context.objects, today, options.partlyChecked) };
}

/** lintSet's findings on objects. */
export function lintObjects(objects: readonly LintInput[], settings: PolicySettings, options: LintOptions = {}): LintResult[] {
  return lintSet(objects, settings, options).objects;
}

/** Lints one object on its own (set-level rules see only this object). */
export function lintObject(object: unknown, settings: PolicySettings, options: LintOptions = {}): ObjectFinding[] {
  return lintObjects([{ object, id: 0 }], settings, options).map((r) => r.finding);
}

function exceptionFindings(declared: readonly DeclaredPolicyException[], objects: readonly KubeObject[], today: string, partlyChecked?: ReadonlySet<string>): ExceptionResult[] {
  const out: ExceptionResult[] = [];
  const finding = (severity: "error" | "warning", message: string): ObjectFinding => ({ rule: POLICY_EXCEPTION_RULE, severity, message, hint: EXCEPTION_HINT });
  for (const exception of declared) {
    const problems = exceptionProblems(exception);
    for (const message of problems) out.push({ exception, finding: finding("error", message) });
    if (problems.length > 0) continue;
    const what = `policy exception of component "${exception.component}" for "${exception.rule}"`;
    if (isExpired(exception, today)) {
      out.push({ exception, finding: finding("error", `${what} expired on ${exception.expires}: fix the objects or renew it with a new date and reason`) });
    }
    if (partlyChecked?.has(exception.component)) continue;
    for (const target of exception.objects) {
      const one = { ...exception, objects: [target] };
      if (!objects.some((o) => exceptionCovers(one, o))) {
        const ns = target.namespace ?? exception.namespace;
        out.push({
          exception,
          finding: finding("warning", `${what} names ${target.kind ?? "an object"} ${ns}/${target.name}, which is not among the objects checked: remove it if it is stale`),
        });
      }
    }
  }
  return out;
}

function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && typeof value.kind === "string" && typeof value.apiVersion === "string";
}
