// An independent measure of replication lag: every few seconds, the newest timestamp of the load's
// canary series (one point a second) on the primary and on the standby, read straight from the two TSDs
// (not through the benchmark's proxies). Lag = primary's newest - standby's newest; while the standby
// has none yet, its newest counts as the start of the load.

import { isUnknownMetric } from '../src/opentsdb/errors.js';
import type { TsdClient } from '../src/opentsdb/client.js';

export interface CanarySample {
  t: number;
  primary?: number;
  standby?: number;
  /** primary - standby (ms), when the primary has a point */
  lagMs?: number;
}

async function newest(client: TsdClient, metric: string, since: number): Promise<number | undefined> {
  try {
    const { series } = await client.queryRaw({ metric, start: since, end: Date.now() + 1000 });
    let max: number | undefined;
    for (const s of series) for (const ts of s.timestamps) if (max === undefined || ts > max) max = ts;
    return max;
  } catch (err) {
    if (isUnknownMetric(err)) return undefined;
    throw err;
  }
}

export class CanarySampler {
  readonly samples: CanarySample[] = [];
  errors = 0;
  private timer?: NodeJS.Timeout;
  private pending?: Promise<void>;
  private latest: { primary?: number; standby?: number } = {};

  constructor(
    private readonly primary: TsdClient,
    private readonly standby: TsdClient,
    private readonly metric: string,
    private readonly loadStart: number,
    private readonly everyMs = 5000,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.pending ??= this.sample().finally(() => (this.pending = undefined));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.pending;
  }

  private async sample(): Promise<void> {
    const t = Date.now();
    try {
      const [p, s] = await Promise.all([
        newest(this.primary, this.metric, (this.latest.primary ?? this.loadStart) - 1000),
        newest(this.standby, this.metric, (this.latest.standby ?? this.loadStart) - 1000),
      ]);
      this.latest.primary = p ?? this.latest.primary;
      this.latest.standby = s ?? this.latest.standby;
      const primary = this.latest.primary;
      const standby = this.latest.standby;
      this.samples.push({ t, primary, standby, lagMs: primary === undefined ? undefined : primary - (standby ?? this.loadStart) });
    } catch {
      this.errors++;
    }
  }

  /** Lags of the samples taken in [from, to]. */
  lags(from = 0, to = Number.MAX_SAFE_INTEGER): number[] {
    return this.samples.filter((s) => s.t >= from && s.t <= to && s.lagMs !== undefined).map((s) => Math.max(0, s.lagMs!));
  }
}
