/** Counts RPCs in flight so shutdown can wait for them (with a deadline). */

export class RequestTracker {
  private active = 0;
  private waiters: (() => void)[] = [];

  get count(): number {
    return this.active;
  }

  begin(): void {
    this.active++;
  }

  end = (): void => {
    if (--this.active === 0) for (const w of this.waiters.splice(0)) w();
  };

  /** Resolves true when no request is in flight, false when `ms` passed first. */
  idle(ms: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(false);
      }, Math.max(0, ms));
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(done);
    });
  }
}
