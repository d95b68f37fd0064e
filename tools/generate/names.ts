import { GenerateError } from "./errors.ts";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Component, cluster and environment names become folder names: DNS-1123 labels only, so none can escape its folder. */
export function checkLabelName(what: string, name: unknown, where: string): string {
  if (typeof name !== "string" || name.length > 63 || !DNS_LABEL.test(name)) {
    throw new GenerateError(
      `${where}: ${what} name ${JSON.stringify(name)} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters)`,
    );
  }
  return name;
}

/** File name for an object: `<kind>-<name>.yaml`, lowercased, with anything outside [a-z0-9.-] replaced. */
export function objectFileStem(kind: string, name: string, namespace?: string): string {
  const clean = (s: string) => s.toLowerCase().replace(/[^a-z0-9.-]+/g, "_");
  const parts = [clean(kind), ...(namespace ? [clean(namespace)] : []), clean(name)];
  return parts.join("-").replace(/^\.+/, "_");
}
