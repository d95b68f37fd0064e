/** An image reference split the way container runtimes read it. */
export interface ImageRef {
  /** Registry host (with port), `docker.io` when the reference names none. */
  readonly registry: string;
  /** Repository path inside the registry: `library/nginx`, `acme/api`. */
  readonly repository: string;
  readonly tag: string | undefined;
  /** `sha256:…` when pinned by digest. */
  readonly digest: string | undefined;
}

export const DOCKER_HUB = "docker.io";

/**
 * Parses `[registry/]path[:tag][@digest]`. The first path component is a registry when it contains a
 * `.` or a `:`, or is `localhost`; otherwise the image is on Docker Hub (`nginx` → `docker.io/library/nginx`).
 */
export function parseImageRef(image: string): ImageRef {
  const at = image.indexOf("@");
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1) || undefined;
  const lastSlash = name.lastIndexOf("/");
  const lastColon = name.lastIndexOf(":");
  const tag = lastColon > lastSlash ? name.slice(lastColon + 1) : undefined;
  const path = lastColon > lastSlash ? name.slice(0, lastColon) : name;
  const firstSlash = path.indexOf("/");
  const first = firstSlash < 0 ? "" : path.slice(0, firstSlash);
  if (first !== "" && (first.includes(".") || first.includes(":") || first === "localhost")) {
    const registry = first === "index.docker.io" ? DOCKER_HUB : first;
    const repository = path.slice(firstSlash + 1);
    return {
      registry,
      repository: registry === DOCKER_HUB && !repository.includes("/") ? `library/${repository}` : repository,
      tag,
      digest,
    };
  }
  return { registry: DOCKER_HUB, repository: firstSlash < 0 ? `library/${path}` : path, tag, digest };
}

/** Whether a normalised allow-list entry (`ghcr.io/acme`, `docker.io`) covers the image. */
export function registryAllows(entry: string, ref: ImageRef): boolean {
  const full = `${ref.registry}/${ref.repository}`;
  return full === entry || full.startsWith(`${entry}/`);
}
