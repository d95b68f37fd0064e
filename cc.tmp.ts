import { concernCases } from "./tools/testing/kyverno-concerns.ts";
const cases = concernCases();
const by = new Map<string, {n:number; diff:string[]}>();
for (const c of cases) {
  const e = by.get(c.concern) ?? {n:0, diff:[]}; e.n++;
  const k = c.kyverno === "skip" ? "pass" : c.kyverno;
  if (c.policy === "error" as any || (c.policy === "fail") !== (k === "fail") || (c.lint === "fail") !== (k === "fail")) e.diff.push(`${c.resource} kyverno=${c.kyverno} policy=${c.policy} lint=${c.lint}`);
  by.set(c.concern, e);
}
for (const [k, v] of by) console.log(k, v.n, v.diff.length, "\n  " + v.diff.join("\n  "));
