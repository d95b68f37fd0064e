import type { ObjectFinding } from "../findings/finding.ts";
import type { KubeObject } from "../model/kube-object.ts";
import type { DeclaredPolicyException } from "../model/policy-exception.ts";
import { POLICY_EXCEPTION_RULE, isRuleId, suggestRuleId, type RuleId } from "./rule.ts";

/**
 * The annotation that once waived rules on the object itself. Anyone who could write a workload could
 * exempt it, so it waives nothing now: lint reports it, and points at typed exceptions instead.
 */
export const IGNORE_ANNOTATION = "policy.typed-gitops.dev/ignore";

export const EXCEPTION_HINT =
  'Declare the exception in the component\'s component.ts: policyExceptions: [{ rule: "<rule-id>", objects: [{ kind: "Deployment", name: "<name>" }], reason: "<why>", expires: "YYYY-MM-DD" }].';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}

/** Today's date in UTC as YYYY-MM-DD: the default `today` of lint. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** What is wrong with one declared exception, as messages (empty when it is well formed). */
export function exceptionProblems(exception: DeclaredPolicyException): string[] {
  const problems: string[] = [];
  const where = `policy exception of component "${exception.component}"`;
  if (!isRuleId(exception.rule)) problems.push(`${where} names unknown rule "${exception.rule}" (${suggestRuleId(exception.rule)})`);
  if (typeof exception.reason !== "string" || exception.reason.trim() === "") {
    problems.push(`${where} for "${exception.rule}" has no reason: say why the objects cannot follow the rule`);
  }
  if (!Array.isArray(exception.objects) || exception.objects.length === 0) {
    problems.push(`${where} for "${exception.rule}" lists no objects`);
  } else {
    exception.objects.forEach((o, i) => {
      if (typeof o?.name !== "string" || o.name === "") problems.push(`${where} for "${exception.rule}": objects[${i}] has no name`);
    });
  }
  if (exception.expires !== undefined && !isDay(exception.expires)) {
    problems.push(`${where} for "${exception.rule}": expires must be a day written YYYY-MM-DD, got ${JSON.stringify(exception.expires)}`);
  }
  return problems;
}

/** Whether an exception has expired on `today` (it holds through its `expires` day). */
export function isExpired(exception: Pick<DeclaredPolicyException, "expires">, today: string): boolean {
  return exception.expires !== undefined && isDay(exception.expires) && exception.expires < today;
}

/** The objects an exception names, with each namespace defaulted to the declaring component's. */
export function exceptionTargets(exception: DeclaredPolicyException): { kind?: string; namespace: string; name: string }[] {
  return exception.objects.map((o) => ({ ...(o.kind ? { kind: o.kind } : {}), namespace: o.namespace ?? exception.namespace, name: o.name }));
}

/** Whether an exception names `object` (kind when given, namespace and name), as Kyverno's match does. */
export function exceptionCovers(exception: DeclaredPolicyException, object: KubeObject): boolean {
  return exception.objects.some(
    (o) =>
      o.name === object.metadata?.name &&
      (o.kind === undefined || o.kind === object.kind) &&
      (o.namespace ?? exception.namespace) === (object.metadata?.namespace ?? ""),
  );
}

/** Exceptions that may waive rules: well formed and not expired. */
export interface ActiveExceptions {
  /** Rules waived for `object`. */
  waived(object: KubeObject): ReadonlySet<RuleId>;
}

export function activeExceptions(exceptions: readonly DeclaredPolicyException[], today: string): ActiveExceptions {
  const usable = exceptions.filter((e) => isRuleId(e.rule) && exceptionProblems(e).length === 0 && !isExpired(e, today));
  return {
    waived(object) {
      const out = new Set<RuleId>();
      for (const e of usable) if (exceptionCovers(e, object)) out.add(e.rule as RuleId);
      return out;
    },
  };
}

/** The finding on an object that still carries the retired annotation. */
export function ignoreAnnotationFinding(object: KubeObject): ObjectFinding | undefined {
  if (object.metadata?.annotations?.[IGNORE_ANNOTATION] === undefined) return undefined;
  return {
    rule: POLICY_EXCEPTION_RULE,
    severity: "error",
    message: `the annotation ${IGNORE_ANNOTATION} waives nothing: anyone who can write the object could exempt it`,
    path: ["metadata", "annotations", IGNORE_ANNOTATION],
    hint: EXCEPTION_HINT,
  };
}
