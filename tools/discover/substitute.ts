/** Flux's post-build variable substitution (`${VAR}`, `${VAR:=default}`, `${VAR:-default}`) over objects in memory. */
import { isRecord } from "../validate/objects.ts";

/** A `${VAR}` left as it is: not set, and without a default. */
export interface Substitution {
  readonly variable: string;
  readonly path: readonly (string | number)[];
}

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[=-])([^}]*))?\}/g;
const WHOLE = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[=-][^}]*)?\}$/;

/** Fields whose values stay strings whatever they hold (Flux substitutes in quoted YAML there too). */
function keepsStrings(path: readonly (string | number)[]): boolean {
  return path[0] === "metadata" || path[0] === "data" || path[0] === "stringData" || path.includes("env") || path.includes("args") || path.includes("command");
}

/** A substituted whole value, typed as YAML would read the substituted text: `3` a number, `true` a boolean. */
function typed(text: string): unknown {
  if (/^-?(0|[1-9][0-9]*)$/.test(text)) return Number(text);
  if (/^-?(0|[1-9][0-9]*)\.[0-9]+$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/** One string with its references replaced; unresolved names are returned. */
export function substituteString(text: string, vars: ReadonlyMap<string, string>, unresolved: string[]): string {
  return text.replace(REFERENCE, (whole, name: string, op: string | undefined, fallback: string | undefined) => {
    const value = vars.get(name);
    const unset = value === undefined || (op?.startsWith(":") === true && value === "");
    if (!unset) return value!;
    if (op !== undefined) return fallback ?? "";
    unresolved.push(name);
    return whole;
  });
}

/** Substitutes every string of an object in place; returns each unresolved reference with its field path. */
export function substituteObject(object: Record<string, unknown>, vars: ReadonlyMap<string, string>): Substitution[] {
  const out: Substitution[] = [];
  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === "string") {
      if (!value.includes("${")) return value;
      const unresolved: string[] = [];
      const result = substituteString(value, vars, unresolved);
      for (const variable of unresolved) out.push({ variable, path });
      return WHOLE.test(value) && unresolved.length === 0 && !keepsStrings(path) ? typed(result) : result;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = visit(value[i], [...path, i]);
      return value;
    }
    if (isRecord(value)) {
      for (const key of Object.keys(value)) value[key] = visit(value[key], [...path, key]);
      return value;
    }
    return value;
  };
  visit(object, []);
  return out;
}
