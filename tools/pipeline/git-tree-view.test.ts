import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diskFiles } from "../render/file-source.ts";
import { buildKustomization } from "../render/kustomize.ts";
import { gitCommit, run } from "../testing/temp-workspace.ts";
import { gitTreeView } from "./git-tree-view.ts";

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const configMap = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: "${value}"\n`;

/** Every file and folder under dir (repository-relative), .git left out. */
function walk(dir: string, rel = ""): { files: string[]; dirs: string[] } {
  const out = { files: [] as string[], dirs: [] as string[] };
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (rel === "" && name === ".git") continue;
    const child = rel ? `${rel}/${name}` : name;
    if (statSync(path.join(dir, child)).isDirectory()) {
      out.dirs.push(child);
      const inner = walk(dir, child);
      out.files.push(...inner.files);
      out.dirs.push(...inner.dirs);
    } else out.files.push(child);
  }
  return out;
}

/** A repository whose working tree differs from its first commit in every way a tree can. */
function repository(): { top: string; base: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-view-"));
  run(dir, "git", ["init", "-q", "-b", "main"]);
  write(dir, {
    "app/kustomization.yaml": "resources:\n  - changed.yaml\n  - same.yaml\n  - ../shared\n",
    "app/changed.yaml": configMap("changed", "base"),
    "app/same.yaml": configMap("same", "both"),
    "shared/kustomization.yaml": "resources:\n  - shared.yaml\n",
    "shared/shared.yaml": configMap("shared", "both"),
    "gone/kustomization.yaml": "resources:\n  - gone.yaml\n",
    "gone/gone.yaml": configMap("gone", "base"),
    "was-file": "a file in the commit\n",
  });
  gitCommit(dir, "base");
  const base = run(dir, "git", ["rev-parse", "HEAD"]).trim();
  write(dir, { "app/changed.yaml": configMap("changed", "head"), "added/kustomization.yaml": "resources: []\n", "app/untracked.yaml": configMap("untracked", "x") });
  rmSync(path.join(dir, "gone"), { recursive: true });
  unlinkSync(path.join(dir, "was-file"));
  write(dir, { "was-file/now-a-folder.yaml": "x: 1\n" });
  run(dir, "git", ["add", "added", "was-file"]);
  return { top: run(dir, "git", ["rev-parse", "--show-toplevel"]).trim(), base };
}

describe("gitTreeView: a commit's files over the working tree", () => {
  it("shows exactly what a checkout of the commit holds, reading unchanged files from disk", () => {
    const { top, base } = repository();
    const view = gitTreeView(top, base)!;
    expect([...view.changed].sort()).toEqual(["added/kustomization.yaml", "app/changed.yaml", "gone/gone.yaml", "gone/kustomization.yaml", "was-file", "was-file/now-a-folder.yaml"]);
    const checkout = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-view-co-")), "tree");
    run(top, "git", ["worktree", "add", "--detach", "-q", checkout, base]);
    try {
      const expected = walk(checkout);
      const seen = walk(top);
      for (const rel of expected.files) {
        expect(view.files.signature(path.join(top, rel))?.[0], rel).toBe("f");
        expect(view.files.read(path.join(top, rel)), rel).toBe(readFileSync(path.join(checkout, rel), "utf8"));
      }
      for (const rel of ["", ...expected.dirs]) {
        expect(view.files.signature(path.join(top, rel))?.[0], rel).toBe("d");
        expect(view.files.list(path.join(top, rel)), rel).toEqual(readdirSync(path.join(checkout, rel)).filter((n) => n !== ".git").sort());
      }
      for (const rel of [...seen.files, ...seen.dirs].filter((r) => !expected.files.includes(r) && !expected.dirs.includes(r))) {
        expect(view.files.signature(path.join(top, rel)), rel).toBeUndefined();
      }
      // A file that did not change has the disk's signature: what the working tree's render built from it is reused.
      expect(view.files.signature(path.join(top, "app/same.yaml"))).toBe(diskFiles.signature(path.join(top, "app/same.yaml")));
      expect(view.files.signature(path.join(top, "shared"))).toBe(diskFiles.signature(path.join(top, "shared")));
      expect(view.files.signature(path.join(top, "app/changed.yaml"))).not.toBe(diskFiles.signature(path.join(top, "app/changed.yaml")));
      expect(view.files.signature(path.join(top, "app"))).toMatch(/^d:git:/);
      expect(view.files.realpath(path.join(top, "gone/gone.yaml"))).toBe(path.join(diskFiles.realpath(top), "gone/gone.yaml"));
    } finally {
      run(top, "git", ["worktree", "remove", "--force", checkout]);
    }
  });

  it("builds a kustomization as the commit has it, with one cache shared with the working tree's build", () => {
    const { top, base } = repository();
    const view = gitTreeView(top, base)!;
    const cache = new Map<string, unknown>();
    const head = buildKustomization(path.join(top, "app"), { cache });
    const atBase = buildKustomization(path.join(top, "app"), { cache, files: view.files });
    const gone = buildKustomization(path.join(top, "gone"), { cache, files: view.files });
    const values = (objects: { metadata: { name: string }; data?: unknown }[]) => objects.map((o) => `${o.metadata.name}=${(o.data as { value: string }).value}`);
    expect(values(head.objects as never)).toEqual(["changed=head", "same=both", "shared=both"]);
    expect(values(atBase.objects as never)).toEqual(["changed=base", "same=both", "shared=both"]);
    expect(values(gone.objects as never)).toEqual(["gone=base"]);
    expect(values(buildKustomization(path.join(top, "app"), { cache }).objects as never)).toEqual(["changed=head", "same=both", "shared=both"]);
  });

  it("reads through a symbolic link the commit has, as a checkout does", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-view-"));
    run(dir, "git", ["init", "-q", "-b", "main"]);
    write(dir, { "real/kustomization.yaml": "resources:\n  - x.yaml\n", "real/x.yaml": configMap("x", "base") });
    symlinkSync("real", path.join(dir, "linked"));
    gitCommit(dir, "base");
    const base = run(dir, "git", ["rev-parse", "HEAD"]).trim();
    write(dir, { "real/x.yaml": configMap("x", "head") });
    const view = gitTreeView(dir, base)!;
    expect(view.files.read(path.join(dir, "linked/x.yaml"))).toBe(configMap("x", "base"));
    expect(view.files.signature(path.join(dir, "linked"))).toMatch(/^d:git:/);
    expect(view.files.list(path.join(dir, "linked"))).toEqual(["kustomization.yaml", "x.yaml"]);
    const built = buildKustomization(path.join(dir, "linked"), { cache: new Map(), files: view.files });
    expect((built.objects[0].data as { value: string }).value).toBe("base");
  });

  it("declines a symbolic link that differs from the working tree (a checkout is needed)", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gitops-view-"));
    run(dir, "git", ["init", "-q", "-b", "main"]);
    write(dir, { "target.yaml": "x: 1\n" });
    symlinkSync("target.yaml", path.join(dir, "link.yaml"));
    gitCommit(dir, "base");
    const base = run(dir, "git", ["rev-parse", "HEAD"]).trim();
    expect(gitTreeView(dir, base)).toBeDefined();
    unlinkSync(path.join(dir, "link.yaml"));
    write(dir, { "link.yaml": "x: 2\n" });
    expect(gitTreeView(dir, base)).toBeUndefined();
  });
});
