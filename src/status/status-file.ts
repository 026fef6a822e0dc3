// A status file per run for monitoring: JSON, or the Prometheus text format (file name ending in
// .prom) for node_exporter's textfile collector. The last success survives failed runs: it is carried
// over from the previous file. Written atomically (temp file + rename) so a scraper never reads half.

import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile, unlink } from 'node:fs/promises';

export interface RunStatus {
  command: string;
  success: boolean;
  /** Unix seconds. */
  startedAt: number;
  finishedAt: number;
  durationSeconds: number;
  points: number;
  bytes: number;
  backupId?: string;
  exitCode: number;
  error?: string;
}

interface StatusDocument extends RunStatus {
  lastSuccessAt: number | null;
  lastSuccessBackupId: string | null;
}

async function previous(path: string): Promise<{ at: number | null; id: string | null }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { at: null, id: null };
  }
  if (path.endsWith('.prom')) {
    const m = /^tsdb_backup_last_success_timestamp_seconds(?:\{[^}]*\})? ([0-9.e+]+)$/m.exec(text);
    const id = /^tsdb_backup_last_success_info\{[^}]*backup_id="([^"]*)"/m.exec(text);
    return { at: m ? Number(m[1]) : null, id: id ? id[1]! : null };
  }
  try {
    const doc = JSON.parse(text) as Partial<StatusDocument>;
    return { at: typeof doc.lastSuccessAt === 'number' ? doc.lastSuccessAt : null, id: typeof doc.lastSuccessBackupId === 'string' ? doc.lastSuccessBackupId : null };
  } catch {
    return { at: null, id: null };
  }
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function gauge(name: string, help: string, value: number, labels = ''): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}${labels} ${value}`];
}

export function renderPrometheus(doc: StatusDocument): string {
  // No per-command labels on the gauges: full and incremental runs update the same series, so an
  // alert on the last success time keeps working whichever ran last.
  const lines = [
    ...gauge('tsdb_backup_last_run_info', 'The command of the last run.', 1, `{command="${escapeLabel(doc.command)}"}`),
    ...gauge('tsdb_backup_last_run_success', '1 if the last run succeeded, else 0.', doc.success ? 1 : 0),
    ...gauge('tsdb_backup_last_run_timestamp_seconds', 'When the last run finished.', doc.finishedAt),
    ...gauge('tsdb_backup_last_run_duration_seconds', 'How long the last run took.', doc.durationSeconds),
    ...gauge('tsdb_backup_last_run_exit_code', 'Exit code of the last run.', doc.exitCode),
    ...gauge('tsdb_backup_last_run_points', 'Data points handled by the last run.', doc.points),
    ...gauge('tsdb_backup_last_run_bytes', 'Repository bytes written by the last run.', doc.bytes),
  ];
  if (doc.lastSuccessAt !== null) {
    lines.push(...gauge('tsdb_backup_last_success_timestamp_seconds', 'When a run last succeeded.', doc.lastSuccessAt));
    if (doc.lastSuccessBackupId) {
      lines.push(...gauge('tsdb_backup_last_success_info', 'The backup the last successful run wrote.', 1, `{backup_id="${escapeLabel(doc.lastSuccessBackupId)}"}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

export async function writeStatusFile(path: string, status: RunStatus): Promise<void> {
  const prev = await previous(path);
  const doc: StatusDocument = {
    ...status,
    lastSuccessAt: status.success ? status.finishedAt : prev.at,
    lastSuccessBackupId: status.success ? (status.backupId ?? prev.id) : prev.id,
  };
  const text = path.endsWith('.prom') ? renderPrometheus(doc) : `${JSON.stringify(doc, null, 2)}\n`;
  const temp = `${path}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}
