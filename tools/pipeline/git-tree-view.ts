/**
 * Another commit's files, seen through the working tree: a file the commit has with the same content as
 * the working tree is read from disk (with the disk's signature, so that the build cache reuses what the
 * working tree's render built from it); a file that differs is read from git's object store; a file the
 * commit does not have is absent. That is the commit's tree, byte for byte, without checking out the
 * thousands of files that did not change.
 */
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";
import { diskFiles, type FileSource } from "../render/file-source.ts";

interface Entry {
  readonly type: "blob" | "tree" | "commit";
  readonly mode: string;
  readonly sha: string;
}

export interface GitTreeView {
  readonly files: FileSource;
  /** Repository paths whose content differs between the commit and the working tree. */
  readonly changed: readonly string[];
}

function gitBuffer(cwd: string, args: string[], input?: string): Buffer {
  const r = spawnSync("git", args, { cwd, input, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString("utf8").trim()}`);
  return r.stdout;
}

function nulSeparated(buffer: Buffer): string[] {
  return buffer.toString("utf8").split("\0").filter(Boolean);
}

/** Blob contents by object id, read with one `git cat-file --batch`. */
function readBlobs(top: string, shas: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const unique = [...new Set(shas)];
  if (!unique.length) return out;
  const buffer = gitBuffer(top, ["cat-file", "--batch"], `${unique.join("\n")}\n`);
  let at = 0;
  for (const sha of unique) {
    const eol = buffer.indexOf(10, at);
    const header = buffer.toString("utf8", at, eol).split(" ");
    if (header[0] !== sha || header[1] !== "blob") throw new Error(`git cat-file --batch: unexpected answer "${header.join(" ")}" for ${sha}`);
    const size = Number(header[2]);
    out.set(sha, buffer.toString("utf8", eol + 1, eol + 1 + size));
    at = eol + 1 + size + 1;
  }
  return out;
}

function enoent(abs: string, what: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${what} '${abs}'`), { code: "ENOENT" });
}

/**
 * The files of `commit` as a FileSource over the working tree of the repository whose top-level folder
 * is `top` (as `git rev-parse --show-toplevel` spells it). Undefined when the view cannot stand for a
 * checkout: a symbolic link that differs between the commit and the working tree.
 */
export function gitTreeView(top: string, commit: string): GitTreeView | undefined {
  const entries = new Map<string, Entry>();
  const children = new Map<string, string[]>([["", []]]);
  for (const line of nulSeparated(gitBuffer(top, ["ls-tree", "-r", "-t", "-z", "--full-tree", commit]))) {
    const tab = line.indexOf("\t");
    const [mode, type, sha] = line.slice(0, tab).split(" ");
    const rel = line.slice(tab + 1);
    entries.set(rel, { mode, type: type as Entry["type"], sha });
    const parent = path.posix.dirname(rel);
    const key = parent === "." ? "" : parent;
    if (!children.has(key)) children.set(key, []);
    children.get(key)!.push(path.posix.basename(rel));
  }
  const rootTree = gitBuffer(top, ["rev-parse", `${commit}^{tree}`]).toString("utf8").trim();
  // What differs between the commit and the working tree (content, not stat information).
  const changed = nulSeparated(gitBuffer(top, ["diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--ignore-submodules", commit, "--"]));
  const changedFiles = new Set(changed);
  const changedDirs = new Set<string>([""]);
  for (const rel of changed) {
    for (let dir = path.posix.dirname(rel); dir !== "."; dir = path.posix.dirname(dir)) changedDirs.add(dir);
    const entry = entries.get(rel);
    if (entry?.mode === "120000") return undefined;
  }
  if (!changed.length) changedDirs.clear();
  const blobs = readBlobs(
    top,
    changed.map((rel) => entries.get(rel)).filter((e): e is Entry => e?.type === "blob").map((e) => e.sha),
  );
  const realTop = realpathSync.native(top);

  const relOf = (abs: string): string | undefined => {
    const rel = path.relative(top, abs);
    if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join("/");
  };
  /** A file git has and the disk may not (a sparse checkout): read from the object store. */
  const blobText = (entry: Entry): string => {
    let text = blobs.get(entry.sha);
    if (text === undefined) {
      text = gitBuffer(top, ["cat-file", "blob", entry.sha]).toString("utf8");
      blobs.set(entry.sha, text);
    }
    return text;
  };

  /**
   * The path with the commit's symbolic links replaced by what they point at, as a checkout resolves them:
   * `linked/x.yaml`, where `linked` points at `real`, is the commit's `real/x.yaml`.
   */
  const throughLinks = (abs: string, depth = 0): string => {
    const rel = relOf(abs);
    if (rel === undefined || rel === "" || depth > 40) return abs;
    const parts = rel.split("/");
    for (let i = 1; i <= parts.length; i++) {
      const entry = entries.get(parts.slice(0, i).join("/"));
      if (!entry) return abs;
      if (entry.mode === "120000") {
        const target = path.resolve(path.join(top, ...parts.slice(0, i - 1)), blobText(entry));
        return throughLinks(path.join(target, ...parts.slice(i)), depth + 1);
      }
      if (entry.type !== "tree") return abs;
    }
    return abs;
  };

  const files: FileSource = {
    signature(linked) {
      const abs = throughLinks(linked);
      const rel = relOf(abs);
      if (rel === undefined) return diskFiles.signature(abs);
      if (rel === "") return changedDirs.has("") ? `d:git:${rootTree}` : diskFiles.signature(abs);
      const entry = entries.get(rel);
      if (!entry || entry.type === "commit") return undefined;
      if (entry.type === "tree") {
        const disk = changedDirs.has(rel) ? undefined : diskFiles.signature(abs);
        return disk?.startsWith("d:") ? disk : `d:git:${entry.sha}`;
      }
      const disk = changedFiles.has(rel) ? undefined : diskFiles.signature(abs);
      return disk?.startsWith("f:") ? disk : `f:git:${entry.sha}`;
    },
    read(linked) {
      const abs = throughLinks(linked);
      const rel = relOf(abs);
      if (rel === undefined) return diskFiles.read(abs);
      const entry = entries.get(rel);
      if (!entry) throw enoent(abs, "open");
      if (entry.type !== "blob") throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${abs}'`), { code: "EISDIR" });
      if (changedFiles.has(rel)) return blobText(entry);
      try {
        return diskFiles.read(abs);
      } catch {
        return blobText(entry);
      }
    },
    realpath(linked) {
      const abs = throughLinks(linked);
      const rel = relOf(abs);
      if (rel === undefined) return diskFiles.realpath(abs);
      if (rel === "") return realTop;
      if (!entries.has(rel)) throw enoent(abs, "realpath");
      if (!changedFiles.has(rel) && !changedDirs.has(rel)) {
        try {
          return diskFiles.realpath(abs);
        } catch {
          // Not on disk (a sparse checkout): resolved through its folder below.
        }
      }
      return path.join(files.realpath(path.dirname(abs)), path.basename(abs));
    },
    list(linked) {
      const abs = throughLinks(linked);
      const rel = relOf(abs);
      if (rel === undefined) return diskFiles.list(abs);
      if (rel !== "" && entries.get(rel)?.type !== "tree") return undefined;
      return [...(children.get(rel) ?? [])].sort();
    },
    onDisk: false,
  };
  return { files, changed };
}
