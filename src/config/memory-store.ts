/**
 * In-memory ConfigStore for tests and `repl --embedded`: the same versioning rules as the
 * sqlite store (shared in store.ts), nothing persisted. Watch listeners are called
 * synchronously after each stored version.
 */

import { nowMicros } from "../core/time.ts";
import type { DiffEntry } from "./diff.ts";
import { diffConfigs } from "./diff.ts";
import { configJson } from "./schema.ts";
import {
  infoOf,
  initialVersion,
  nextVersion,
  noSuchVersion,
  notify,
  type ChangeKind,
  type ChangeMeta,
  type ConfigListener,
  type ConfigStore,
  type ConfigStoreOptions,
  type ConfigVersion,
  type VersionInfo,
} from "./store.ts";

export class MemoryConfigStore implements ConfigStore {
  private readonly versions: ConfigVersion[] = [initialVersion()];
  private readonly listeners = new Set<ConfigListener>();
  private readonly clock: () => number;

  constructor(private readonly options: ConfigStoreOptions = {}) {
    this.clock = options.clock ?? nowMicros;
  }

  current(): ConfigVersion {
    return structuredClone(this.versions[this.versions.length - 1]!);
  }

  apply(config: unknown, meta: ChangeMeta): ConfigVersion {
    return this.store(config, meta, "apply");
  }

  history(limit = Infinity): VersionInfo[] {
    return this.versions
      .slice(1)
      .reverse()
      .slice(0, limit)
      .map((v) => structuredClone(infoOf(v)));
  }

  get(version: number): ConfigVersion {
    const v = this.versions[version];
    if (!Number.isInteger(version) || v === undefined) throw noSuchVersion(version, this.versions.length - 1);
    return structuredClone(v);
  }

  diff(a: number, b = this.versions.length - 1): DiffEntry[] {
    return diffConfigs(this.get(a).config, this.get(b).config);
  }

  rollback(version: number, meta: ChangeMeta): ConfigVersion {
    return this.store(this.get(version).config, meta, "rollback", version);
  }

  export(): string {
    return configJson(this.current().config, 2) + "\n";
  }

  watch(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  private store(config: unknown, meta: ChangeMeta, kind: ChangeKind, rollbackOf?: number): ConfigVersion {
    const cur = this.versions[this.versions.length - 1]!;
    const next = nextVersion(cur, config, meta, kind, this.clock(), this.options, rollbackOf);
    if (next === undefined) return structuredClone(cur);
    this.versions.push(next);
    notify(this.listeners, structuredClone(next), this.options.onListenerError);
    return structuredClone(next);
  }
}
