// The status file of `health`: the last check of each TSD, as JSON, or in the Prometheus text format
// (file name ending in .prom) for node_exporter's textfile collector. It holds the TSDs of the run
// that wrote it (watch mode rewrites it every round), written atomically. Use a file of its own: the
// backup commands' status file has another shape.

import { VERDICTS, type TsdHealth } from '../health/health-result.js';
import { writeFileAtomic } from '../fs/atomic-file.js';
import { escapeLabel } from './status-file.js';

export const HEALTH_STATUS_FORMAT = 'tsdb-backup-health';

interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** Every series of the .prom file, in the order written; the README documents each. */
export const HEALTH_SERIES: Array<{ name: string; help: string; samples: (h: TsdHealth) => Sample[] }> = [
  {
    name: 'tsdb_backup_tsd_up',
    help: "1 if the TSD's API answered (healthy or degraded), 0 if it is down.",
    samples: (h) => [{ labels: {}, value: h.verdict === 'down' ? 0 : 1 }],
  },
  {
    name: 'tsdb_backup_tsd_healthy',
    help: '1 if every check of the TSD passed in time, else 0.',
    samples: (h) => [{ labels: {}, value: h.verdict === 'healthy' ? 1 : 0 }],
  },
  {
    name: 'tsdb_backup_tsd_verdict',
    help: "The TSD's verdict, one-hot: 1 for its verdict (healthy, degraded, down), 0 for the others.",
    samples: (h) => VERDICTS.map((v) => ({ labels: { verdict: v }, value: v === h.verdict ? 1 : 0 })),
  },
  {
    name: 'tsdb_backup_tsd_step_seconds',
    help: 'Latency of each step of the last check (steps not run are absent).',
    samples: (h) => h.steps.map((s) => ({ labels: { step: s.name }, value: s.ms / 1000 })),
  },
  {
    name: 'tsdb_backup_tsd_step_success',
    help: '1 if the step of the last check passed, else 0.',
    samples: (h) => h.steps.map((s) => ({ labels: { step: s.name }, value: s.ok ? 1 : 0 })),
  },
  {
    name: 'tsdb_backup_tsd_last_check_timestamp_seconds',
    help: 'When the last check of the TSD started (Unix seconds).',
    samples: (h) => [{ labels: {}, value: Date.parse(h.checkedAt) / 1000 }],
  },
];

export function renderHealthPrometheus(results: readonly TsdHealth[]): string {
  const lines: string[] = [];
  for (const series of HEALTH_SERIES) {
    const rows = results.flatMap((h) =>
      series.samples(h).map((s) => {
        const labels = Object.entries({ tsd: h.url, ...s.labels }).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
        return `${series.name}{${labels.join(',')}} ${s.value}`;
      }),
    );
    if (rows.length > 0) lines.push(`# HELP ${series.name} ${series.help}`, `# TYPE ${series.name} gauge`, ...rows);
  }
  return `${lines.join('\n')}\n`;
}

export function renderHealthJson(results: readonly TsdHealth[], writtenAt: Date): string {
  return `${JSON.stringify({ format: HEALTH_STATUS_FORMAT, version: 1, writtenAt: writtenAt.toISOString(), tsds: results }, null, 2)}\n`;
}

export async function writeHealthStatusFile(path: string, results: readonly TsdHealth[], writtenAt: Date): Promise<void> {
  await writeFileAtomic(path, path.endsWith('.prom') ? renderHealthPrometheus(results) : renderHealthJson(results, writtenAt));
}
