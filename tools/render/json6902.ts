/**
 * RFC 6902 JSON patches applied the way Kustomize v5.5 applies them (evanphx/json-patch v5 at the
 * version Kustomize pins), including its departures from the RFC, which `kubectl kustomize` shows:
 *
 * - `replace` of a missing object key adds it; only a missing parent or a bad array index fails;
 * - a key whose value is null counts as absent for reading (`test`, `copy`, `move`, walking through it);
 * - negative array indexes count from the end (`add` at -1 appends);
 * - `copy` from a missing key inserts null; an op without `value` uses null;
 * - the first segment of a path is ignored, so `data/x` means `/x`.
 *
 * Documents are treated as immutable: containers on the path of an operation are copied before they
 * change, so a patched object shares its untouched subtrees with the original (which a cache may hold).
 * Object keys are kept in Kustomize's output order (see yaml-go.ts `compareKeys`).
 */
import { compareKeys, setOwn } from "./yaml-go.ts";

export class JsonPatchError extends Error {
  constructor(
    readonly opIndex: number,
    message: string,
  ) {
    super(message);
    this.name = "JsonPatchError";
  }
}

type Container = Record<string, unknown> | unknown[];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isContainer(v: unknown): v is Container {
  return typeof v === "object" && v !== null;
}

/** Go's strconv.Atoi: optional sign and decimal digits, within int64. */
function goAtoi(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return undefined;
  return n === 0 ? 0 : n;
}

function decodeToken(t: string): string {
  // strings.NewReplacer("~1", "/", "~0", "~"): one left-to-right pass.
  return t.indexOf("~") < 0 ? t : t.replace(/~[01]/g, (m) => (m === "~1" ? "/" : "~"));
}

export function deepEqualJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqualJson(a[i], bb[i])) return false;
    return true;
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(bo, k)) return false;
    if (!deepEqualJson((a as Record<string, unknown>)[k], bo[k])) return false;
  }
  return true;
}

export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) setOwn(out, k, cloneJson((v as Record<string, unknown>)[k]));
  return out as T;
}

/** A copy of `o` with `key` set, the key placed in output order when it is new. */
function withKey(o: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const k of Object.keys(o)) {
    if (!placed && compareKeys(key, k) < 0) {
      setOwn(out, key, value);
      placed = true;
    }
    setOwn(out, k, o[k]);
  }
  if (!placed) setOwn(out, key, value);
  return out;
}

interface Slot {
  /** The container holding the target, already a private copy. */
  container: Container;
  key: string;
}

/**
 * Applies `ops` (decoded JSON values) to `doc` and returns the new document. Throws JsonPatchError with
 * the failing operation's index.
 */
