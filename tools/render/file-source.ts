import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";

/**
 * Where a render reads its files: the disk, or a view of another commit over the working tree (see
 * tools/pipeline/git-tree-view.ts). Paths are absolute.
 */
export interface FileSource {
  /**
   * "d:…" for a folder, "f:…" for a file, "o:…" for anything else, undefined when absent. Equal
   * signatures mean equal contents: the build cache reuses what was built from them.
   */
  signature(abs: string): string | undefined;
  /** A file's text (UTF-8). */
  read(abs: string): string;
  /** The path with symbolic links resolved. */
  realpath(abs: string): string;
  /** A folder's entry names, sorted; undefined when it is not a folder. */
  list(abs: string): string[] | undefined;
  /** Whether these files are the disk's, so that an external tool (kubectl) can read them. */
  readonly onDisk: boolean;
}

/** A folder that only `kubectl kustomize` builds was asked for from files that are not on disk. */
export class NotOnDiskError extends Error {
  constructor(readonly where: string) {
    super(`${where}: needs real Kustomize, which reads files from disk`);
    this.name = "NotOnDiskError";
  }
}

export const diskFiles: FileSource = {
  signature(p) {
    const s = statSync(p, { bigint: true, throwIfNoEntry: false });
    if (!s) return undefined;
    return `${s.isDirectory() ? "d" : s.isFile() ? "f" : "o"}:${s.mtimeNs}:${s.ctimeNs}:${s.size}:${s.ino}`;
  },
  read: (p) => readFileSync(p, "utf8"),
  realpath: (p) => realpathSync.native(p),
  list(p) {
    try {
      return readdirSync(p).sort();
    } catch {
      return undefined;
    }
  },
  onDisk: true,
};
