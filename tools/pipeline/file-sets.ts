/** Files and folders given on the command line, as the sets of objects their engines apply together. */
import { existsSync, readFileSync } from "node:fs";
import { discover, looksLikeObject, type AppliedUnit, type Skipped } from "../discover/discover.ts";
import { decodeUtf8, InputError } from "../discover/walk.ts";
import type { Finding } from "../findings/finding.ts";
import { findDuplicates } from "../validate/duplicates.ts";
import { locatePath, parseDocumentsTolerant } from "../workspace/documents.ts";
import type { CheckItem } from "./checks.ts";
import type { CheckSet } from "./check-run.ts";

export interface FileSetsOptions {
  /** Reads standard input, for `-`. */
  readonly stdin?: () => string;
}

export interface FoundSets {
  readonly sets: CheckSet[];
  readonly skipped: Skipped[];
  readonly units: readonly AppliedUnit[];
}

function stdinSet(read: () => string): CheckSet {
  const text = read();
  if (text.trim() === "") throw new InputError("standard input is empty: nothing to check");
  const decoded = decodeUtf8(Buffer.from(text, "utf8"));
  const findings: Finding[] = [];
  if ("badByte" in decoded) findings.push({ rule: "yaml/encoding", severity: "error", file: "<stdin>", line: decoded.line, column: 1, message: "standard input is not valid UTF-8" });
  const { docs, errors } = parseDocumentsTolerant(text, "<stdin>");
  for (const e of errors) findings.push({ rule: "yaml/parse", severity: "error", message: e.reason, file: e.file, line: e.line, column: e.column });
  const items: CheckItem[] = docs.filter((d) => looksLikeObject(d.value)).map((doc) => ({ doc }));
  return { name: "<stdin>", items, files: 1, findings };
}

/**
 * Discovers the applied units under each path (a kustomize root, a chart folder, an Argo CD Application,
 * a Flux Kustomization, plain manifests) and returns one check set per unit: duplicates and references are
 * checked within a unit. Throws InputError for input that cannot be read (exit 2).
 */
export function fileSets(paths: readonly string[], options: FileSetsOptions = {}): FoundSets {
  const sets: CheckSet[] = [];
  const skipped: Skipped[] = [];
  const units: AppliedUnit[] = [];
  for (const p of paths) {
    if (p === "-") {
      sets.push(stdinSet(options.stdin ?? (() => readFileSync(0, "utf8"))));
      continue;
    }
    if (!existsSync(p)) throw new InputError(`no such file or folder: ${p}`);
    const found = discover(p);
    // Loops, not push(...list): a list of 120k+ entries overflows the stack as arguments.
    for (const s of found.skipped) skipped.push(s);
    for (const u of found.units) units.push(u);
    found.units.forEach((unit, i) => {
      sets.push({
        name: unit.name,
        items: unit.items,
        files: i === 0 ? found.files : 0,
        findings: unit.findings,
        unitReferences: unit.kind !== "files" && unit.kind !== "rendered",
      });
    });
    if (found.units.length === 0) sets.push({ name: p, items: [], files: found.files, findings: [] });
    const first = sets.find((set) => set.name === found.units[0]?.name);
    if (first) for (const f of clusterDuplicates(found.units)) first.findings.push(f);
  }
  return { sets, skipped, units };
}

/**
 * Two applied units of one cluster (an app-of-apps root and its Applications, a Flux root and its
 * Kustomizations) that apply the same object fight over it. Duplicates within a unit are the unit's own check.
 */
function clusterDuplicates(units: readonly AppliedUnit[]): Finding[] {
  const byCluster = new Map<string, AppliedUnit[]>();
  for (const u of units) byCluster.set(u.cluster, [...(byCluster.get(u.cluster) ?? []), u]);
  const findings: Finding[] = [];
  for (const group of byCluster.values()) {
    if (group.length < 2) continue;
    const entries = group.flatMap((unit) => unit.items.map((item) => ({ unit, item })));
    const place = (i: number) => `${entries[i].item.doc.file}:${entries[i].item.doc.line} (${entries[i].unit.name})`;
    for (const d of findDuplicates(entries.map((e, id) => ({ object: e.item.doc.value, id })), place)) {
      if (entries[d.id].unit === entries[d.duplicateOf].unit) continue;
      const { item } = entries[d.id];
      const { line, column } = locatePath(item.doc, ["metadata", "name"]);
      const v = item.doc.value as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
      findings.push({
        ...d.finding,
        hint: "two applied units of one cluster apply this object: each overwrites the other, and pruning one deletes it",
        file: item.doc.file,
        line,
        column,
        object: { apiVersion: v.apiVersion, kind: v.kind, name: v.metadata?.name, namespace: v.metadata?.namespace },
      });
    }
  }
  return findings;
}
