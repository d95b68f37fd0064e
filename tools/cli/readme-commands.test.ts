/**
 * The README's command table and each command's --help name the same flags: a flag a person reads about
 * in one is found in the other.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gitops, REPO_ROOT } from "../testing/temp-workspace.ts";

/** The flags of each README command-table row, by command (`charts pull`, `diff`, ...). */
function readmeRows(): Map<string, Set<string>> {
  const rows = new Map<string, Set<string>>();
  for (const line of readFileSync(path.join(REPO_ROOT, "README.md"), "utf8").split("\n")) {
    const cell = /^\| `gitops ([^`]*)` \|/.exec(line)?.[1];
    if (!cell || cell.startsWith("--")) continue;
    const [name, sub] = cell.split(" ");
    const command = name === "charts" ? `charts ${sub}` : name!;
    const flags = rows.get(command) ?? new Set<string>();
    for (const flag of cell.match(/--[a-z][a-z-]*/g) ?? []) flags.add(flag);
    rows.set(command, flags);
  }
  return rows;
}

/** The flags listed under Options: in a command's --help (each option line starts with its flag). */
function helpOptions(command: string): Set<string> {
  const help = gitops(REPO_ROOT, [...command.split(" "), "--help"]);
  expect(help.status, command).toBe(0);
  return new Set([...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

/** Documented once for every command, above the table. */
const COMMON = new Set(["--help", "--output", "--format", "--json"]);

describe("the README's command table", () => {
  const rows = readmeRows();

  it("names only flags the command's --help lists", () => {
    const missing: string[] = [];
    for (const [command, flags] of rows) {
      const help = helpOptions(command);
      for (const flag of flags) if (!help.has(flag) && !COMMON.has(flag)) missing.push(`${command} ${flag}`);
    }
    expect(missing).toEqual([]);
  });

  it.each(["all", "validate", "lint", "diff", "schemas", "charts pull", "charts types"])("names every flag of gitops %s --help", (command) => {
    const documented = rows.get(command);
    expect(documented, command).toBeDefined();
    expect([...helpOptions(command)].filter((flag) => !documented!.has(flag) && !COMMON.has(flag))).toEqual([]);
  });
});
