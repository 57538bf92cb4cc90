/** Bounded waits on promises (no I/O): whether a promise settles within a time, the timer always cleared. */

/** True if `p` settles within `ms`; false if the time runs out first (the timer is cleared either way). A rejection of `p` is rethrown. */
export async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
