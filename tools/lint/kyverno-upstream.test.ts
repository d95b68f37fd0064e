import { beforeAll, describe, expect, it } from "vitest";
import { kyvernoCases, type KyvernoCase } from "../testing/kyverno-cases.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";

/**
 * The evaluator against real Kyverno: every verdict of Kyverno's own `kyverno test` suites
 * (kyverno/policies best-practices and pod-security, the Kyverno CLI's tests). README reports the figure.
 */
describe.skipIf(skipWithoutUpstream("kyverno-tests"))("the Kyverno evaluator agrees with Kyverno's own test cases", () => {
  let cases: KyvernoCase[];
  beforeAll(() => {
    cases = kyvernoCases();
  });

  it("gives Kyverno's verdict on every case it evaluates", () => {
    const evaluated = cases.filter((c) => c.skipped === undefined);
    const disagreements = evaluated.filter((c) => c.actual !== c.expected).map((c) => `${c.name}: Kyverno ${c.expected}, evaluator ${c.actual} ${c.message ?? ""}`);
    expect(disagreements).toEqual([]);
    expect(evaluated.length).toBe(1151);
    expect(cases.length).toBe(1242);
  });

  it("skips only what an offline pattern evaluator cannot have, by category and count", () => {
    const counts: Record<string, number> = {};
    for (const c of cases) if (c.skipped) counts[c.skipped] = (counts[c.skipped] ?? 0) + 1;
    expect(counts).toEqual({
      "API calls": 24,
      "request user info": 14,
      mutation: 13,
      "image verification": 9,
      CEL: 8,
      "pod security subrule (Pod Security Admission library)": 8,
      "manifest signatures": 3,
      generation: 3,
      'expected result "error"': 2,
      "JMESPath context the test does not give": 2,
      "policy kind other than ClusterPolicy/Policy (CEL, ValidatingAdmissionPolicy)": 2,
      "Kyverno JMESPath function not implemented offline (x509_decode)": 1,
      'expected result "warn"': 1,
      "subresources (API discovery)": 1,
    });
  });
});
