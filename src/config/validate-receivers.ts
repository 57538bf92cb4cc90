/**
 * Receiver entries of a config: the common fields (id, type, enabled, listen URLs, tls) are
 * checked here; `options` stays an open record whose check belongs to the receiver type, given
 * as a ReceiverValidator hook. Duplicate ids and two enabled receivers on one address are errors.
 */

import type { Problems, ConfigProblem } from "./problems.ts";
import { CLIENT_AUTH, type ReceiverEntry, type TlsConfig } from "./schema.ts";

/**
 * Checks one receiver's type-specific settings (normally `options`); returns problems with paths
 * relative to the receiver, e.g. `{ path: "options.port", message: "..." }`.
 */
export type ReceiverValidator = (receiver: Readonly<ReceiverEntry>) => ConfigProblem[];

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const TYPE_RE = /^[a-z][a-z0-9_-]{0,63}$/;
/** URL schemes a receiver may listen on (file: for local sources such as tail). */
export const LISTEN_SCHEMES = ["udp:", "tcp:", "tls:", "http:", "https:", "grpc:", "grpcs:", "unix:", "file:", "kafka:"] as const;
/** Sources named by a word instead of a URL (the local journal through journalctl). */
export const SOURCE_WORDS = ["journalctl"] as const;

/** Validates `$.receivers`, recording problems in `p`. */
export function validateReceivers(p: Problems, v: unknown, types: Readonly<Record<string, ReceiverValidator>> | undefined): ReceiverEntry[] {
  const out = p.array(v, "$.receivers").map((r, i) => receiver(p, r, `$.receivers[${i}]`, types));
  const ids = new Map<string, number>();
  const addresses = new Map<string, string>();
  out.forEach((r, i) => {
    const first = ids.get(r.id);
    if (first !== undefined) p.add(`$.receivers[${i}].id`, `duplicate receiver id "${r.id}" (also $.receivers[${first}])`);
    else ids.set(r.id, i);
    if (!r.enabled) return;
    r.listen.forEach((url, j) => {
      const other = addresses.get(url);
      if (other !== undefined) p.add(`$.receivers[${i}].listen[${j}]`, `"${url}" is also used by receiver "${other}"`);
      else addresses.set(url, r.id);
    });
  });
  return out;
}

function receiver(p: Problems, v: unknown, path: string, types: Readonly<Record<string, ReceiverValidator>> | undefined): ReceiverEntry {
  const o = p.object(v, path, ["id", "type", "enabled", "listen", "tls", "options"]);
  const id = p.string(o, "id", path, "");
  if (!ID_RE.test(id)) p.add(`${path}.id`, `receiver id must be 1-64 letters, digits, '_', '.', '-', got "${id}"`);
  const type = p.string(o, "type", path, "");
  if (!TYPE_RE.test(type)) p.add(`${path}.type`, `receiver type must be a lowercase name like "syslog", got "${type}"`);
  else if (types && !Object.hasOwn(types, type)) p.add(`${path}.type`, `unknown receiver type "${type}" (known: ${Object.keys(types).sort().join(", ")})`);
  const bad = new Set<number>();
  const listen = p.array(o.listen, `${path}.listen`).map((u, j) => listenUrl(p, u, `${path}.listen[${j}]`, () => bad.add(j)));
  const options = p.object(o.options, `${path}.options`, Object.keys(isRecord(o.options) ? o.options : {}));
  const r: ReceiverEntry = { id, type, enabled: p.boolean(o, "enabled", path, true), listen, options: sortKeys(options) as Record<string, unknown> };
  if (o.tls !== undefined && o.tls !== null) r.tls = validateTls(p, o.tls, `${path}.tls`);
  // The type sees only the URLs that passed the checks above, so one bad URL is one problem.
  const check = types?.[type];
  const good = listen.filter((_, j) => !bad.has(j));
  if (check) for (const q of check({ ...r, listen: good })) if (!(good.length === 0 && bad.size > 0 && q.path === "listen")) p.add(`${path}.${q.path}`, q.message);
  // Key order of the normalized form: tls (optional) before options.
  return r.tls ? { id, type, enabled: r.enabled, listen, tls: r.tls, options: r.options } : r;
}

/** Checks one listen URL; `rejected` is called when it has a problem. */
function listenUrl(p: Problems, v: unknown, path: string, rejected: () => void): string {
  const fail = (message: string) => {
    p.add(path, message);
    rejected();
  };
  if (typeof v !== "string") {
    fail(`expected a URL string, got ${JSON.stringify(v)}`);
    return "";
  }
  if ((SOURCE_WORDS as readonly string[]).includes(v)) return v;
  // Brokers and topics are comma lists, which WHATWG URLs refuse in a host: checked by shape here, in full by the kafka type.
  if (v.startsWith("kafka:")) {
    if (!/^kafka:\/\/[^/?#]+(\/[^?#]*)?(\?[^#]*)?$/.test(v)) fail(`kafka URL needs brokers like kafka://HOST:PORT[,HOST:PORT]/TOPIC: "${v}"`);
    return v;
  }
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    fail(`not a URL: "${v}" (e.g. "udp://0.0.0.0:514")`);
    return v;
  }
  if (!(LISTEN_SCHEMES as readonly string[]).includes(u.protocol)) {
    fail(`scheme must be one of ${LISTEN_SCHEMES.map((s) => s.slice(0, -1)).join(", ")}, got "${u.protocol.slice(0, -1)}"`);
  } else if (u.protocol === "unix:" || u.protocol === "file:" ? u.pathname === "" || u.pathname === "/" : u.hostname === "" || u.port === "") {
    fail(u.protocol === "unix:" ? `unix URL needs a socket path: "${v}"` : u.protocol === "file:" ? `file URL needs a path: "${v}"` : `URL needs a host and a port: "${v}"`);
  }
  return v;
}

/** A TLS block (receivers and the server's HTTP listener); clientAuth needs a ca. */
export function validateTls(p: Problems, v: unknown, path: string): TlsConfig {
  const o = p.object(v, path, ["cert", "key", "ca", "clientAuth"]);
  const cert = p.string(o, "cert", path, "");
  const key = p.string(o, "key", path, "");
  if (cert === "" || key === "") p.add(path, "tls needs both cert and key (PEM file paths)");
  const ca = p.string(o, "ca", path, "");
  const clientAuth = p.oneOf(o, "clientAuth", path, CLIENT_AUTH, "none");
  if (clientAuth !== "none" && ca === "") p.add(`${path}.ca`, `clientAuth "${clientAuth}" needs a ca bundle (the CA that signs client certificates)`);
  return { cert, key, ca, clientAuth };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy of a JSON value with object keys sorted at every level (canonical form). */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) Object.defineProperty(out, k, { value: sortKeys(v[k]), enumerable: true, writable: true, configurable: true });
  return out;
}
