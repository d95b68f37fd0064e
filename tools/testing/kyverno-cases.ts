/**
 * Kyverno's own `kyverno test` cases (upstream/kyverno-tests: kyverno/policies best-practices and
 * pod-security, the Kyverno CLI's test suite) run through the offline evaluator. Each verdict real
 * Kyverno gives (a `results` entry × resource) is one case; cases needing what an offline pattern
 * evaluator cannot have (CEL, a values file or user info, API calls, mutation, generation, image
 * verification, pod security subrules) are skipped with their reason. Test-only: reads upstream data.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { UnsupportedError } from "../lint/kyverno-conditions.ts";
import { autogenRules, evaluatePolicy, type EvaluateOptions, type RuleEvaluation } from "../lint/kyverno-pattern.ts";
import { upstreamPath } from "./upstream.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export type Verdict = "pass" | "fail" | "skip";

export interface KyvernoCase {
  /** `<test folder>: <policy>/<rule> <kind> <resource>`, stable and unique. */
  readonly name: string;
  readonly expected: string;
  /** What the evaluator says, when the case is not skipped. */
  readonly actual?: Verdict | "error";
  /** Why the case is not evaluated (a category), when it is skipped. */
  readonly skipped?: string;
  readonly message?: string;
}

const KYVERNO_TESTS = ["kyverno-tests"];

function findTests(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name === "kyverno-test.yaml") out.push(full);
  }
}

function readObjects(file: string): Obj[] {
  if (!existsSync(file) || statSync(file).isDirectory()) return [];
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (!isObj(value)) continue;
    if (value.kind === "List" && Array.isArray(value.items)) out.push(...value.items.filter(isObj));
    else out.push(value);
  }
  return out;
}

const POLICY_KINDS = new Set(["ClusterPolicy", "Policy"]);

/** A `kyverno test` values file: global values, per policy its resources' and rules' values, namespace labels. */
interface ValuesFile {
  readonly global: Obj;
  readonly resources: Map<string, Obj>;
  readonly rules: Map<string, Obj>;
  readonly namespaceLabels?: Record<string, Record<string, string>>;
  readonly subresources: boolean;
}

function readValues(file: string | undefined): ValuesFile {
  const doc = file ? (readObjects(file)[0] ?? {}) : {};
  const resources = new Map<string, Obj>();
  const rules = new Map<string, Obj>();
  for (const policy of Array.isArray(doc.policies) ? doc.policies.filter(isObj) : []) {
    for (const r of Array.isArray(policy.resources) ? policy.resources.filter(isObj) : []) resources.set(`${String(policy.name)}/${String(r.name)}`, isObj(r.values) ? r.values : {});
    for (const r of Array.isArray(policy.rules) ? policy.rules.filter(isObj) : []) rules.set(`${String(policy.name)}/${String(r.name)}`, isObj(r.values) ? r.values : {});
  }
  const selectors = Array.isArray(doc.namespaceSelector) ? doc.namespaceSelector.filter(isObj) : [];
  return {
    global: isObj(doc.globalValues) ? doc.globalValues : {},
    resources,
    rules,
    subresources: Array.isArray(doc.subresources) && doc.subresources.length > 0,
    namespaceLabels: selectors.length ? Object.fromEntries(selectors.map((n) => [String(n.name), (isObj(n.labels) ? n.labels : {}) as Record<string, string>])) : undefined,
  };
}

/** Why a rule cannot be evaluated offline, before trying. */
function staticSkip(test: Obj, policy: Obj | undefined, rule: Obj | undefined, expected: string, values: ValuesFile, policyName: string): string | undefined {
  if (test.userinfo !== undefined) return "request user info";
  if (values.subresources) return "subresources (API discovery)";
  if (test.apiCallResponses !== undefined || test.globalContextEntries !== undefined) return "API calls";
  if (!policy) return "policy kind other than ClusterPolicy/Policy (CEL, ValidatingAdmissionPolicy)";
  if (!rule) return undefined;
  if (rule.mutate !== undefined) return "mutation";
  if (rule.generate !== undefined) return "generation";
  if (rule.verifyImages !== undefined) return "image verification";
  if (rule.celPreconditions !== undefined) return "CEL";
  const validate = isObj(rule.validate) ? rule.validate : {};
  if (validate.cel !== undefined) return "CEL";
  if (validate.podSecurity !== undefined) return "pod security subrule (Pod Security Admission library)";
  if (validate.manifests !== undefined) return "manifest signatures";
  if (validate.assert !== undefined) return "assertion trees";
  // A context entry that reads the cluster is fine when the values file gives its value.
  const given = (name: string) =>
    [values.global, values.rules.get(`${policyName}/${String(rule.name).replace(/^autogen-(cronjob-)?/, "")}`) ?? {}].some((v) => Object.keys(v).some((k) => k === name || k.startsWith(`${name}.`)));
  const context = Array.isArray(rule.context) ? rule.context : [];
  if (context.some((c) => isObj(c) && c.variable === undefined && !given(String(c.name)))) return "API calls";
  if (expected !== "pass" && expected !== "fail" && expected !== "skip") return `expected result "${expected}"`;
  return undefined;
}

