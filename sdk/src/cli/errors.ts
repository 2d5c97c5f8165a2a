/** Bad usage of the CLI (unknown option, missing argument): exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
/** The stack is invalid, or the operation failed (not Ready, assertions failed). */
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
