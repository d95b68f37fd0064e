import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { isCluster, type Cluster } from "../model/cluster.ts";
import { isComponent, type Component } from "../model/component.ts";
import { GenerateError, GenerateErrors, WorkspaceUsageError } from "../generate/errors.ts";
import { findImportCycle } from "./imports.ts";

export const COMPONENT_ROOTS = ["infrastructure", "apps"] as const;
export const COMPONENT_FILE = "component.ts";
export const CLUSTER_FILE = "cluster.ts";

export interface LoadedComponent {
  readonly component: Component<any>;
  /** Repo-relative folder, e.g. `apps/backend`. */
  readonly dir: string;
  /** Repo-relative source file, e.g. `apps/backend/component.ts`. */
  readonly source: string;
}

export interface LoadedCluster {
  readonly cluster: Cluster;
  readonly dir: string;
  readonly source: string;
}

export interface Workspace {
  readonly root: string;
  readonly components: readonly LoadedComponent[];
  readonly clusters: readonly LoadedCluster[];
}

/** The repository root: the nearest folder above `from` holding nx.json. */
export function findRoot(from = process.cwd()): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "nx.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new WorkspaceUsageError([new GenerateError(`no nx.json found in ${from} or any folder above it: run this command inside the platform repository`)]);
    dir = parent;
  }
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !name.startsWith(".") && statSync(path.join(dir, name)).isDirectory())
    .sort();
}

/** Repo-relative folders that hold a component.ts, e.g. ["apps/backend", "infrastructure/cert-manager"]. */
export function componentDirs(root: string): string[] {
  return COMPONENT_ROOTS.flatMap((top) =>
    listDirs(path.join(root, top))
      .filter((name) => existsSync(path.join(root, top, name, COMPONENT_FILE)))
      .map((name) => `${top}/${name}`),
  );
}

export function clusterDirs(root: string): string[] {
  return listDirs(path.join(root, "clusters"))
    .filter((name) => existsSync(path.join(root, "clusters", name, CLUSTER_FILE)))
    .map((name) => `clusters/${name}`);
}

async function importDefault(root: string, source: string): Promise<unknown> {
  try {
    const module = await import(pathToFileURL(path.join(root, source)).href);
    return module.default;
  } catch (error) {
    if (error instanceof GenerateError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof ReferenceError && /before initialization/.test(message)) {
      const cycle = findImportCycle(root, componentDirs(root));
      if (cycle) throw new GenerateError(`${source}: dependency cycle: ${cycle.join(" → ")}`);
    }
    throw new GenerateError(`${source}: cannot be loaded: ${message}`);
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/**
 * Imports the component and cluster files. Only the named ones (and the components the named clusters
 * include) when a filter is given, so that one Nx task loads only what it needs.
 */
export async function loadWorkspace(
  root: string,
  filter: { components?: readonly string[]; clusters?: readonly string[] } = {},
): Promise<Workspace> {
  const errors: GenerateError[] = [];
  const wanted = (dirs: string[], names?: readonly string[]) =>
    names ? dirs.filter((d) => names.includes(path.basename(d))) : dirs;
  const allComponentDirs = componentDirs(root);
  const allClusterDirs = clusterDirs(root);
  const filtered = filter.components !== undefined || filter.clusters !== undefined;
  for (const name of filter.components ?? []) {
    if (!allComponentDirs.some((d) => path.basename(d) === name)) errors.push(new GenerateError(`no component named "${name}" (looked in ${COMPONENT_ROOTS.join("/ and ")}/)`));
  }
  for (const name of filter.clusters ?? []) {
    if (!allClusterDirs.some((d) => path.basename(d) === name)) errors.push(new GenerateError(`no cluster named "${name}" (looked in clusters/)`));
  }
  if (errors.length) throw new WorkspaceUsageError(errors);

  const components = new Map<Component<any>, LoadedComponent>();
  const addComponent = async (dir: string) => {
    const source = `${dir}/${COMPONENT_FILE}`;
    const value = await importDefault(root, source);
    if (!isComponent(value)) {
      throw new GenerateError(`${source}: the default export must be a component made by defineComponent()`);
    }
    if (value.name !== path.basename(dir)) {
      throw new GenerateError(`${source}: component name "${value.name}" must equal its folder name "${path.basename(dir)}"`);
    }
    if (!components.has(value)) components.set(value, { component: value, dir, source });
  };
  const componentDirsToLoad = filtered ? wanted(allComponentDirs, filter.components ?? []) : allComponentDirs;
  for (const dir of componentDirsToLoad) {
    try {
      await addComponent(dir);
    } catch (error) {
      errors.push(error as GenerateError);
    }
  }

  const clusters: LoadedCluster[] = [];
  const clusterDirsToLoad = filtered ? wanted(allClusterDirs, filter.clusters ?? []) : allClusterDirs;
  for (const dir of clusterDirsToLoad) {
    const source = `${dir}/${CLUSTER_FILE}`;
    try {
      const value = await importDefault(root, source);
      if (!isCluster(value)) throw new GenerateError(`${source}: the default export must be a cluster made by defineCluster()`);
      if (value.name !== path.basename(dir)) {
        throw new GenerateError(`${source}: cluster name "${value.name}" must equal its folder name "${path.basename(dir)}"`);
      }
      clusters.push({ cluster: value, dir, source });
    } catch (error) {
      errors.push(error as GenerateError);
    }
  }
  if (errors.length) throw new GenerateErrors(errors);

  // With an import cycle between component files, one side sees the other's export before it exists.
  for (const loaded of [...components.values()]) {
    if ((loaded.component.dependsOn ?? []).some((d) => d === undefined)) {
      const cycle = findImportCycle(root, componentDirs(root));
      throw new GenerateError(
        cycle
          ? `${loaded.source}: dependency cycle: ${cycle.join(" → ")}`
          : `${loaded.source}: dependsOn holds an undefined entry (a circular import between component files?)`,
      );
    }
  }
  // Components reached from clusters or dependencies but not loaded yet (filtered runs).
  const pending: Component<any>[] = [
    ...clusters.flatMap((c) =>
      c.cluster.components.map((e, i) => {
        if (!e || typeof e !== "object") throw new GenerateError(`${c.source}: components[${i}] is ${e}, not a component (a circular import?)`);
        return "__component" in e ? e : e.component;
      }),
    ),
    ...[...components.keys()].flatMap((c) => c.dependsOn ?? []),
  ];
  while (pending.length) {
    const component = pending.pop()!;
    if (components.has(component)) continue;
    if (!component?.sourceFile) throw new GenerateError(`a component without a known source file is referenced (${component?.name})`);
    const dir = toPosix(path.relative(root, path.dirname(component.sourceFile)));
    await addComponent(dir);
    pending.push(...(component.dependsOn ?? []));
  }
  const sorted = [...components.values()].sort((a, b) => a.dir.localeCompare(b.dir));
  return { root, components: sorted, clusters };
}

export function loadedComponentOf(workspace: Workspace, component: Component<any>): LoadedComponent {
  const found = workspace.components.find((c) => c.component === component);
  if (!found) throw new GenerateError(`component "${component.name}" is not in the workspace`);
  return found;
}
