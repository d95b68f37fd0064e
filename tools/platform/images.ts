import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/** Kargo's promotion stages, in order. */
export const STAGES = ["dev", "staging", "prod"] as const;
export type Stage = (typeof STAGES)[number];

/** An image and the tag each stage runs. */
export interface PromotedImage {
  readonly repository: string;
  readonly tags: { readonly [S in Stage]: string };
}

/**
 * Reads an app's `images.yaml`: the file Kargo's promotions write (a `yaml-update` step sets
 * `tags.<stage>`), and the only place an app's image tags live. `generate` reads it, so a promotion
 * commit followed by `npm run generate` rolls the new tag into the overlays and nothing else changes.
 */
export function readPromotedImage(url: URL): PromotedImage {
  const file = fileURLToPath(url);
  const data = parse(readFileSync(file, "utf8")) as { repository?: unknown; tags?: Record<string, unknown> } | null;
  if (!data || typeof data.repository !== "string" || data.repository === "") throw new Error(`${file}: "repository" must be an image repository such as ghcr.io/acme/backend`);
  const tags = {} as Record<Stage, string>;
  for (const stage of STAGES) {
    const tag = data.tags?.[stage];
    if (typeof tag === "number") throw new Error(`${file}: tags.${stage} must be a quoted string ("${tag}"): YAML reads it as the number ${tag}`);
    if (typeof tag !== "string" || !/^[\w][\w.-]{0,127}$/.test(tag) || tag === "latest") {
      throw new Error(`${file}: tags.${stage} must be a pinned image tag (not "latest"), got ${JSON.stringify(tag)}`);
    }
    tags[stage] = tag;
  }
  return { repository: data.repository, tags };
}
