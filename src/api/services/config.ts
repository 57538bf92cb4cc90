/**
 * ConfigService: the running stores and receivers, and the versioned config — every write maps
 * onto one ConfigStore call (validated, stored as a version, applied live before the call
 * answers); a rejected config answers INVALID_ARGUMENT with every problem also as a
 * ConfigProblems detail. The author is the token's name when a token authenticated the call,
 * else the request's author or the peer (api/peer.ts). A caller whose config scopes name stores
 * may read and change only those stores' entries (`stores[NAME]...`, their retention).
 */

import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import { applyAssignments, retentionAssignments, type ChangeResult } from "../../config/assign.ts";
import { parseConfigText } from "../../config/file.ts";
import { ConfigError } from "../../config/problems.ts";
import { configJson } from "../../config/schema.ts";
import { LogError } from "../../core/errors.ts";
import type { DurabilityPolicy } from "../../storage/types.ts";
import { ConfigProblemsSchema, ConfigService } from "../gen/gastrolog/v1/config_pb.ts";
import { toChangePb, toDiffPb, toSweepPb, toVersionInfoPb } from "../convert/config.ts";
import { fromI64, i64 } from "../convert/int64.ts";
import type { ConfigControl, EngineHost, RetentionControl } from "../host.ts";
import { may, requireAccess } from "../../security/access.ts";
import { ALL } from "../../security/scopes.ts";
import { peerKey } from "../peer.ts";
import { principalOf } from "./access.ts";

function durabilityText(d: DurabilityPolicy): string {
  return d.kind === "interval" ? `interval:${d.everyMs}` : d.kind;
}

function codecParams(codec: string | undefined): Record<string, string> {
  return codec ? { codec } : {};
}

function control(host: EngineHost): ConfigControl {
  if (!host.config) throw new LogError("unavailable", "this engine runs without a config store; config changes are not available");
  return host.config;
}

function retention(host: EngineHost): RetentionControl {
  if (!host.retention) throw new LogError("unavailable", "this engine runs without retention");
  return host.retention;
}

function author(requested: string, ctx: HandlerContext): string {
  const p = principalOf(ctx);
  return p.token ? p.name : requested || ctx.values.get(peerKey);
}

/** Assignments may only touch stores the caller may configure (all of them with store=*). */
function checkAssignments(ctx: HandlerContext, assignments: readonly string[]): void {
  const p = principalOf(ctx);
  if (may(p, "config:write", ALL)) return;
  for (const a of assignments) {
    const store = /^stores\[([^\]]+)\]/.exec(a)?.[1];
    if (store === undefined) requireAccess(p, "config:write", ALL, `set ${a.split("=")[0]}`);
    else requireAccess(p, "config:write", store, `change store '${store}'`);
  }
}

function optionalVersion(v: bigint | undefined, field: string): number | undefined {
  return v === undefined ? undefined : fromI64(v, field);
}

/** Runs `fn`; a ConfigError becomes INVALID_ARGUMENT carrying every problem as a ConfigProblems detail. */
function withProblems<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const detail = { desc: ConfigProblemsSchema, value: { problems: err.problems.map((p) => ({ path: p.path, message: p.message })) } };
    throw new ConnectError(err.message, Code.InvalidArgument, undefined, [detail], err);
  }
}

