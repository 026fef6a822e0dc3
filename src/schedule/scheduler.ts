// The foreground scheduler: sleeps until the next run, runs it (never two at once), logs the outcome
// and the next run, applies retention after each successful backup, and stops cleanly when its
// signal fires: the running job gets the same signal and stops cleanly (it leaves nothing that looks
// complete); the scheduler then runs nothing more, not even retention.

import { sleep as defaultSleep } from '../retry.js';
import { nextRun, type JobKind } from './next-runs.js';
import type { ScheduleConfig } from './schedule-config.js';

export interface SchedulerDeps {
  now: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Runs one job and returns its exit code. */
  runJob: (job: JobKind | 'prune') => Promise<number>;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface SchedulerSummary {
  runs: Array<{ job: JobKind | 'prune'; at: string; exitCode: number }>;
}

export async function runScheduler(config: ScheduleConfig, deps: SchedulerDeps): Promise<SchedulerSummary> {
  const sleep = deps.sleep ?? defaultSleep;
  const summary: SchedulerSummary = { runs: [] };
  let planned = nextRun(config, deps.now());
  deps.log(`scheduler started (${config.timezone}); next: ${planned.job} at ${planned.at.toISOString()}`);
  while (!deps.signal?.aborted) {
    const wait = planned.at.getTime() - deps.now().getTime();
    if (wait > 0) {
      try {
        await sleep(Math.min(wait, 60_000), deps.signal);
      } catch {
        break;
      }
      continue;
    }
    const job = planned.job;
    const started = deps.now();
    deps.log(`starting ${job} (due ${planned.at.toISOString()})`);
    const code = await deps.runJob(job);
    summary.runs.push({ job, at: started.toISOString(), exitCode: code });
    deps.log(`finished ${job}: exit ${code} after ${((deps.now().getTime() - started.getTime()) / 1000).toFixed(1)} s`);
    if (deps.signal?.aborted) {
      deps.log(`${job} was interrupted by the stop; the next incremental or full run picks up from the last complete backup`);
      break;
    }
    if (code === 0 && config.retention) {
      const pruneCode = await deps.runJob('prune');
      summary.runs.push({ job: 'prune', at: deps.now().toISOString(), exitCode: pruneCode });
      deps.log(`finished prune: exit ${pruneCode}`);
    }
    // Runs missed while this one was busy are skipped, not queued: the next one catches up.
    const after = deps.now();
    const next = nextRun(config, after > planned.at ? after : planned.at);
    if (next.at.getTime() - planned.at.getTime() > 0 && after.getTime() - planned.at.getTime() > 60_000) {
      deps.log(`the run took until ${after.toISOString()}; runs due meanwhile were skipped`);
    }
    planned = next;
    if (!deps.signal?.aborted) deps.log(`next: ${planned.job} at ${planned.at.toISOString()}`);
  }
  deps.log('scheduler stopped');
  return summary;
}
