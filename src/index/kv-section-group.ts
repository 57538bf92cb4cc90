/**
 * What the key=value section builders of one seal (message pairs, format fields) tell each other
 * before they write. A key=value lookup is answered from the indexes only when every section
 * serving it answers (index/open.ts unites them; one "scan" makes the whole lookup scan), so
 * bytes that only serve lookups another section scans are dead: a key spilled in one section
 * but overflowed and not spilled in another (msgkv-spill.ts), and a "values" index (`*=v`)
 * while another section has an overflowed key. Each builder leaves those out.
 */

/** What one section's lookups will scan. */
export interface KvSectionPlan {
  /** The section answers no key=value lookup (capped, or fields dropped): every lookup scans. */
  readonly scansAll: boolean;
  /** Its value lookups (`*=v`) scan: some key overflowed there. */
  readonly scansValues: boolean;
  /** Keys whose key=value lookups scan there: overflowed and not admitted to its spill. */
  readonly scanned: ReadonlySet<string>;
}

/**
 * The key=value section builders of one seal (index/builders.ts makes one per seal). Each joins
 * with a function planning its own section; the plans are made together, before any member
 * finishes (and releases its tables), at the first `ready()`.
 */
export class KvSectionGroup {
  private readonly planners: (() => KvSectionPlan)[] = [];
  private plans: KvSectionPlan[] | undefined;

  /** Adds a member; returns its number. */
  join(plan: () => KvSectionPlan): number {
    this.planners.push(plan);
    return this.planners.length - 1;
  }

  /**
   * Plans every member (once); each member calls this as it starts to finish. A member whose
   * plan fails (its build failed: the section will be missing, so every lookup scans) counts as
   * scanning everything.
   */
  ready(): void {
    this.plans ??= this.planners.map((p) => {
      try {
        return p();
      } catch {
        return { scansAll: true, scansValues: true, scanned: new Set<string>() };
      }
    });
  }

  /** True when key=value lookups of `key` scan in a member other than `member` (after ready()). */
  scansElsewhere(member: number, key: string): boolean {
    return this.others(member).some((p) => p.scansAll || p.scanned.has(key));
  }

  /** True when value lookups scan in a member other than `member` (after ready()). */
  scansValuesElsewhere(member: number): boolean {
    return this.others(member).some((p) => p.scansAll || p.scansValues);
  }

  private others(member: number): KvSectionPlan[] {
    return this.plans!.filter((_, i) => i !== member);
  }
}
