import { createHash } from "node:crypto";

/**
 * A short, stable digest of a config's content (keys sorted) for a pod template's `checksum/<name>`
 * annotation: the template changes when the config does, so the workload rolls its pods.
 */
export function contentChecksum(data: Readonly<Record<string, string>> | undefined): string {
  const entries = Object.entries(data ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("hex").slice(0, 16);
}
