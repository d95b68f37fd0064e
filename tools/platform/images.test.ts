import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { gitCommit, gitops, run, workspaceRepo } from "../testing/temp-workspace.ts";
import { readPromotedImage } from "./images.ts";
import { mkdtempSync } from "node:fs";
import os from "node:os";

/** What Kargo's yaml-update step does: set one key, keep the rest of the file (comments included). */
function kargoYamlUpdate(file: string, key: string, value: string): void {
  const doc = parseDocument(readFileSync(file, "utf8"));
  doc.setIn(key.split("."), value);
  writeFileSync(file, doc.toString());
}

describe("Kargo promotions survive generate", () => {
  it("GIVEN Kargo commits a new prod tag for backend WHEN generate runs THEN the prod overlay rolls it out and the promotion stays", () => {
    const repo = workspaceRepo();
    const images = path.join(repo, "apps/images/images.yaml");
    kargoYamlUpdate(images, "backend.tags.prod", "1.5.0");
    gitCommit(repo, "promote prod: backend");
    const promoted = readFileSync(images, "utf8");
    expect(promoted).toContain("# The apps' images and the tag each Kargo stage runs.");

    const first = gitops(repo, ["generate", "--no-typecheck"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    // The prod overlay of backend patches the image; homelab (Kargo's staging stage, prod values)
    // keeps the staging tag through its own overlay; dev is untouched.
    const changed = run(repo, "git", ["status", "--porcelain", "--untracked-files=all"]).split("\n").filter(Boolean).map((l) => l.slice(3)).sort();
    expect(changed).toEqual([
      "apps/backend/overlays/prod/rollout-backend.patch.yaml",
      "clusters/homelab/components/backend/kustomization.yaml",
      "clusters/homelab/components/backend/rollout-backend.patch.yaml",
    ]);
    expect(readFileSync(path.join(repo, "apps/backend/overlays/prod/rollout-backend.patch.yaml"), "utf8")).toContain(
      "- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: ghcr.io/acme/backend:1.5.0\n",
    );
    expect(readFileSync(images, "utf8")).toBe(promoted);
    gitCommit(repo, "generate");
    const second = gitops(repo, ["generate", "--no-typecheck"]);
    expect(second.stdout).toMatch(/\(0 written, 0 deleted, \d+ unchanged\)/);
  });
});

describe("readPromotedImage", () => {
  const write = (content: string) => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "gitops-images-")), "images.yaml");
    writeFileSync(file, content);
    return new URL(`file://${file}`);
  };
  it("reads an app's repository and tags", () => {
    const image = readPromotedImage(write('web:\n  repository: ghcr.io/acme/web\n  tags: {dev: "1.0.1", staging: "1.0.0", prod: "1.0.0"}\n'), "web");
    expect(image.tags).toEqual({ dev: "1.0.1", staging: "1.0.0", prod: "1.0.0" });
    expect(image.keyOf("prod")).toBe("web.tags.prod");
  });
  it("refuses latest, unquoted numbers and missing apps", () => {
    expect(() => readPromotedImage(write("web:\n  repository: r\n  tags: {dev: latest, staging: a, prod: a}\n"), "web")).toThrow(
      'web.tags.dev must be a pinned image tag (not "latest"), got "latest"',
    );
    expect(() => readPromotedImage(write("web:\n  repository: r\n  tags: {dev: 1.10, staging: a, prod: a}\n"), "web")).toThrow(
      'web.tags.dev must be a quoted string ("1.1"): YAML reads it as the number 1.1',
    );
    expect(() => readPromotedImage(write("other: {}\n"), "web")).toThrow('no entry for app "web"');
  });
});
