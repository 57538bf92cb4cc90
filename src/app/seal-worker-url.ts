/**
 * Where the seal worker entry lives, for WorkerSealer. Under `bun run` it sits next to this
 * file. In a `bun build --compile` binary every module's import.meta.url is the binary's root
 * (file:///$bunfs/root/<name>) and extra entry points keep their path relative to the common
 * root of all entries (src/), so the worker is at app/seal-worker.ts from there.
 */

const here = import.meta.url;

/** URL to pass to `new WorkerSealer(...)`. */
export const sealWorkerUrl: string = here.includes("/$bunfs/")
  ? new URL("./app/seal-worker.ts", here).href
  : new URL("./seal-worker.ts", here).href;
