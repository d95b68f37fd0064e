import type { Severity } from "../findings/finding.ts";
import { ENVIRONMENTS, type Environment } from "../model/environment.ts";
import { isRuleId, suggestRuleId, type RuleId } from "./rule.ts";
import { POLICY_RULES } from "./rules.ts";

/**
 * Policy settings of one cluster. `environment` comes from the cluster; the rest is written in
 * `cluster.ts` as `policy: { … }`.
 */
export interface PolicySettings {
  readonly environment: Environment;
  /** Per-rule override: `"off"` disables a rule, `"error"`/`"warning"` replace its default severity. */
  readonly rules?: Readonly<Record<string, "off" | "error" | "warning">>;
  /**
   * Registries (or registry path prefixes) images may come from: `registry.k8s.io`, `ghcr.io/acme`,
   * `docker.io` (which also covers images written without a registry, like `nginx:1.27`).
   * @default any registry
   */
  readonly registries?: readonly string[];
  /** Require every image to be pinned by digest (`name@sha256:…`). @default false */
  readonly requireDigest?: boolean;
}

/** Settings after validation: the severity each enabled rule reports with, and normalised registries. */
export interface ResolvedPolicySettings {
  readonly environment: Environment;
  /** Enabled rules and their severity; a rule that is off is absent. */
  readonly severities: ReadonlyMap<RuleId, Severity>;
  /** Normalised allow-list (`index.docker.io` → `docker.io`, no trailing `/`); undefined allows any registry. */
  readonly registries: readonly string[] | undefined;
  readonly requireDigest: boolean;
}

export class PolicySettingsError extends Error {
  constructor(message: string) {
    super(`policy settings: ${message}`);
    this.name = "PolicySettingsError";
  }
}

const REGISTRY_ENTRY = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?(\/[a-z0-9]([a-z0-9._-]*[a-z0-9])?)*$/;

/** Validates settings and works out each rule's severity; throws PolicySettingsError on a mistake. */
export function resolvePolicySettings(settings: PolicySettings): ResolvedPolicySettings {
  if (!(ENVIRONMENTS as readonly string[]).includes(settings.environment)) {
    throw new PolicySettingsError(
      `environment must be one of ${ENVIRONMENTS.map((e) => `"${e}"`).join(", ")}, got ${JSON.stringify(settings.environment)}`,
    );
  }
  const overrides = settings.rules ?? {};
  for (const [id, value] of Object.entries(overrides)) {
    if (!isRuleId(id)) throw new PolicySettingsError(`unknown rule "${id}" in rules (${suggestRuleId(id)})`);
    if (value !== "off" && value !== "error" && value !== "warning") {
      throw new PolicySettingsError(`rules["${id}"] must be "off", "error" or "warning", got ${JSON.stringify(value)}`);
    }
  }
  const severities = new Map<RuleId, Severity>();
  for (const rule of POLICY_RULES) {
    const override = overrides[rule.id];
    if (override === "off") continue;
    severities.set(rule.id, override ?? rule.severity);
  }
  return {
    environment: settings.environment,
    severities,
    registries: settings.registries === undefined ? undefined : normaliseRegistries(settings.registries),
    requireDigest: settings.requireDigest ?? false,
  };
}

function normaliseRegistries(entries: readonly string[]): string[] {
  if (entries.length === 0) {
    throw new PolicySettingsError(
      "registries is empty, which would allow no image at all; leave it out to allow any registry",
    );
  }
  return entries.map((entry) => {
    const trimmed = entry.replace(/\/+$/, "");
    if (!REGISTRY_ENTRY.test(trimmed)) {
      throw new PolicySettingsError(
        `registries entry ${JSON.stringify(entry)} is not a registry host or path prefix (like "ghcr.io/acme" or "registry.k8s.io:443"); wildcards are not allowed`,
      );
    }
    return trimmed.replace(/^index\.docker\.io(?=\/|$)/, "docker.io");
  });
}
