/** RFC 6902 operations, as Kustomize applies them in `patches`. */
export type JsonPatchOp =
  | { op: "add"; path: string; value: unknown }
  | { op: "replace"; path: string; value: unknown }
  | { op: "remove"; path: string };

function escapePointer(part: string | number): string {
  return String(part).replace(/~/g, "~0").replace(/\//g, "~1");
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ak = Object.keys(a as object);
  const bk = Object.keys(b as object);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as any)[k], (b as any)[k]));
}

/**
 * The smallest readable patch turning `from` into `to`: maps are diffed key by key, arrays of equal length
 * element by element, anything else is replaced whole. Keys are visited in a stable order.
 */
export function diffToJsonPatch(from: unknown, to: unknown, path = ""): JsonPatchOp[] {
  if (deepEqual(from, to)) return [];
  if (isPlainObject(from) && isPlainObject(to)) {
    const ops: JsonPatchOp[] = [];
    for (const key of Object.keys(from)) {
      if (!(key in to)) ops.push({ op: "remove", path: `${path}/${escapePointer(key)}` });
    }
    for (const key of Object.keys(to)) {
      const child = `${path}/${escapePointer(key)}`;
      if (!(key in from)) ops.push({ op: "add", path: child, value: to[key] });
      else ops.push(...diffToJsonPatch(from[key], to[key], child));
    }
    return ops;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length && path !== "") {
    return from.flatMap((item, i) => diffToJsonPatch(item, to[i], `${path}/${i}`));
  }
  return [{ op: "replace", path, value: to }];
}
