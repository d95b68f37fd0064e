import type { Component } from "../model/component.ts";
import { GenerateError } from "./errors.ts";

/**
 * Sync wave of each component: 0 without dependencies, else one more than its latest dependency, so that
 * every component syncs after everything it depends on. A cycle is an error that names it.
 */
export function syncWaves(components: readonly Component<any>[], where: string): Map<Component<any>, number> {
  const waves = new Map<Component<any>, number>();
  const visiting: Component<any>[] = [];
  const visit = (component: Component<any>): number => {
    const known = waves.get(component);
    if (known !== undefined) return known;
    const at = visiting.indexOf(component);
    if (at >= 0) {
      const cycle = [...visiting.slice(at), component].map((c) => c.name).join(" → ");
      throw new GenerateError(`${where}: dependency cycle: ${cycle}`);
    }
    visiting.push(component);
    let wave = 0;
    for (const dependency of component.dependsOn ?? []) {
      if (!dependency || typeof dependency !== "object") {
        throw new GenerateError(`${where}: component "${component.name}" has an undefined dependency (a circular import between component files?)`);
      }
      wave = Math.max(wave, visit(dependency) + 1);
    }
    visiting.pop();
    waves.set(component, wave);
    return wave;
  };
  for (const component of [...components].sort((a, b) => a.name.localeCompare(b.name))) visit(component);
  return waves;
}
