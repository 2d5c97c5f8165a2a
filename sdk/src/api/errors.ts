/** Exit codes of the two programs (the CLI and the operator). */
export const EXIT_OK = 0;
/** The stack is invalid, or the operation failed (not Ready, assertions failed). */
export const EXIT_FAILURE = 1;
/** Bad usage: an unknown command or option, a missing or malformed argument. */
export const EXIT_USAGE = 2;

/**
 * The base of every error Clockwork reports to a person. The entry point of each program catches
 * it once, prints its message (no stack trace: the message says what to fix) and exits with its
 * code; anything else is a bug and is printed with its stack.
 */
export class ClockworkError extends Error {
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.exitCode = options.exitCode ?? EXIT_FAILURE;
  }
}

/** Bad usage of a program (a malformed option value): exit code 2. */
export class UsageError extends ClockworkError {
  constructor(message: string) {
    super(message, { exitCode: EXIT_USAGE });
  }
}

/**
 * Retrying the same thing cannot help (the API server rejected an object for good): a work queue
 * reports it and does not retry the key until something about it changes.
 */
export class TerminalError extends ClockworkError {}
