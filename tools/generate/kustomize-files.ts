import type { KubeObject } from "../model/kube-object.ts";
import { groupOf, versionOf } from "../model/kube-object.ts";
import { diffToJsonPatch, deepEqual } from "./json-patch.ts";
import { objectFileStem } from "./names.ts";
import { toYaml } from "./yaml-file.ts";

/** A file `generate` writes: repo-relative POSIX path, YAML body (without header), and the source it came from. */
export interface GeneratedFile {
  readonly path: string;
  readonly body: string;
  readonly source: string;
}

const KUSTOMIZATION_HEAD = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" } as const;

/** Identity of an object within a layer (apiVersion included: a version change is a different object). */
function layerKey(o: KubeObject): string {
  return `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
}

/** File stems for a set of objects: `kind-name`, with the namespace added where two would collide. */
export function fileStems(objects: readonly KubeObject[]): Map<KubeObject, string> {
  const short = new Map<string, number>();
  for (const o of objects) {
    const stem = objectFileStem(o.kind, o.metadata.name);
    short.set(stem, (short.get(stem) ?? 0) + 1);
  }
  const stems = new Map<KubeObject, string>();
  for (const o of objects) {
    const stem = objectFileStem(o.kind, o.metadata.name);
    stems.set(o, short.get(stem)! > 1 ? objectFileStem(o.kind, o.metadata.name, o.metadata.namespace ?? "cluster") : stem);
  }
  return stems;
}

function patchTarget(o: KubeObject): Record<string, string> {
  const target: Record<string, string> = {};
  const group = groupOf(o.apiVersion);
  if (group) target.group = group;
  target.version = versionOf(o.apiVersion);
  target.kind = o.kind;
  target.name = o.metadata.name;
  if (o.metadata.namespace) target.namespace = o.metadata.namespace;
  return target;
}

/** A folder holding plain objects: `kustomization.yaml` listing one file per object. */
export function baseFiles(dir: string, objects: readonly KubeObject[], source: string): GeneratedFile[] {
  const stems = fileStems(objects);
  const entries = [...objects].map((o) => ({ o, file: `${stems.get(o)}.yaml` })).sort((a, b) => a.file.localeCompare(b.file));
  return [
    { path: `${dir}/kustomization.yaml`, source, body: toYaml({ ...KUSTOMIZATION_HEAD, resources: entries.map((e) => e.file) }) },
    ...entries.map((e) => ({ path: `${dir}/${e.file}`, source, body: toYaml(e.o) })),
  ];
}

/**
 * A folder that builds `child` from the folder `parentRef` (whose objects are `parent`): objects only in
 * the child become resource files, changed objects become JSON6902 patches, objects the child lacks are
 * deleted with a strategic-merge `$patch: delete`.
 */
export function overlayFiles(
  dir: string,
  parentRef: string,
  parent: readonly KubeObject[],
  child: readonly KubeObject[],
  source: string,
): GeneratedFile[] {
  const parentByKey = new Map(parent.map((o) => [layerKey(o), o]));
  const childKeys = new Set(child.map(layerKey));
  const added = child.filter((o) => !parentByKey.has(layerKey(o)));
  const changed = child.filter((o) => parentByKey.has(layerKey(o)) && !deepEqual(parentByKey.get(layerKey(o)), o));
  const removed = parent.filter((o) => !childKeys.has(layerKey(o)));
  const stems = fileStems([...child, ...removed]);

  const files: GeneratedFile[] = [];
  const resources = [parentRef];
  for (const o of [...added].sort((a, b) => stems.get(a)!.localeCompare(stems.get(b)!))) {
    const file = `${stems.get(o)}.yaml`;
    resources.push(file);
    files.push({ path: `${dir}/${file}`, source, body: toYaml(o) });
  }
  const patches: { path: string; target?: Record<string, string> }[] = [];
  for (const o of changed) {
    const file = `${stems.get(o)}.patch.yaml`;
    patches.push({ path: file, target: patchTarget(o) });
    files.push({ path: `${dir}/${file}`, source, body: toYaml(diffToJsonPatch(parentByKey.get(layerKey(o)), o)) });
  }
  for (const o of removed) {
    const file = `${stems.get(o)}.delete.yaml`;
    patches.push({ path: file });
    const metadata = o.metadata.namespace ? { name: o.metadata.name, namespace: o.metadata.namespace } : { name: o.metadata.name };
    files.push({ path: `${dir}/${file}`, source, body: toYaml({ $patch: "delete", apiVersion: o.apiVersion, kind: o.kind, metadata }) });
  }
  patches.sort((a, b) => a.path.localeCompare(b.path));
  const kustomization: Record<string, unknown> = { ...KUSTOMIZATION_HEAD, resources };
  if (patches.length > 0) kustomization.patches = patches;
  files.unshift({ path: `${dir}/kustomization.yaml`, source, body: toYaml(kustomization) });
  return files;
}

/** Objects present in every environment, as the first environment has them: the content of `base/`. */
export function commonObjects(perEnvironment: readonly (readonly KubeObject[])[]): KubeObject[] {
  const [first, ...rest] = perEnvironment;
  const restKeys = rest.map((objects) => new Set(objects.map(layerKey)));
  return first.filter((o) => restKeys.every((keys) => keys.has(layerKey(o))));
}
