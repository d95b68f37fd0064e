import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { engineBinary, type EngineBinary } from "../../engines/binaries.ts";

/** `gitops --version`: the toolchain's version and the engines it runs (and where they come from). */
export function versionText(): string {
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../../package.json"), "utf8")) as { version: string };
  const helm = engineBinary("helm");
  const kubectl = engineBinary("kubectl");
  const from = (b: EngineBinary) => (b.from === "pinned" ? "pinned" : b.from === "env" ? `${b.path}, from GITOPS_${b.name.toUpperCase()}` : "from the PATH");
  return [
    `gitops ${pkg.version}`,
    `helm ${helm.version} (${from(helm)})`,
    `kustomize ${kubectl.kustomize ?? "unknown"} (kubectl ${kubectl.version}, ${from(kubectl)})`,
  ].join("\n");
}