export function applyJsonPatch(doc: unknown, ops: readonly unknown[]): unknown {
  const owned = new WeakSet<object>();
  const holder: { root: unknown } = { root: doc };

  const own = <T extends Container>(c: T): T => {
    if (owned.has(c)) return c;
    const copy = (Array.isArray(c) ? c.slice() : { ...c }) as T;
    owned.add(copy);
    return copy;
  };

  /**
   * evanphx findObject: walks every segment but the last, copying containers on the way. Returns
   * undefined when a segment is missing, null, a scalar, or a bad array index.
   */
  const find = (path: string): Slot | undefined => {
    const parts = path.split("/");
    if (parts.length < 2) return undefined;
    if (!isContainer(holder.root)) return undefined;
    let cur: Container = own(holder.root);
    holder.root = cur;
    for (let i = 1; i < parts.length - 1; i++) {
      const token = decodeToken(parts[i]);
      let next: unknown;
      let setBack: (v: Container) => void;
      if (Array.isArray(cur)) {
        let idx = goAtoi(token);
        if (idx === undefined) return undefined;
        if (idx < 0) {
          if (idx < -cur.length) return undefined;
          idx += cur.length;
        }
        if (idx >= cur.length) return undefined;
        next = cur[idx];
        const arr = cur;
        const at = idx;
        setBack = (v) => {
          arr[at] = v;
        };
      } else {
        if (!Object.prototype.hasOwnProperty.call(cur, token)) return undefined;
        next = cur[token];
        const obj = cur;
        setBack = (v) => {
          setOwn(obj, token, v);
        };
      }
      if (!isContainer(next)) return undefined;
      const mine = own(next);
      if (mine !== next) setBack(mine);
      cur = mine;
    }
    return { container: cur, key: decodeToken(parts[parts.length - 1]) };
  };

  /** Replaces an object container by a re-ordered copy: the slot's parent must be updated, so re-find. */
  const setObjectKey = (path: string, slot: Slot, value: unknown): void => {
    const o = slot.container as Record<string, unknown>;
    if (Object.prototype.hasOwnProperty.call(o, slot.key)) {
      setOwn(o, slot.key, value);
      return;
    }
    const replaced = withKey(o, slot.key, value);
    owned.add(replaced);
    replaceContainer(path, o, replaced);
  };

  /** Points the parent of `old` (found again by path) at `fresh`. */
  const replaceContainer = (path: string, old: Container, fresh: Container): void => {
    const parts = path.split("/");
    if (parts.length === 2) {
      holder.root = fresh;
      return;
    }
    const parentPath = parts.slice(0, -1).join("/");
    const parentSlot = find(parentPath)!;
    const parent = parentSlot.container;
    if (Array.isArray(parent)) {
      let idx = goAtoi(parentSlot.key)!;
      if (idx < 0) idx += parent.length;
      if (parent[idx] !== old) throw new Error("internal: container moved");
      parent[idx] = fresh;
    } else {
      setOwn(parent, parentSlot.key, fresh);
    }
  };

  /** Reads like evanphx `get`: undefined for a missing or null value; throws on a bad array index. */
  const get = (slot: Slot, what: string): unknown => {
    const c = slot.container;
    if (Array.isArray(c)) {
      let idx = goAtoi(slot.key);
      if (idx === undefined) throw new Error(`${what}: "${slot.key}" is not an array index`);
      if (idx < 0) {
        if (idx < -c.length) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
        idx += c.length;
      }
      if (idx >= c.length) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
      return c[idx] ?? undefined;
    }
    const v = Object.prototype.hasOwnProperty.call(c, slot.key) ? c[slot.key] : undefined;
    return v === null ? undefined : v;
  };

  const add = (path: string, slot: Slot, value: unknown, what: string): void => {
    const c = slot.container;
    if (Array.isArray(c)) {
      if (slot.key === "-") {
        c.push(value);
        return;
      }
      let idx = goAtoi(slot.key);
      if (idx === undefined) throw new Error(`${what}: "${slot.key}" is not an array index`);
      if (idx > c.length) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
      if (idx < 0) {
        if (idx < -(c.length + 1)) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
        idx += c.length + 1;
      }
      c.splice(idx, 0, value);
      return;
    }
    setObjectKey(path, slot, value);
  };

  const remove = (slot: Slot, what: string): unknown => {
    const c = slot.container;
    if (Array.isArray(c)) {
      let idx = goAtoi(slot.key);
      if (idx === undefined) throw new Error(`${what}: "${slot.key}" is not an array index`);
      if (idx >= c.length) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
      if (idx < 0) {
        if (idx < -c.length) throw new Error(`${what}: index ${idx} is out of range (array of ${c.length})`);
        idx += c.length;
      }
      return c.splice(idx, 1)[0];
    }
    if (!Object.prototype.hasOwnProperty.call(c, slot.key)) throw new Error(`${what}: there is no key "${slot.key}" to remove`);
    const v = c[slot.key];
    delete c[slot.key];
    return v;
  };

  ops.forEach((raw, index) => {
    const fail = (message: string): never => {
      throw new JsonPatchError(index, message);
    };
    if (!isObject(raw)) fail(`operation ${index} is not a mapping`);
    const op = raw as Record<string, unknown>;
    const kind = typeof op.op === "string" ? op.op : "unknown";
    const stringField = (field: "path" | "from"): string => {
      const v = op[field];
      if (typeof v !== "string") fail(`${kind}: "${field}" is missing or not a string`);
      return v as string;
    };
    const value = op.value === undefined ? null : op.value;
    const describe = (p: string) => `${kind} ${p === "" ? '""' : p}`;
    try {
      switch (kind) {
        case "add": {
          const path = stringField("path");
          if (path === "") {
            if (!isContainer(value)) fail(`${describe(path)}: the document can only be replaced by a mapping or a list`);
            holder.root = value;
            break;
          }
          const slot = find(path) ?? fail(`${describe(path)}: the parent of the path does not exist`);
          add(path, slot, value, describe(path));
          break;
        }
        case "remove": {
          const path = stringField("path");
          const slot = find(path) ?? fail(`${describe(path)}: the parent of the path does not exist`);
          remove(slot, describe(path));
          break;
        }
        case "replace": {
          const path = stringField("path");
          if (path === "") {
            if (!isContainer(value)) fail(`${describe(path)}: the document can only be replaced by a mapping or a list`);
            holder.root = value;
            break;
          }
          const slot = find(path) ?? fail(`${describe(path)}: the parent of the path does not exist`);
          const c = slot.container;
          if (Array.isArray(c)) {
            get(slot, describe(path));
            let idx = goAtoi(slot.key)!;
            if (idx < 0) idx += c.length;
            c[idx] = value;
          } else {
            setObjectKey(path, slot, value);
          }
          break;
        }
        case "move": {
          const from = stringField("from");
          if (from === "") fail(`move from "": the whole document cannot be moved`);
          const fromSlot = find(from) ?? fail(`move from ${from}: the parent of the path does not exist`);
          get(fromSlot, `move from ${from}`);
          const moved = remove(fromSlot, `move from ${from}`);
          const path = stringField("path");
          const slot = find(path) ?? fail(`move to ${path}: the parent of the path does not exist`);
          add(path, slot, moved, `move to ${path}`);
          break;
        }
        case "copy": {
          const from = stringField("from");
          const fromSlot = find(from) ?? fail(`copy from ${from}: the parent of the path does not exist`);
          const copied = get(fromSlot, `copy from ${from}`);
          const path = stringField("path");
          const slot = find(path) ?? fail(`copy to ${path}: the parent of the path does not exist`);
          add(path, slot, copied === undefined ? null : cloneJson(copied), `copy to ${path}`);
          break;
        }
        case "test": {
          const path = stringField("path");
          let actual: unknown;
          if (path === "") actual = holder.root;
          else {
            const slot = find(path) ?? fail(`${describe(path)}: the parent of the path does not exist`);
            actual = get(slot, describe(path));
          }
          const expected = value;
          const ok = actual === undefined || actual === null ? expected === null : expected !== null && deepEqualJson(actual, expected);
          if (!ok) fail(`${describe(path)}: the value is ${actual === undefined ? "absent" : JSON.stringify(actual)}, not ${JSON.stringify(expected)}`);
          break;
        }
        default:
          fail(`unknown operation ${JSON.stringify(op.op ?? null)}`);
      }
    } catch (error) {
      if (error instanceof JsonPatchError) throw error;
      throw new JsonPatchError(index, (error as Error).message);
    }
  });
  return holder.root;
}
