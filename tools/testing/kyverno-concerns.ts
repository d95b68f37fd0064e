/**
 * Our rules beside Kyverno's own policies for the concerns both cover: each resource of an upstream
 * policy's `kyverno test` gets three verdicts, Kyverno's (what the test asserts), our generated
 * ClusterPolicies' (under the evaluator, the cluster as the kyverno component configures it) and
 * lint's. Test-only: reads upstream data.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { kyvernoClusterConfig } from "../lint/kyverno-config.ts";
import { evaluatePolicy, policyVerdict } from "../lint/kyverno-pattern.ts";
import { kyvernoPolicies, type KyvernoSettings } from "../lint/kyverno.ts";
import { lintObjects } from "../lint/lint.ts";
import type { RuleId } from "../lint/rule.ts";
import { upstreamPath } from "./upstream.ts";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export interface Concern {
  readonly concern: string;
  /** The upstream policy folder under kyverno-tests/policies. */
  readonly upstream: string;
  readonly rules: readonly RuleId[];
  /** Settings that state the upstream policy's choice in ours (e.g. its registry allow-list). */
  readonly settings?: Omit<KyvernoSettings, "environment">;
}

export const CONCERNS: readonly Concern[] = [
  { concern: "latest tag", upstream: "best-practices/disallow-latest-tag", rules: ["image-pinned"] },
  { concern: "requests and limits", upstream: "best-practices/require-pod-requests-limits", rules: ["resources-set"] },
  { concern: "probes", upstream: "best-practices/require-probes", rules: ["probes-set"] },
  { concern: "read-only root filesystem", upstream: "best-practices/require-ro-rootfs", rules: ["read-only-root-fs"] },
  { concern: "image registries", upstream: "best-practices/restrict-image-registries", rules: ["registry-allowed"], settings: { registries: ["eu.foo.io", "bar.io"] } },
  { concern: "capabilities: drop ALL", upstream: "best-practices/require-drop-all", rules: ["capabilities-dropped"] },
  { concern: "capabilities: drop NET_RAW", upstream: "best-practices/require-drop-cap-net-raw", rules: ["capabilities-dropped"] },
  { concern: "capabilities: baseline adds", upstream: "pod-security/baseline/disallow-capabilities", rules: ["capabilities-dropped"] },
  { concern: "capabilities: restricted", upstream: "pod-security/restricted/disallow-capabilities-strict", rules: ["capabilities-dropped"] },
  { concern: "run as non-root", upstream: "pod-security/restricted/require-run-as-nonroot", rules: ["run-as-non-root"] },
  { concern: "run as non-root user", upstream: "pod-security/restricted/require-run-as-non-root-user", rules: ["run-as-non-root"] },
  { concern: "privileged", upstream: "pod-security/baseline/disallow-privileged-containers", rules: ["no-privileged"] },
  { concern: "privilege escalation", upstream: "pod-security/restricted/disallow-privilege-escalation", rules: ["no-privilege-escalation"] },
  { concern: "host namespaces", upstream: "pod-security/baseline/disallow-host-namespaces", rules: ["no-host-namespaces"] },
  { concern: "host path", upstream: "pod-security/baseline/disallow-host-path", rules: ["no-host-path"] },
  { concern: "host ports", upstream: "pod-security/baseline/disallow-host-ports", rules: ["no-host-port"] },
  { concern: "sysctls", upstream: "pod-security/baseline/restrict-sysctls", rules: ["no-unsafe-sysctls"] },
];

export type Verdict = "pass" | "fail" | "skip";

export interface ConcernCase {
  readonly concern: string;
  /** `<Kind>/<name>` of the upstream test resource. */
  readonly resource: string;
  readonly kyverno: Verdict;
  readonly policy: Verdict;
  readonly lint: Verdict;
}

function readObjects(file: string): Obj[] {
  if (!existsSync(file)) return [];
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => d.toJS() as unknown)
    .filter(isObj);
}

/** Every resource of the concerns' upstream tests, with the three verdicts. */
export function concernCases(): ConcernCase[] {
  const out: ConcernCase[] = [];
  for (const concern of CONCERNS) {
    const dir = upstreamPath("kyverno-tests", "policies", concern.upstream, ".kyverno-test");
    const test = readObjects(path.join(dir, "kyverno-test.yaml"))[0] ?? {};
    const resources = (Array.isArray(test.resources) ? test.resources : []).flatMap((r) => readObjects(path.resolve(dir, String(r))));
    // Kyverno's verdict per resource: fail if any rule fails, pass if one passes, else skip.
    const expected = new Map<string, Verdict>();
    for (const result of Array.isArray(test.results) ? test.results.filter(isObj) : []) {
      for (const name of Array.isArray(result.resources) ? result.resources.map(String) : []) {
        const key = `${String(result.kind)}/${name}`;
        const verdict = String(result.result) as Verdict;
        const before = expected.get(key);
        expected.set(key, before === "fail" || verdict === "fail" ? "fail" : before === "pass" || verdict === "pass" ? "pass" : "skip");
      }
    }
    const settings: KyvernoSettings = { environment: "prod", ...concern.settings };
    const policies = kyvernoPolicies(settings).filter((p) => (concern.rules as readonly string[]).includes(p.metadata.name));
    for (const resource of resources) {
      const metadata = isObj(resource.metadata) ? resource.metadata : {};
      const key = `${String(resource.kind)}/${String(metadata.name)}`;
      const kyverno = expected.get(key);
      if (kyverno === undefined) continue;
      const object = { ...resource, metadata: { namespace: "default", ...metadata } };
      const verdicts = policies.map((p) => policyVerdict(evaluatePolicy(p, object, { cluster: kyvernoClusterConfig() })).status);
      const policy: Verdict = verdicts.includes("fail") ? "fail" : verdicts.includes("pass") ? "pass" : "skip";
      const findings = lintObjects([{ object, id: 0 }], settings).filter((r) => (concern.rules as readonly string[]).includes(r.finding.rule));
      const applies = verdicts.some((v) => v !== "skip") || findings.length > 0;
      out.push({ concern: concern.concern, resource: key, kyverno, policy, lint: findings.length > 0 ? "fail" : applies ? "pass" : "skip" });
    }
  }
  return out;
}
