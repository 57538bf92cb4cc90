/**
 * Build identity. GASTROLOG_BUILD_COMMIT is replaced at compile time by scripts/build
 * (`bun build --define`); under `bun run` it is absent and reported as "dev".
 */

import pkg from "../../package.json" with { type: "json" };

declare const GASTROLOG_BUILD_COMMIT: string | undefined;

export const VERSION: string = pkg.version;

export function buildCommit(): string {
  return typeof GASTROLOG_BUILD_COMMIT === "string" ? GASTROLOG_BUILD_COMMIT : "dev";
}

/** The build as the API reports it (LifecycleService, StoreService). */
export function versionInfo(): { version: string; commit: string; runtime: string } {
  return { version: VERSION, commit: buildCommit(), runtime: `bun ${Bun.version}` };
}

export function versionLine(): string {
  return `gastrolog ${VERSION} (bun ${Bun.version}, commit ${buildCommit()})`;
}
