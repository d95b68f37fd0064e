import type { ObjectFinding } from "../../findings/finding.ts";
import { groupOf } from "../../model/kube-object.ts";
import { findingOf, isRecord, type PolicyRule } from "../rule.ts";

/** Secrets that never come from git: made by the token controller, or by cert-manager for a Certificate. */
const SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
const CERT_MANAGER_CERTIFICATE = "cert-manager.io/certificate-name";

export const noPlainSecret: PolicyRule = {
  id: "no-plain-secret",
  severity: "error",
  title: "No plain Secret with data is committed to git",
  rationale:
    "Base64 is not encryption: a Secret with data in the repository leaks its values to everyone who can read the repository, forever.",
  hint: "Commit a SealedSecret (kubeseal) or an ExternalSecret that reads the value from Vault; keep the plain Secret out of git.",
  kyverno: {
    expressible: false,
    reason:
      "In the cluster, plain Secrets are made legitimately by Sealed Secrets, External Secrets, cert-manager and Helm charts; admission cannot tell whether their data came from git, so the rule runs on the repository only.",
  },
  check(object) {
    if (object.kind !== "Secret" || groupOf(object.apiVersion ?? "") !== "") return [];
    if (object.type === SERVICE_ACCOUNT_TOKEN) return [];
    if (object.metadata?.annotations?.[CERT_MANAGER_CERTIFICATE] !== undefined) return [];
    const out: ObjectFinding[] = [];
    for (const field of ["data", "stringData"] as const) {
      const value = object[field];
      if (!isRecord(value) || Object.keys(value).length === 0) continue;
      const name = object.metadata?.name ?? "";
      out.push(
        findingOf(noPlainSecret, `Secret "${name}" has plain ${field} (keys: ${Object.keys(value).join(", ")})`, [
          field,
        ]),
      );
    }
    return out;
  },
};
