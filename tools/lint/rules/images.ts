import type { ObjectFinding } from "../../findings/finding.ts";
import { DOCKER_HUB, parseImageRef, registryAllows } from "../image-ref.ts";
import { ALL_CONTAINER_LISTS, containersOf, podSpecOf } from "../pod-spec.ts";
import { findingOf, type PodSpecPattern, type PolicyRule } from "../rule.ts";

/**
 * Kyverno's image pattern for "pinned": a digest, or a tag other than `latest`. A tag is a `:` after the
 * last `/`; wildcards cannot say "last", so a registry port (`host:5000/app`) takes the second alternative.
 */
const PINNED_IMAGE = "*@?* | !*:latest & *:* & !*:*/* | !*:latest & *:*/*:*";
/** A digest is never empty (`nginx@` pins nothing). */
const DIGEST_IMAGE = "*@?*";

export const imagePinned: PolicyRule = {
  id: "image-pinned",
  severity: "error",
  title: "Images are pinned to a version tag or a digest",
  rationale:
    "An image without a tag, or with :latest, changes under the same manifest: rollbacks and diffs stop meaning anything, and nodes may run different code.",
  hint: "Use an immutable version tag (nginx:1.27.3) or a digest (nginx@sha256:…); clusters with requireDigest need the digest.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: (settings) => [containerPattern({ image: settings.requireDigest ? DIGEST_IMAGE : PINNED_IMAGE })],
  },
  check(object, context) {
    const pod = podSpecOf(object);
    if (!pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const image = c.container.image;
      const path = [...c.path, "image"];
      if (typeof image !== "string" || image === "") {
        out.push(findingOf(imagePinned, `${c.label} has no image`, path));
        continue;
      }
      const ref = parseImageRef(image);
      if (ref.digest) continue;
      if (ref.tag === undefined)
        out.push(findingOf(imagePinned, `${c.label} image "${image}" has no tag, so it pulls :latest`, path));
      else if (ref.tag === "latest")
        out.push(findingOf(imagePinned, `${c.label} image "${image}" uses the :latest tag`, path));
      else if (context.settings.requireDigest) {
        out.push(
          findingOf(
            imagePinned,
            `${c.label} image "${image}" is not pinned by digest, which this cluster requires (name@sha256:…)`,
            path,
          ),
        );
      }
    }
    return out;
  },
};

export const registryAllowed: PolicyRule = {
  id: "registry-allowed",
  severity: "error",
  title: "Images come from an allowed registry",
  rationale:
    "A cluster should only run images from registries it trusts and can reach (mirrored, scanned, available when the internet is not).",
  hint: "Mirror the image into an allowed registry, or add its registry to policy.registries in cluster.ts.",
  kyverno: {
    expressible: true,
    scope: "all",
    patterns: (settings) =>
      settings.registries && [containerPattern({ "=(image)": registryAlternatives(settings.registries).join(" | ") })],
  },
  check(object, context) {
    const allowed = context.settings.registries;
    const pod = podSpecOf(object);
    if (!allowed || !pod) return [];
    const out: ObjectFinding[] = [];
    for (const c of containersOf(pod, ALL_CONTAINER_LISTS)) {
      const image = c.container.image;
      if (typeof image !== "string" || image === "") continue;
      const ref = parseImageRef(image);
      if (allowed.some((entry) => registryAllows(entry, ref))) continue;
      const full = `${ref.registry}/${ref.repository}`;
      const written = image.startsWith(full) ? "" : ` (${full})`;
      out.push(
        findingOf(
          registryAllowed,
          `${c.label} image "${image}"${written} is not from an allowed registry (${allowed.join(", ")})`,
          [...c.path, "image"],
        ),
      );
    }
    return out;
  },
};

/** The same element pattern for every container list of a pod spec. */
export function containerPattern(
  element: Record<string, unknown>,
  lists: readonly ("containers" | "initContainers" | "ephemeralContainers")[] = ALL_CONTAINER_LISTS,
): PodSpecPattern {
  return Object.fromEntries(lists.map((list) => [`=(${list})`, [element]]));
}

/**
 * Kyverno wildcard alternatives matching exactly the images an allow-list entry covers, however the
 * image is spelled: `ghcr.io/acme` covers `ghcr.io/acme/api:1`; `docker.io` also covers `nginx:1.27`
 * and `bitnami/redis:7` (no registry host: no `.` or `:` before a `/`, and not `localhost/`).
 */
export function registryAlternatives(entries: readonly string[]): string[] {
  const out: string[] = [];
  const prefix = (spelling: string) => out.push(spelling, `${spelling}:*`, `${spelling}@*`, `${spelling}/*`);
  for (const entry of entries) {
    if (entry === DOCKER_HUB) {
      out.push("docker.io/*", "index.docker.io/*", "!*.*/* & !*:*/* & !localhost/*");
      continue;
    }
    if (!entry.startsWith(`${DOCKER_HUB}/`)) {
      if (entry.includes("/")) prefix(entry);
      else out.push(`${entry}/*`);
      continue;
    }
    const path = entry.slice(DOCKER_HUB.length + 1);
    prefix(entry);
    prefix(`index.docker.io/${path}`);
    // Written without a registry: only safe when the first component cannot be read as a host.
    if (/^[^/.:]+(\/|$)/.test(path) && path.split("/")[0] !== "localhost") {
      if (path.includes("/")) prefix(path);
      else out.push(`${path}/*`);
    }
    if (path === "library") {
      // Official images however written: `nginx`, `docker.io/nginx`, `index.docker.io/nginx` (one path component).
      out.push("!*/*", "docker.io/* & !docker.io/*/*", "index.docker.io/* & !index.docker.io/*/*");
    }
    const official = path.startsWith("library/") ? path.slice("library/".length) : undefined;
    if (official && !official.includes("/")) {
      for (const spelling of [official, `${DOCKER_HUB}/${official}`, `index.docker.io/${official}`]) out.push(spelling, `${spelling}:*`, `${spelling}@*`);
    }
  }
  return out;
}