export function configService(host: EngineHost): ServiceImpl<typeof ConfigService> {
  /** Runs a write, then waits until the server applied the version it created. */
  const write = async (fn: (c: ConfigControl) => ChangeResult) => {
    const c = control(host);
    const r = withProblems(() => fn(c));
    const applyError = r.changed ? await c.applied(r.version.version) : "";
    return { change: toChangePb(r, applyError) };
  };
  return {
    async getConfig() {
      const cur = host.config?.store.current();
      return {
        config: {
          stores: host.stores().map((s) => ({
            name: s.name,
            kind: s.settings.kind,
            dir: s.settings.dir,
            rotation: { maxBytes: i64(s.settings.rotation.maxBytes), maxRecords: i64(s.settings.rotation.maxRecords), maxAgeUs: i64(s.settings.rotation.maxAgeMicros) },
            durability: durabilityText(s.settings.durability),
            route: s.settings.route,
            params: codecParams(s.settings.codec),
          })),
          receivers: host.receivers().map((r) => ({ name: r.name, type: r.type, params: { ...r.params } })),
        },
        ...(cur ? { version: toVersionInfoPb(cur) } : {}),
        configJson: cur ? configJson(cur.config, 2) + "\n" : "",
        appliedVersion: BigInt(host.config?.appliedVersion() ?? 0),
        applyError: host.config?.lastError() ?? "",
      };
    },

    applyConfig(req, ctx) {
      return write((c) => {
        const before = c.store.current().version;
        const doc = parseConfigText(req.configJson, "json", "config_json");
        const v = c.store.apply(doc, { author: author(req.author, ctx), reason: req.reason || "ApplyConfig", ifVersion: optionalVersion(req.ifVersion, "if_version"), force: req.force });
        return { changed: v.version !== before, version: v };
      });
    },

    setConfig(req, ctx) {
      checkAssignments(ctx, req.assignments);
      return write((c) =>
        applyAssignments(c.store, req.assignments, { author: author(req.author, ctx), reason: req.reason || `set ${req.assignments.join(" ")}`, ifVersion: optionalVersion(req.ifVersion, "if_version"), force: req.force }),
      );
    },

    async getConfigHistory(req) {
      return { versions: control(host).store.history(req.limit === 0 ? undefined : req.limit).map(toVersionInfoPb) };
    },

    async getConfigVersion(req) {
      const s = control(host).store;
      const v = req.version === undefined ? s.current() : s.get(fromI64(req.version, "version"));
      return { info: toVersionInfoPb(v), configJson: configJson(v.config, 2) + "\n" };
    },

    async diffConfig(req) {
      return { diff: control(host).store.diff(fromI64(req.from, "from"), optionalVersion(req.to, "to")).map(toDiffPb) };
    },

    rollbackConfig(req, ctx) {
      return write((c) => {
        const before = c.store.current().version;
        const target = fromI64(req.version, "version");
        const v = c.store.rollback(target, { author: author(req.author, ctx), reason: req.reason || `rollback to version ${target}`, force: req.force });
        return { changed: v.version !== before, version: v };
      });
    },

    async exportConfig() {
      const s = control(host).store;
      return { configJson: s.export(), version: BigInt(s.current().version) };
    },

    async getRetention(_req, ctx) {
      const st = retention(host).stats();
      const p = principalOf(ctx);
      return {
        policies: control(host).store.current().config.stores.filter((s) => may(p, "config:read", s.name)).map((s) => ({ store: s.name, maxAge: s.retention.maxAge, maxBytes: s.retention.maxBytes, maxChunks: BigInt(s.retention.maxChunks) })),
        sweeps: BigInt(st.sweeps),
        deleted: Object.fromEntries(Object.entries(st.deleted).map(([k, n]) => [k, BigInt(n)])),
        bytesFreed: BigInt(st.bytesFreed),
        errors: BigInt(st.errors),
        lastSweepAtUs: i64(st.lastSweepAt),
      };
    },

    setRetention(req, ctx) {
      requireAccess(principalOf(ctx), "config:write", req.store, `change the retention of store '${req.store}'`);
      return write((c) => {
        const assignments = retentionAssignments(c.store, req.store, req.assignments);
        return applyAssignments(c.store, assignments, { author: author(req.author, ctx), reason: req.reason || `retention set ${req.store} ${req.assignments.join(" ")}` });
      });
    },

    async sweepRetention(req, ctx) {
      requireAccess(principalOf(ctx), "config:write", req.store || ALL, req.store ? `sweep store '${req.store}'` : "sweep every store");
      return toSweepPb(await retention(host).sweep(req.store || undefined));
    },
  };
}
