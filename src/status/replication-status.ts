// The status file of a replicator, for monitoring: JSON, or the Prometheus text format (file name
// ending in .prom) for node_exporter's textfile collector. Rewritten whole (atomically) after every
// pass and every event of the primary, so that "replication lag above 10 minutes" and "the primary
// was declared down" can be alerted on.

import { writeFileAtomic } from '../fs/atomic-file.js';

export interface ReplicationStatus {
  source: string;
  target: string;
  /** Seconds the standby is behind now (oldest metric checkpoint), null before the first pass. */
  lagSeconds: number | null;
  checkpointSeconds: number | null;
  lastCycleSuccess: boolean | null;
  lastCycleSeconds: number | null;
  lastCycleDurationSeconds: number | null;
  lastError: string | null;
  failedMetrics: number;
  pointsWrittenTotal: number;
  cycles: number;
  primaryUp: boolean;
  primaryDownEvents: number;
  hookLastExitCode: number | null;
  updatedSeconds: number;
}

export const REPLICATION_STATUS_FORMAT = 'tsdb-backup-replication-status';

const SERIES: Array<{ name: string; help: string; type: 'gauge' | 'counter'; value: (s: ReplicationStatus) => number | null }> = [
  {
    name: 'tsdb_backup_replication_lag_seconds',
    help: 'How far the standby is behind now: now minus the oldest metric checkpoint.',
    type: 'gauge',
    value: (s) => s.lagSeconds,
  },
  {
    name: 'tsdb_backup_replication_checkpoint_timestamp_seconds',
    help: 'Everything before this time (Unix seconds) is on the standby.',
    type: 'gauge',
    value: (s) => s.checkpointSeconds,
  },
  {
    name: 'tsdb_backup_replication_last_cycle_success',
    help: '1 if the last pass copied every metric, else 0.',
    type: 'gauge',
    value: (s) => (s.lastCycleSuccess === null ? null : s.lastCycleSuccess ? 1 : 0),
  },
  {
    name: 'tsdb_backup_replication_last_cycle_timestamp_seconds',
    help: 'When the last pass finished (Unix seconds).',
    type: 'gauge',
    value: (s) => s.lastCycleSeconds,
  },
  {
    name: 'tsdb_backup_replication_last_cycle_duration_seconds',
    help: 'How long the last pass took.',
    type: 'gauge',
    value: (s) => s.lastCycleDurationSeconds,
  },
  {
    name: 'tsdb_backup_replication_failed_metrics',
    help: 'Metrics the last pass could not copy (they stay at their checkpoints).',
    type: 'gauge',
    value: (s) => s.failedMetrics,
  },
  {
    name: 'tsdb_backup_replication_points_written_total',
    help: 'Points written to the standby since the replicator started.',
    type: 'counter',
    value: (s) => s.pointsWrittenTotal,
  },
  {
    name: 'tsdb_backup_replication_primary_up',
    help: '0 once the primary failed --fail-after checks in a row, 1 otherwise.',
    type: 'gauge',
    value: (s) => (s.primaryUp ? 1 : 0),
  },
  {
    name: 'tsdb_backup_replication_primary_down_events_total',
    help: 'Times the primary was declared down since the replicator started.',
    type: 'counter',
    value: (s) => s.primaryDownEvents,
  },
  {
    name: 'tsdb_backup_replication_hook_last_exit_code',
    help: 'Exit code of the last --on-primary-down hook run.',
    type: 'gauge',
    value: (s) => s.hookLastExitCode,
  },
  {
    name: 'tsdb_backup_replication_status_timestamp_seconds',
    help: 'When this file was written (Unix seconds).',
    type: 'gauge',
    value: (s) => s.updatedSeconds,
  },
];

function label(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function renderReplicationPrometheus(s: ReplicationStatus): string {
  const labels = `{source="${label(s.source)}",target="${label(s.target)}"}`;
  const lines: string[] = [];
  for (const series of SERIES) {
    const v = series.value(s);
    if (v === null) continue;
    lines.push(`# HELP ${series.name} ${series.help}`, `# TYPE ${series.name} ${series.type}`, `${series.name}${labels} ${v}`);
  }
  return `${lines.join('\n')}\n`;
}

export async function writeReplicationStatus(file: string, s: ReplicationStatus): Promise<void> {
  const text = file.endsWith('.prom')
    ? renderReplicationPrometheus(s)
    : `${JSON.stringify({ format: REPLICATION_STATUS_FORMAT, version: 1, ...s }, null, 2)}\n`;
  await writeFileAtomic(file, text);
}
