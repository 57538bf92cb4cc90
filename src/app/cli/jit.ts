/**
 * The compiled binary starts with JavaScriptCore's tier-up thresholds scaled up (scripts/build:
 * --compile-jit-policy), so run-once start-up code — module bodies, protobuf descriptors,
 * opening stores — stays in the interpreter instead of paying for JIT compiles it never
 * reuses (about a third of a short command's CPU). A batch command's hot loops (a scan, an
 * import) still tier up after a few thousand more iterations, which costs nothing measurable
 * (bench: a 1M-record JSON export and a 138 MB in-place scan used less CPU this way).
 */

/**
 * Back to the normal JIT policy, for processes that keep running different code for a long
 * time: the server once it is up, and Workers (their code is all hot loops).
 */
export function startupDone(): void {
  Bun.unsafe.setJITPolicy(1);
}
