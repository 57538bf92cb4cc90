/**
 * Routing: which stores receive a message, decided from its attributes only. Each
 * store's route is compiled once (config/route.ts: "" none, `*` all, `+` catch-rest, or an
 * expression in DNF with lowercased terms). Per message, attribute keys and values are ASCII-
 * lowercased once, expression routes are evaluated, and catch-rest stores get the message only
 * when no EXPRESSION route matched. Messages reaching no store are counted, never silently lost.
 */

import type { Attrs } from "../../core/record.ts";
import { LogError, errorMessage } from "../../core/errors.ts";
import { asciiLower } from "../../core/ascii.ts";
import { parseRoute, type RouteBranch, type RouteSpec, type RouteTerm } from "../../config/route.ts";

/** One store and its route text, in config order (the order of route() results). */
export interface RouteEntry {
  store: string;
  route: string;
}

/** Counters since the router (or the router it continued from) was built. */
export interface RouterStats {
  /** Messages that reached at least one store. */
  routed: number;
  /** Messages that matched no store (dropped by the ingest loop, and counted here). */
  unrouted: number;
  /** Messages routed to each store. */
  perStore: Record<string, number>;
}

export class Router {
  private routed = 0;
  private unrouted = 0;
  private readonly perStore: Float64Array;
  /** Scratch: 1 where store i matched in pass 1 of the current message. */
  private readonly hits: Uint8Array;
  private readonly hasExpr: boolean;
  private readonly keys: string[] = [];
  private readonly values: string[] = [];

  private constructor(
    private readonly names: readonly string[],
    private readonly specs: readonly RouteSpec[],
  ) {
    this.perStore = new Float64Array(names.length);
    this.hits = new Uint8Array(names.length);
    this.hasExpr = specs.some((s) => s.kind === "expr");
  }

  /**
   * Compiles routes; throws LogError("invalid_argument") naming the store of a bad route. With
   * `previous`, counters carry over (per store by name) so a config change keeps the totals.
   */
  static compile(entries: readonly RouteEntry[], previous?: Router): Router {
    const specs = entries.map((e) => {
      try {
        return parseRoute(e.route);
      } catch (err) {
        throw new LogError("invalid_argument", `store ${e.store}: invalid route "${e.route}": ${errorMessage(err)}`);
      }
    });
    const r = new Router(entries.map((e) => e.store), specs);
    if (previous) {
      const old = previous.stats();
      r.routed = old.routed;
      r.unrouted = old.unrouted;
      r.names.forEach((n, i) => (r.perStore[i] = old.perStore[n] ?? 0));
    }
    return r;
  }

  /** Store names that receive a message with `attrs`, in config order; [] when none (counted). */
  route(attrs: Attrs): string[] {
    const { specs, names } = this;
    let anyExpr = false;
    const hits = this.hits;
    if (this.hasExpr) this.load(attrs);
    for (let i = 0; i < specs.length; i++) {
      const s = specs[i]!;
      const hit = s.kind === "all" || (s.kind === "expr" && this.matchAny(s.branches));
      hits[i] = hit ? 1 : 0;
      if (hit && s.kind === "expr") anyExpr = true;
    }
    const out: string[] = [];
    for (let i = 0; i < specs.length; i++) {
      if (hits[i] === 1 || (!anyExpr && specs[i]!.kind === "rest")) {
        out.push(names[i]!);
        this.perStore[i]!++;
      }
    }
    if (out.length === 0) this.unrouted++;
    else this.routed++;
    return out;
  }

  stats(): RouterStats {
    const perStore: Record<string, number> = {};
    this.names.forEach((n, i) => (perStore[n] = this.perStore[i]!));
    return { routed: this.routed, unrouted: this.unrouted, perStore };
  }

  /** Lowercased attribute keys and values of the current message into the scratch arrays. */
  private load(attrs: Attrs): void {
    const { keys, values } = this;
    keys.length = 0;
    values.length = 0;
    for (const k in attrs) {
      keys.push(asciiLower(k));
      values.push(asciiLower(attrs[k]!));
    }
  }

  private matchAny(branches: readonly RouteBranch[]): boolean {
    for (let b = 0; b < branches.length; b++) {
      const br = branches[b]!;
      let ok = true;
      for (let i = 0; ok && i < br.positive.length; i++) ok = this.has(br.positive[i]!);
      for (let i = 0; ok && i < br.negative.length; i++) ok = !this.has(br.negative[i]!);
      if (ok) return true;
    }
    return false;
  }

  private has(t: RouteTerm): boolean {
    const { keys, values } = this;
    for (let i = 0; i < keys.length; i++) {
      if (t.kind === "kv" ? keys[i] === t.key && values[i] === t.value : t.kind === "key" ? keys[i] === t.key : values[i] === t.value) return true;
    }
    return false;
  }
}
