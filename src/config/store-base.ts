/**
 * What the memory and sqlite config stores share: every write is "store the next version"
 * (apply, rollback), every comparison reads two versions (diff), export prints the current one.
 * Implementations keep the versions and listeners their own way and supply `commit`.
 */

import { nowMicros } from "../core/time.ts";
import { diffConfigs, type DiffEntry } from "./diff.ts";
import { configJson } from "./schema.ts";
import type { ChangeKind, ChangeMeta, ConfigListener, ConfigStore, ConfigStoreOptions, ConfigVersion, VersionInfo } from "./store.ts";

export abstract class VersionedConfigStore implements ConfigStore {
  protected readonly listeners = new Set<ConfigListener>();
  protected readonly clock: () => number;

  constructor(protected readonly options: ConfigStoreOptions) {
    this.clock = options.clock ?? nowMicros;
  }

  abstract current(): ConfigVersion;
  abstract get(version: number): ConfigVersion;
  abstract history(limit?: number): VersionInfo[];
  abstract watch(listener: ConfigListener): () => void;
  abstract close(): void;

  /**
   * Stores the version after the current one with the config `input()` gives (read inside
   * the store's transaction), unless it equals the current one; returns the version now current.
   */
  protected abstract commit(input: () => unknown, meta: ChangeMeta, kind: ChangeKind, rollbackOf?: number): ConfigVersion;

  apply(config: unknown, meta: ChangeMeta): ConfigVersion {
    return this.commit(() => config, meta, "apply");
  }

  rollback(version: number, meta: ChangeMeta): ConfigVersion {
    return this.commit(() => this.get(version).config, meta, "rollback", version);
  }

  diff(a: number, b?: number): DiffEntry[] {
    return diffConfigs(this.get(a).config, (b === undefined ? this.current() : this.get(b)).config);
  }

  export(): string {
    return configJson(this.current().config, 2) + "\n";
  }
}
