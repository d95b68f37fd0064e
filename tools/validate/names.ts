/**
 * Name formats the Kubernetes API server enforces (k8s.io/apimachinery/pkg/util/validation). Each check
 * returns undefined for a valid value, or the reason it is invalid, worded to follow a field path and value.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const LABEL_VALUE_MAX = 63;
export const QUALIFIED_NAME_MAX = 63;
export const PORT_NAME_MAX = 15;

function tooLong(value: string, max: number): string | undefined {
  return value.length > max ? `must be no more than ${max} characters (it has ${value.length})` : undefined;
}

/** RFC 1123 label: namespaces, container names, volume names. */
export function dns1123LabelError(value: string): string | undefined {
  if (value === "") return "must not be empty";
  return (
    tooLong(value, DNS1123_LABEL_MAX) ??
    (DNS1123_LABEL.test(value)
      ? undefined
      : "must be a lowercase RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit")
  );
}

/** RFC 1123 subdomain: the name of most kinds. */
export function dns1123SubdomainError(value: string): string | undefined {
  if (value === "") return "must not be empty";
  return (
    tooLong(value, DNS1123_SUBDOMAIN_MAX) ??
    (DNS1123_SUBDOMAIN.test(value)
      ? undefined
      : "must be a lowercase RFC 1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit")
  );
}

/** RFC 1035 label: Service names (they become DNS names and environment variable prefixes). */
export function dns1035LabelError(value: string): string | undefined {
  if (value === "") return "must not be empty";
  return (
    tooLong(value, DNS1123_LABEL_MAX) ??
    (DNS1035_LABEL.test(value)
      ? undefined
      : "must be an RFC 1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit")
  );
}

/** A path segment: RBAC objects and PersistentVolumes, whose names may contain ':' and upper case. */
export function pathSegmentNameError(value: string): string | undefined {
  if (value === "") return "must not be empty";
  if (value === "." || value === "..") return `may not be "${value}"`;
  const bad = ["/", "%"].find((c) => value.includes(c));
  return bad ? `may not contain '${bad}'` : undefined;
}

/** Verdicts on label and annotation keys seen so far: the same few keys recur on every object. */
const qualifiedNameVerdicts = new Map<string, string | undefined>();

/** `name` or `prefix/name`: label keys, annotation keys, finalizers. */
export function qualifiedNameError(value: string): string | undefined {
  const known = qualifiedNameVerdicts.get(value);
  if (known !== undefined || qualifiedNameVerdicts.has(value)) return known;
  const verdict = qualifiedNameVerdict(value);
  if (qualifiedNameVerdicts.size < 10_000) qualifiedNameVerdicts.set(value, verdict);
  return verdict;
}

function qualifiedNameVerdict(value: string): string | undefined {
  if (value === "") return "must not be empty";
  const parts = value.split("/");
  if (parts.length > 2) return "must be a name with at most one '/' (an optional DNS subdomain prefix and a name)";
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix === "") return "has an empty prefix before '/'";
    if (prefix.length > DNS1123_SUBDOMAIN_MAX) {
      return `has a prefix longer than ${DNS1123_SUBDOMAIN_MAX} characters (it has ${prefix.length})`;
    }
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return `has a prefix "${prefix}" that is not a lowercase RFC 1123 subdomain (lowercase letters, digits, '-' and '.')`;
    }
  }
  if (name === "") return "has an empty name after the prefix";
  if (name.length > QUALIFIED_NAME_MAX) {
    return `has a name part longer than ${QUALIFIED_NAME_MAX} characters (it has ${name.length})`;
  }
  if (!QUALIFIED_NAME.test(name)) {
    return `has a name part "${name}" that is not letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Label values: empty, or up to 63 letters, digits, '-', '_' and '.', starting and ending alphanumeric. */
export function labelValueError(value: string): string | undefined {
  if (value === "") return undefined;
  return (
    tooLong(value, LABEL_VALUE_MAX) ??
    (QUALIFIED_NAME.test(value)
      ? undefined
      : "must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit")
  );
}

/** Port names (IANA_SVC_NAME): at most 15 lowercase letters, digits and '-', with a letter, no '--'. */
export function portNameError(value: string): string | undefined {
  if (value === "") return "must not be empty";
  if (value.length > PORT_NAME_MAX) return `must be no more than ${PORT_NAME_MAX} characters (it has ${value.length})`;
  if (!IANA_SVC_NAME.test(value)) {
    return "must be lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  if (value.includes("--")) return "must not contain '--'";
  if (!/[a-z]/.test(value)) return "must contain at least one letter";
  return undefined;
}
