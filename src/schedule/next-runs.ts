// When each scheduled job runs next, from cron expressions in the configured time zone.

import { CronExpressionParser } from 'cron-parser';
import type { ScheduleConfig } from './schedule-config.js';

export type JobKind = 'full' | 'incremental';

export interface PlannedRun {
  job: JobKind;
  at: Date;
}

function nextAfter(expr: string, tz: string, after: Date): Date {
  return CronExpressionParser.parse(expr, { tz, currentDate: after }).next().toDate();
}

/** The next run strictly after `after`. When a full and an incremental fall due together, the full runs. */
export function nextRun(config: ScheduleConfig, after: Date): PlannedRun {
  const full = nextAfter(config.full.cron, config.timezone, after);
  if (!config.incremental) return { job: 'full', at: full };
  const incr = nextAfter(config.incremental.cron, config.timezone, after);
  return incr.getTime() < full.getTime() ? { job: 'incremental', at: incr } : { job: 'full', at: full };
}

export function upcomingRuns(config: ScheduleConfig, after: Date, n: number): PlannedRun[] {
  const out: PlannedRun[] = [];
  let t = after;
  for (let i = 0; i < n; i++) {
    const r = nextRun(config, t);
    out.push(r);
    t = r.at;
  }
  return out;
}
