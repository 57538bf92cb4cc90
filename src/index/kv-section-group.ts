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

/** A member: how to plan its section, and how many records it has been fed so far. */
interface Member {
  plan(): KvSectionPlan;
  fed(): number;
}

/**
 * The key=value section builders of one seal (index/builders.ts makes one per seal). A member
 * calls `ready()` as it starts to finish: that plans it and every other member fed as many
 * records (the whole chunk: a seal that feeds all builders before finishing any sees them all;
 * one that builds them one at a time, like the split seal's helper, sees those finished before).
 * A member not planned yet is not known to scan anything, so nothing is left out for it.
 */
export class KvSectionGroup {
  private readonly members: Member[] = [];
  private readonly plans: (KvSectionPlan | undefined)[] = [];

  /** Adds a member; returns its number. */
  join(plan: () => KvSectionPlan, fed: () => number): number {
    this.members.push({ plan, fed });
    this.plans.push(undefined);
    return this.members.length - 1;
  }

  /**
   * Plans `member` and every unplanned member fed as many records. A member whose plan fails
   * (its build failed: the section will be missing, so every lookup scans) scans everything.
   */
  ready(member: number): void {
    const records = this.members[member]!.fed();
    this.members.forEach((m, i) => {
      if (this.plans[i] !== undefined || (i !== member && m.fed() !== records)) return;
      try {
        this.plans[i] = m.plan();
      } catch {
        this.plans[i] = { scansAll: true, scansValues: true, scanned: new Set<string>() };
      }
    });
  }

  /** True when key=value lookups of `key` scan in a planned member other than `member`. */
  scansElsewhere(member: number, key: string): boolean {
    return this.others(member).some((p) => p.scansAll || p.scanned.has(key));
  }

  /** True when value lookups scan in a planned member other than `member`. */
  scansValuesElsewhere(member: number): boolean {
    return this.others(member).some((p) => p.scansAll || p.scansValues);
  }

  private others(member: number): KvSectionPlan[] {
    return this.plans.filter((p, i): p is KvSectionPlan => p !== undefined && i !== member);
  }
}
