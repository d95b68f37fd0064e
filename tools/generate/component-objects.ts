import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Component, ComponentContext } from "../model/component.ts";
import type { Environment } from "../model/environment.ts";
import { describeObject, isClusterScoped, objectKey, type KubeObject } from "../model/kube-object.ts";
import { CacheMemo, gitopsCacheDir, TOOLS_REPO_ROOT } from "../workspace/cache.ts";
import { GenerateError } from "./errors.ts";

/** Merges an environment's values with a cluster's overrides (shallow: a cluster replaces whole top-level values). */
export function valuesFor<V>(component: Component<V>, environment: Environment, overrides?: Partial<V>): V {
  const base = component.values[environment];
  if (!overrides) return base;
  if (typeof base !== "object" || base === null) return (overrides as V) ?? base;
  return { ...base, ...overrides };
}

/** Bump when what the memo holds changes. */
const MODEL_MEMO_FORMAT = 1;
let modelMemo: CacheMemo<1> | null | undefined;
let modelMemoSalt = "";

/**
 * Models whose own validation passed, remembered in the toolchain cache by their class, their JSON and
 * the installed packages (the toolchain's package-lock.json), so that an unchanged object does not load
 * its model's validator again. A failure is never remembered. Null when there is no lock file to key on.
 */
function validModels(): CacheMemo<1> | null {
  if (modelMemo === undefined) {
    try {
      modelMemoSalt = createHash("sha256").update(readFileSync(path.join(TOOLS_REPO_ROOT, "package-lock.json"))).digest("hex");
      modelMemo = new CacheMemo<1>(path.join(gitopsCacheDir(), "valid-models", `${modelMemoSalt.slice(0, 24)}.json`), MODEL_MEMO_FORMAT);
    } catch {
      modelMemo = null;
    }
  }
  return modelMemo;
}

/** Runs a model's validate(), unless this very object (by class and JSON) passed it before. */
function validateModel(model: { validate(): void }, json: string): void {
  const memo = validModels();
  const key = memo ? createHash("sha256").update(`${modelMemoSalt}\n${model.constructor?.name ?? ""}\n`).update(json).digest("base64url") : "";
  if (memo?.get(key)) return;
  model.validate();
  memo?.set(key, 1);
}

/** kubernetes-models reports `data/spec/replicas must be integer`: make the path read like the others (`spec.replicas`). */
export function modelMessage(message: string): string {
  return message
    .split(", ")
    .map((part) =>
      part.replace(/^data(?:\/([^\s]*))?\s/, (_, p: string | undefined) => {
        if (!p) return "";
        return `${p.split("/").map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("")} `;
      }),
    )
    .join(", ");
}

/**
 * The plain data of a model the generator builds (an Application, a Flux object), after the model's own
 * validation; a failure is a GenerateError naming the object (the caller adds the file it came from).
 */
export function validatedPlain<T>(model: { toJSON(): unknown; validate(): void }): T {
  const json = JSON.stringify(model.toJSON());
  const data = JSON.parse(json) as T;
  try {
    validateModel(model, json);
  } catch (error) {
    throw new GenerateError(`${describeObject(data as KubeObject)} is invalid: ${modelMessage(errorMessage(error))}`);
  }
  return data;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The objects a component produces for one environment (and, with overrides, one cluster), checked and
 * normalised: models validated, namespace filled in for namespaced kinds, the Namespace itself added.
 */
export function componentObjects<V>(
  component: Component<V>,
  source: string,
  environment: Environment,
  options: { overrides?: Partial<V>; cluster?: string } = {},
): KubeObject[] {
  const values = valuesFor(component, environment, options.overrides);
  const context: ComponentContext = { environment, namespace: component.namespace, cluster: options.cluster };
  const where = `${source} (${environment}${options.cluster ? `, cluster ${options.cluster}` : ""})`;
  let produced: readonly unknown[] = [];
  if (component.resources) {
    try {
      produced = component.resources(values, context);
    } catch (error) {
      throw new GenerateError(`${where}: resources() threw: ${errorMessage(error)}`);
    }
    if (!Array.isArray(produced)) {
      throw new GenerateError(`${where}: resources() must return an array of objects, got ${typeof produced}`);
    }
  }
  const objects: KubeObject[] = [];
  produced.forEach((item, index) => {
    if (typeof item !== "object" || item === null) {
      throw new GenerateError(`${where}: resources()[${index}] is ${item === null ? "null" : typeof item}, not an object`);
    }
    const model = item as { validate?: () => void };
    const json = JSON.stringify(item);
    const plain = JSON.parse(json) as Partial<KubeObject>;
    const label = describeObject(plain as KubeObject);
    if (typeof plain.apiVersion !== "string" || plain.apiVersion === "" || typeof plain.kind !== "string" || plain.kind === "") {
      throw new GenerateError(`${where}: resources()[${index}] (${label}) has no apiVersion or kind`);
    }
    if (typeof plain.metadata?.name !== "string" || plain.metadata.name === "") {
      throw new GenerateError(`${where}: resources()[${index}] ${plain.kind} has no metadata.name`);
    }
    const object = plain as KubeObject;
    const namespaced = isClusterScoped(object.kind) ? object.metadata.namespace : (object.metadata.namespace ?? component.namespace);
    if (typeof model.validate === "function") {
      try {
        validateModel(model as { validate(): void }, json);
      } catch (error) {
        throw new GenerateError(`${where}: ${describeObject({ kind: object.kind, metadata: { name: object.metadata.name, namespace: namespaced } })} is invalid: ${modelMessage(errorMessage(error))}`);
      }
    }
    if (isClusterScoped(object.kind)) {
      if (object.metadata.namespace !== undefined) {
        throw new GenerateError(`${where}: ${label} is cluster-scoped but sets metadata.namespace`);
      }
    } else if (object.metadata.namespace === undefined) {
      const { name, ...rest } = object.metadata;
      object.metadata = { name, namespace: component.namespace, ...rest };
    }
    objects.push(object);
  });
  const ownsNamespace = objects.some((o) => o.kind === "Namespace" && o.metadata.name === component.namespace);
  if (component.createNamespace !== false && !ownsNamespace) {
    const level = component.podSecurity ?? "restricted";
    objects.unshift({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: component.namespace,
        labels: {
          "pod-security.kubernetes.io/enforce": level,
          "pod-security.kubernetes.io/audit": "restricted",
          "pod-security.kubernetes.io/warn": "restricted",
        },
      },
    });
  }
  const seen = new Set<string>();
  for (const object of objects) {
    const key = objectKey(object);
    if (seen.has(key)) throw new GenerateError(`${where}: ${describeObject(object)} is produced twice`);
    seen.add(key);
  }
  return objects;
}