/** Runs every case of the upstream Kyverno test suites. */
export function kyvernoCases(): KyvernoCase[] {
  const files: string[] = [];
  findTests(upstreamPath(...KYVERNO_TESTS), files);
  const root = upstreamPath(...KYVERNO_TESTS);
  const cases: KyvernoCase[] = [];
  for (const file of files) {
    const dir = path.dirname(file);
    const test = readObjects(file)[0] ?? {};
    const label = path.relative(root, dir).split(path.sep).join("/");
    const policies = (Array.isArray(test.policies) ? test.policies : []).flatMap((p) => readObjects(path.resolve(dir, String(p))));
    const resources = (Array.isArray(test.resources) ? test.resources : []).flatMap((r) => readObjects(path.resolve(dir, String(r))));
    const valuesPath = test.variables ?? test.values;
    const values = readValues(typeof valuesPath === "string" ? path.resolve(dir, valuesPath) : undefined);
    for (const result of Array.isArray(test.results) ? test.results.filter(isObj) : []) {
      const expected = String(result.result ?? result.status ?? "");
      const policyRef = String(result.policy ?? "");
      const policyName = policyRef.includes("/") ? policyRef.split("/").pop()! : policyRef;
      const policy = policies.find((p) => POLICY_KINDS.has(String(p.kind)) && isObj(p.metadata) && p.metadata.name === policyName);
      const ruleName = String(result.rule ?? "");
      const rules = policy ? autogenRules(policy) : [];
      const rule = rules.find((r) => r.name === ruleName) ?? rules.find((r) => r.name === `autogen-${ruleName}` || r.name === `autogen-cronjob-${ruleName}`);
      const kind = String(result.kind ?? "");
      const names = Array.isArray(result.resources) ? result.resources.map(String) : result.resource !== undefined ? [String(result.resource)] : [];
      for (const resourceRef of names) {
        const name = `${label}: ${policyName}/${ruleName} ${kind} ${resourceRef}`;
        const skipped = staticSkip(test, policy, rule, expected, values, policyName) ?? (result.patchedResources !== undefined || result.patchedResource !== undefined ? "mutation" : undefined) ?? (result.generatedResource !== undefined ? "generation" : undefined);
        if (skipped) {
          cases.push({ name, expected, skipped });
          continue;
        }
        const [namespace, resourceName] = resourceRef.includes("/") ? resourceRef.split("/") : [undefined, resourceRef];
        const resource = resources.find(
          (r) =>
            isObj(r.metadata) &&
            r.metadata.name === resourceName &&
            (namespace === undefined || (r.metadata.namespace ?? "default") === namespace) &&
            (kind === "" || String(r.kind) === kind.split("/").pop()),
        );
        if (!resource || !policy || !rule) {
          cases.push({ name, expected, skipped: !resource ? "resource not in the test's files" : "rule not in the policy" });
          continue;
        }
        const operation = typeof result.operation === "string" ? (result.operation as EvaluateOptions["operation"]) : undefined;
        const resourceValues = values.resources.get(`${policyName}/${resourceName}`) ?? {};
        const variables = (rule: string) => ({ ...values.global, ...resourceValues, ...(values.rules.get(`${policyName}/${rule.replace(/^autogen-(cronjob-)?/, "")}`) ?? {}) });
        const evaluation = evaluateCase(policy, resource, ruleName, { operation, variables, namespaceLabels: values.namespaceLabels });
        if (evaluation.status === "error" && evaluation.message && /resolves to nothing offline|self reference/.test(evaluation.message)) {
          cases.push({ name, expected, skipped: "JMESPath context the test does not give", message: evaluation.message });
          continue;
        }
        if (evaluation.status === "error" && /cannot reach offline/.test(evaluation.message ?? "")) {
          cases.push({ name, expected, skipped: "API calls", message: evaluation.message });
          continue;
        }
        if (evaluation.status === "error" && /need the request's user/.test(evaluation.message ?? "")) {
          cases.push({ name, expected, skipped: "request user info", message: evaluation.message });
          continue;
        }
        const unknownFunction = evaluation.status === "error" ? /Unknown function: (\w+)\(\)/.exec(evaluation.message ?? "") : null;
        if (unknownFunction) {
          cases.push({ name, expected, skipped: `Kyverno JMESPath function not implemented offline (${unknownFunction[1]})`, message: evaluation.message });
          continue;
        }
        cases.push({ name, expected, actual: evaluation.status, message: evaluation.message });
      }
    }
  }
  return cases;
}

/** The evaluation of the named rule (or its autogen rule) of `policy` on `resource`. */
function evaluateCase(policy: Obj, resource: Obj, ruleName: string, options: EvaluateOptions): RuleEvaluation {
  let evaluations: RuleEvaluation[];
  try {
    evaluations = evaluatePolicy(policy, { ...resource, metadata: { namespace: "default", ...(resource.metadata as Obj) } }, options);
  } catch (error) {
    if (error instanceof UnsupportedError) return { rule: ruleName, status: "error", paths: [], message: error.message };
    throw error;
  }
  const own = [ruleName, `autogen-${ruleName}`, `autogen-cronjob-${ruleName}`].map((n) => evaluations.find((e) => e.rule === n.slice(0, 63)));
  // The rule that saw the resource (matched it), else the first of them.
  return own.find((e) => e && e.reason !== "not-matched") ?? own.find((e) => e) ?? { rule: ruleName, status: "error", paths: [], message: "rule not evaluated" };
}
