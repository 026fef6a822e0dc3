// How many windows the metrics' walks may read ahead beyond one each, shared by all of a backup's walks.
// Every running walk reads one window ahead of its own (fetch-ahead.ts). A worker slot that no walk
// runs in (the last metrics of a backup, or a backup of fewer metrics than --concurrency) lends its share
// to the walks still running, one more window ahead each: so the biggest metric, which often runs alone
// at the end, keeps as many queries in flight as the backup had before, and never more, so that the
// answers in memory stay what they were with every worker busy.

export class ReadAheadBudget {
  private walks = 0;
  private lent = 0;

  /** `workers`: how many metrics are read at once (--concurrency). */
  constructor(private readonly workers: number) {}

  /** A walk starts; `leave()` when it ends. */
  enter(): void {
    this.walks++;
  }

  leave(): void {
    this.walks--;
  }

  /** One more window ahead, if a worker slot is idle and not lent yet. */
  tryBorrow(): boolean {
    if (this.walks + this.lent >= this.workers) return false;
    this.lent++;
    return true;
  }

  /** Gives back `n` windows borrowed earlier. */
  giveBack(n = 1): void {
    this.lent -= n;
  }

  /** Windows lent and not given back (for tests and checks). */
  get borrowed(): number {
    return this.lent;
  }
}
