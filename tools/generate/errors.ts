/** An error a user caused in a component or cluster file: printed as is, without a stack. */
export class GenerateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GenerateError";
  }
}

/** Several errors found in one pass, reported together. */
export class GenerateErrors extends GenerateError {
  constructor(readonly errors: readonly GenerateError[]) {
    super(errors.map((e) => e.message).join("\n"));
  }
}

/** A --component or --cluster name that does not exist, or no workspace at all: a usage error (exit 2). */
export class WorkspaceUsageError extends GenerateErrors {}
