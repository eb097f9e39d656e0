// Exit codes are part of the contract (README "Exit codes"); they live in the model so every stage
// can raise a FatalError without importing the CLI. 0 means the run completed,
// whatever it found.
export const ExitCode = {
  OK: 0,
  /** Bad flags or arguments. */
  USAGE: 2,
  /** No input could be read at all (nothing usable). */
  NO_INPUT: 3,
  /** The case file cannot be used: newer schema, read-only, disk full, not a case file. */
  CASE_FILE: 4,
  /** The events to analyze do not fit in memory (the case file is kept). */
  TOO_LARGE: 5,
  /** A bug: an unexpected exception. */
  INTERNAL: 70,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with a one-line message and a chosen exit code (no stack trace). */
export class FatalError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = 'FatalError';
  }
}
