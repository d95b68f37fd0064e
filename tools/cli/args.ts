import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "./io.ts";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** parseArgs with errors turned into usage errors that name the command. */
export function parse<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`gitops ${command}: ${(error as Error).message.replace(/\. To specify a positional argument.*$/, "")}\nRun \`gitops ${command} --help\` for usage.`);
  }
}

export function oneOf<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`gitops ${command}: --${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}
