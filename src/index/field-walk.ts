/**
 * The contract of one log format's field walker (format-fields.ts lists them) and the helpers
 * walkers share: a walk visits a record's fields as (key, value) strings. Pure.
 */

/** Returns true to stop the walk. */
export type FieldVisitor = (key: string, value: string) => boolean | void;

/** Result of a walk: whether `visit` stopped it, and whether fields were left out by limits. */
export interface FieldWalk {
  stopped: boolean;
  truncated: boolean;
}

export const NO_FIELDS: FieldWalk = { stopped: false, truncated: false };

export interface FormatFields {
  /** Index type and explain name ("json", "clf", "syslog", "logfmt"). */
  readonly name: string;
  /** In words ("JSON field"). */
  readonly title: string;
  /**
   * Visits the record's fields (keys ASCII-lowercased, values as the format spells them after
   * unquoting) in order; a record not in this format has none.
   */
  walk(data: Uint8Array, start: number, end: number, visit: FieldVisitor): FieldWalk;
  /**
   * Literals such that every record holding the field `key` with the value `value` (either may
   * be "": any) in this format contains one of them, so scans decode only those; undefined =
   * check every record.
   */
  needles(key: string, value: string): string[] | undefined;
}

/**
 * True when `text` is written as is in every format that may hold it (not empty, printable
 * ASCII, nothing formats quote or escape, not a number: JSON may spell `1000` as `1e3`).
 */
export function verbatim(text: string): boolean {
  return text !== "" && /^[\x21-\x7e]+$/.test(text) && !/["\\/]/.test(text) && !/^[-+.\d]/.test(text);
}

/** A key's last path segment (`user.id` -> `id`, `tags[]` -> `tags`): what JSON spells. */
export function lastSegment(key: string): string {
  const last = key.slice(key.lastIndexOf(".") + 1).replace(/\[\]$/, "");
  return last === "" ? key : last;
}
