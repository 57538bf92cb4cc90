/**
 * In-memory ConfigStore for tests and `repl --embedded`: the same versioning rules as the
 * sqlite store (shared in store.ts and store-base.ts), nothing persisted. Watch listeners are called
 * synchronously after each stored version.
 */

import { VersionedConfigStore } from "./store-base.ts";
import { infoOf, initialVersion, nextVersion, noSuchVersion, notify, type ChangeKind, type ChangeMeta, type ConfigListener, type ConfigStoreOptions, type ConfigVersion, type VersionInfo } from "./store.ts";

export class MemoryConfigStore extends VersionedConfigStore {
  private readonly versions: ConfigVersion[] = [initialVersion()];

  constructor(options: ConfigStoreOptions = {}) {
    super(options);
  }

  current(): ConfigVersion {
    return structuredClone(this.versions[this.versions.length - 1]!);
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

  watch(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
  }

  protected commit(input: () => unknown, meta: ChangeMeta, kind: ChangeKind, rollbackOf?: number): ConfigVersion {
    const cur = this.versions[this.versions.length - 1]!;
    const next = nextVersion(cur, input(), meta, kind, this.clock(), this.options, rollbackOf);
    if (next === undefined) return structuredClone(cur);
    this.versions.push(next);
    notify(this.listeners, structuredClone(next), this.options.onListenerError);
    return structuredClone(next);
  }
}
