import type { ObjectFinding } from "../findings/finding.ts";
import { isClusterScoped } from "../model/kube-object.ts";
import { identityOf, isRecord } from "./objects.ts";

export interface IdentifiedObject<I> {
  readonly object: unknown;
  readonly id: I;
}

export interface DuplicateFinding<I> {
  /** The later occurrence, where the finding is reported. */
  readonly id: I;
  /** The first occurrence of the same group/kind/namespace/name. */
  readonly duplicateOf: I;
  readonly finding: ObjectFinding;
}

/**
 * Objects that the API server (and Kustomize, and Argo CD) would take for one: same group, kind, namespace
 * and name, whatever their versions. Each occurrence after the first gets an `api/duplicate-object` error
 * naming the first; `placeOf` says where an id is (`file:line`), for the message. Objects without a kind or
 * name are left to checkObject.
 */
export function findDuplicates<I = number>(
  objects: readonly IdentifiedObject<I>[],
  placeOf: (id: I) => string = (id) => `#${String(id)}`,
): DuplicateFinding<I>[] {
  const first = new Map<string, I>();
  const out: DuplicateFinding<I>[] = [];
  for (const { object, id } of objects) {
    if (!isRecord(object)) continue;
    const { group, kind, name, namespace } = identityOf(object);
    if (!kind || !name) continue;
    const ns = isClusterScoped(kind) ? "" : namespace;
    const key = `${group}/${kind}/${ns}/${name}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, id);
      continue;
    }
    const what = `${kind}${group ? ` (${group})` : ""} ${ns ? `${ns}/${name}` : name}`;
    out.push({
      id,
      duplicateOf: earlier,
      finding: {
        rule: "api/duplicate-object",
        severity: "error",
        message: `metadata.name: ${JSON.stringify(name)}: ${what} is defined twice, at ${placeOf(earlier)} and at ${placeOf(id)}`,
        path: ["metadata", "name"],
        hint: "one of them overwrites the other when applied; rename one or remove it",
      },
    });
  }
  return out;
}
