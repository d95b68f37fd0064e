import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * parseArgs with errors turned into usage errors that name the command. Every command takes
 * `--output FORMAT` with `--format` as its alias: a command that declares `output` itself reads
 * text, json or sarif from `values.output`; one that declares `--json` gets `values.json` set by
 * `--output json` (and `values.output` set by `--json`); other formats are usage errors. A command
 * with formats of its own (diff: markdown, html) names them in `formats`.
 */
export function parse<O extends Options>(command: string, argv: string[], options: O, formats?: readonly string[]) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { output: { type: "string" }, format: { type: "string" }, ...options, help: { type: "boolean", short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(`gitops ${command}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/, "")}\nRun \`gitops ${command} --help\` for usage.`);
  }
  const values = parsed.values as Record<string, unknown>;
  const { output, format } = values as { output?: string; format?: string };
  if (output !== undefined && format !== undefined && output !== format) {
    throw new UsageError(`gitops ${command}: --format is another name for --output; give one of them, not "${output}" and "${format}"`);
  }
  const chosen = output ?? format ?? (values.json === true ? "json" : undefined);
  const allowed = formats ? [...formats] : "output" in options ? ["text", "json", "sarif"] : "json" in options ? ["text", "json"] : ["text"];
  const value = oneOf(command, "output", chosen, allowed, "text");
  if (values.json === true && value !== "json") throw new UsageError(`gitops ${command}: --json and --output ${value} contradict each other`);
  values.output = value;
  values.format = undefined;
  if ("json" in options) values.json = value === "json";
  return parsed;
}

export function oneOf<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`gitops ${command}: --${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}
