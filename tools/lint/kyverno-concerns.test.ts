import { beforeAll, describe, expect, it } from "vitest";
import { CONCERNS, concernCases, type ConcernCase } from "../testing/kyverno-concerns.ts";
import { skipWithoutUpstream } from "../testing/upstream.ts";

/**
 * Where our rule and Kyverno's own policy for the same concern give different verdicts on the upstream
 * test resources, and why. Every difference is ours being stricter; README repeats this table.
 */
export const DIFFERENCES: Readonly<Record<string, { readonly count: number; readonly reason: string }>> = {
  probes: {
    count: 2,
    reason: "require-probes accepts any one of a liveness, readiness or startup probe; probes-set wants both liveness and readiness on a long-running container",
  },
  "capabilities: drop ALL": {
    count: 1,
    reason: "require-drop-all checks only drop: ALL; capabilities-dropped also refuses added capabilities other than NET_BIND_SERVICE (SYS_TIME here)",
  },
  "capabilities: drop NET_RAW": {
    count: 1,
    reason: "require-drop-cap-net-raw is content with dropping NET_RAW; capabilities-dropped wants ALL dropped, as the restricted Pod Security Standard does",
  },
  "capabilities: baseline adds": {
    count: 18,
    reason: "the baseline standard lets a container keep the runtime's default capabilities and add baseline ones; capabilities-dropped applies the restricted standard",
  },
  "capabilities: restricted": {
    count: 30,
    reason: "the upstream policy checks drop: ALL and added capabilities in two rules, and its test passes containers that add nothing to the second rule alone; capabilities-dropped checks both at once",
  },
  "run as non-root user": {
    count: 15,
    reason: "require-run-as-non-root-user only refuses runAsUser: 0 and passes a container that sets no user; run-as-non-root also needs runAsNonRoot: true or a non-zero runAsUser (what upstream's require-run-as-nonroot checks, with which it agrees fully)",
  },
};

describe.skipIf(skipWithoutUpstream("kyverno-tests"))("our rules beside Kyverno's own policies for the same concerns", () => {
  let cases: ConcernCase[];
  beforeAll(() => {
    cases = concernCases();
  });

  it("lint and our generated policy give the same verdict on every upstream resource", () => {
    const apart = cases.filter((c) => (c.policy === "fail") !== (c.lint === "fail")).map((c) => `${c.concern} ${c.resource}: policy ${c.policy}, lint ${c.lint}`);
    expect(apart).toEqual([]);
    expect(cases.length).toBe(496);
  });

  it("agrees with Kyverno's verdict, except where a difference is written down, and then only by being stricter", () => {
    for (const { concern } of CONCERNS) {
      const own = cases.filter((c) => c.concern === concern);
      expect(own.length, concern).toBeGreaterThan(0);
      const differing = own.filter((c) => (c.policy === "fail") !== (c.kyverno === "fail"));
      expect(differing.filter((c) => c.policy !== "fail").map((c) => c.resource), `${concern}: we pass what Kyverno fails`).toEqual([]);
      expect(differing.length, `${concern}: ${differing.map((c) => c.resource).join(", ")}`).toBe(DIFFERENCES[concern]?.count ?? 0);
    }
    for (const concern of Object.keys(DIFFERENCES)) expect(CONCERNS.map((c) => c.concern)).toContain(concern);
  });
});
