/**
 * The one error type of GastroLog. Every failure a user can see carries a code (mapped to
 * transport codes in exactly one place, in api/) and a message that says what was attempted
 * and quotes the offending value. Parse errors add a byte position.
 */

export type ErrorCode =
  | "invalid_argument"
  | "not_found"
  | "already_exists"
  | "corrupt"
  | "limit"
  | "unavailable"
  | "permission_denied"
  | "unauthenticated"
  | "locked"
  | "cancelled"
  | "deadline_exceeded"
  | "internal";

export class LogError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LogError";
  }
}

/** A parse failure at a byte position of the input (query text, config, a frame). */
export class ParseError extends LogError {
  constructor(
    readonly position: number,
    readonly detail: string,
  ) {
    super("invalid_argument", `parse error at position ${position}: ${detail}`);
    this.name = "ParseError";
  }
}

/** A damaged file or section: names the path and byte offset so an operator can find it. */
export class CorruptError extends LogError {
  constructor(
    readonly path: string,
    readonly offset: number,
    detail: string,
  ) {
    super("corrupt", `${path}: corrupt at offset ${offset}: ${detail}`);
    this.name = "CorruptError";
  }
}

/**
 * Standard output was closed by its reader (`gastrolog query ... | head -1`): the command stops
 * producing output and ends quietly with status 0, as ripgrep does. Not a failure.
 */
export class OutputClosedError extends LogError {
  constructor() {
    super("cancelled", "output closed by its reader");
    this.name = "OutputClosedError";
  }
}

/** Renders any thrown value as one line for logs and CLI output. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
