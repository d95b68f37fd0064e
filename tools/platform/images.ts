import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** Kargo's promotion stages, in order. */
export const STAGES = ["dev", "staging", "prod"] as const;
export type Stage = (typeof STAGES)[number];

/** An image and the tag each stage runs. */
export interface PromotedImage {
  readonly app: string;
  readonly repository: string;
  readonly tags: { readonly [S in Stage]: string };
  /** The key a promotion sets for a stage, e.g. `backend.tags.prod`. */
  readonly keyOf: (stage: Stage) => string;
}

/**
 * Reads one app's entry of the images file (apps/images/images.yaml): the file Kargo's promotions
 * write (a `yaml-update` step sets `<app>.tags.<stage>`), and the only place the apps' image tags live.
 * `generate` reads it, so a promotion commit followed by `npm run generate` rolls the new tag into the
 * overlays and nothing else changes.
 */
export function readPromotedImage(url: URL, app: string): PromotedImage {
  const file = fileURLToPath(url);
  const data = parse(readFileSync(file, "utf8")) as Record<string, { repository?: unknown; tags?: Record<string, unknown> }> | null;
  const entry = data?.[app];
  if (!entry) throw new Error(`${file}: no entry for app "${app}"`);
  if (typeof entry.repository !== "string" || entry.repository === "") {
    throw new Error(`${file}: ${app}.repository must be an image repository such as ghcr.io/acme/${app}`);
  }
  const tags = {} as Record<Stage, string>;
  for (const stage of STAGES) {
    const tag = entry.tags?.[stage];
    if (typeof tag === "number") throw new Error(`${file}: ${app}.tags.${stage} must be a quoted string ("${tag}"): YAML reads it as the number ${tag}`);
    if (typeof tag !== "string" || !/^[\w][\w.-]{0,127}$/.test(tag) || tag === "latest") {
      throw new Error(`${file}: ${app}.tags.${stage} must be a pinned image tag (not "latest"), got ${JSON.stringify(tag)}`);
    }
    tags[stage] = tag;
  }
  return { app, repository: entry.repository, tags, keyOf: (stage) => `${app}.tags.${stage}` };
}
