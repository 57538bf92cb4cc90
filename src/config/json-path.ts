/**
 * Path edits for `config set KEY=VALUE`: `server.logLevel`, `stores[prod].retention.maxAge`,
 * `receivers[syslog].options.port`. A bracket selects the array element whose `name` (or `id`)
 * matches; setting a missing element to an object appends it with that name; null deletes.
 * Edits apply to a deep copy; the result is validated like any other change.
 */

import { LogError } from "../core/errors.ts";

/** One step of a path: an object key, optionally selecting an array element by name/id. */
export interface PathStep {
  key: string;
  select?: string;
}

const STEP_RE = /([A-Za-z_][A-Za-z0-9_-]*)(?:\[([^\]]+)\])?/y;

/** Parses `a.b[name].c`; throws LogError("invalid_argument") quoting the path. */
export function parsePath(text: string): PathStep[] {
  const steps: PathStep[] = [];
  let pos = 0;
  for (;;) {
    STEP_RE.lastIndex = pos;
    const m = STEP_RE.exec(text);
    if (!m) throw new LogError("invalid_argument", `bad config path "${text}" at position ${pos}: expected a name like stores[prod].route`);
    steps.push(m[2] === undefined ? { key: m[1]! } : { key: m[1]!, select: m[2] });
    pos = STEP_RE.lastIndex;
    if (pos === text.length) return steps;
    if (text[pos] !== ".") throw new LogError("invalid_argument", `bad config path "${text}" at position ${pos}: expected '.'`);
    pos++;
  }
}

/**
 * A copy of `doc` with the value at `path` set to `value` (JSON), or removed when `value` is
 * null. Missing objects along the way are created.
 */
export function setPath(doc: unknown, path: string, value: unknown): unknown {
  const root = structuredClone(doc) as Record<string, unknown>;
  const steps = parsePath(path);
  let cur: Record<string, unknown> = root;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if (step.select === undefined) {
      if (last) {
        if (value === null) delete cur[step.key];
        else cur[step.key] = value;
        return;
      }
      const next = cur[step.key];
      cur = isRecord(next) ? next : (cur[step.key] = {});
      return;
    }
    const arr = Array.isArray(cur[step.key]) ? (cur[step.key] as unknown[]) : (cur[step.key] = []);
    const idx = arr.findIndex((e) => isRecord(e) && (e.name === step.select || e.id === step.select));
    if (last) {
      if (value === null) {
        if (idx < 0) throw new LogError("not_found", `no entry "${step.select}" in ${step.key}`);
        arr.splice(idx, 1);
      } else {
        const named = isRecord(value) ? { [step.key === "receivers" ? "id" : "name"]: step.select, ...value } : value;
        if (idx < 0) arr.push(named);
        else arr[idx] = named;
      }
      return;
    }
    if (idx < 0) throw new LogError("not_found", `no entry "${step.select}" in ${step.key} (known: ${arr.map((e) => (isRecord(e) ? (e.name ?? e.id) : "?")).join(", ") || "none"})`);
    cur = arr[idx] as Record<string, unknown>;
  });
  return root;
}

/** The value at `path`, or undefined. */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const step of parsePath(path)) {
    if (!isRecord(cur)) return undefined;
    cur = cur[step.key];
    if (step.select !== undefined) cur = Array.isArray(cur) ? cur.find((e) => isRecord(e) && (e.name === step.select || e.id === step.select)) : undefined;
  }
  return cur;
}

/** A CLI value: JSON when it parses (numbers, true, null, objects), else the text itself. */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
