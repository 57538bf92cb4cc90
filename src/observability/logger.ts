/**
 * Structured, component-scoped logging to one sink (stderr in the server). Components receive
 * a Logger by injection (`root.child("store")`); nothing here is global. Lines are JSON
 * objects or human text; levels below the configured one are dropped before formatting.
 */

import { formatRfc3339Micros, systemClock, type Clock } from "../core/time.ts";

/** Levels from the most verbose; `server.logLevel` and `--log-level` take one of them. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "json" | "text";
/** Extra key/value pairs of one line. */
export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  readonly component: string;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger for a sub-component, named `parent.name` (or `name` at the root). */
  child(name: string): Logger;
}

export interface LoggerOptions {
  /** The minimum level, or a function read per line (a level changed by config at runtime). */
  level: LogLevel | (() => LogLevel);
  format: LogFormat;
  /** Receives one complete line (with newline). */
  write: (line: string) => void;
  clock?: Clock;
}

/** True when `s` names a level. */
export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

function textValue(v: string | number | boolean): string {
  const s = String(v);
  return s === "" || /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}

/** Formats one line; exported for tests. */
export function formatLine(format: LogFormat, ts: number, level: LogLevel, component: string, msg: string, fields?: LogFields): string {
  if (format === "json") {
    const obj: Record<string, unknown> = { ts: formatRfc3339Micros(ts), level, component, msg };
    if (fields) for (const k in fields) if (fields[k] !== undefined && !(k in obj)) obj[k] = fields[k];
    return JSON.stringify(obj) + "\n";
  }
  let line = `${formatRfc3339Micros(ts)} ${level.toUpperCase().padEnd(5)} [${component}] ${msg}`;
  if (fields) for (const k in fields) if (fields[k] !== undefined) line += ` ${k}=${textValue(fields[k]!)}`;
  return line + "\n";
}

/** The root logger (component "gastrolog"); use child() for each component. */
export function createLogger(opts: LoggerOptions): Logger {
  const fixed = typeof opts.level === "function" ? undefined : RANK[opts.level];
  const dynamic = typeof opts.level === "function" ? opts.level : undefined;
  const clock = opts.clock ?? systemClock;
  const make = (component: string): Logger => {
    const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
      if (RANK[level] >= (fixed ?? RANK[dynamic!()])) opts.write(formatLine(opts.format, clock(), level, component, msg, fields));
    };
    return {
      component,
      debug: (m, f) => emit("debug", m, f),
      info: (m, f) => emit("info", m, f),
      warn: (m, f) => emit("warn", m, f),
      error: (m, f) => emit("error", m, f),
      child: (name) => make(component === "gastrolog" ? name : `${component}.${name}`),
    };
  };
  return make("gastrolog");
}

/** A logger that drops everything (tests, embedded use without logs). */
export const silentLogger: Logger = createLogger({ level: "error", format: "text", write: () => {} });
