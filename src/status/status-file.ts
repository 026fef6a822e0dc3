// A status file for monitoring: JSON, or the Prometheus text format (file name ending in .prom) for
// node_exporter's textfile collector. One file may serve several commands (full, incremental, prune):
// each command's runs are kept apart (a `command` label, a `commands` key), so that "no full backup
// for 8 days" and "no incremental for 1 hour" can both be alerted on, and a successful prune never
// hides a failed incremental. A command's last success survives its failed runs. Written atomically
// (temp file + rename) so a scraper never reads half a file.

import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs/atomic-file.js';

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
  /** The cluster the run backed up: its --name, else its TSD URL (JSON field and .prom label `source`). */
  source?: string;
  exitCode: number;
  error?: string;
}

export interface CommandStatus extends RunStatus {
  lastSuccessAt: number | null;
  lastSuccessBackupId: string | null;
}

export const STATUS_FORMAT = 'tsdb-backup-status';

/** Every series of the .prom file, in the order written; the README documents each. */
export const PROMETHEUS_SERIES: Array<{ name: string; help: string; value: (s: CommandStatus) => number | null }> = [
  { name: 'tsdb_backup_last_run_success', help: '1 if the last run of the command succeeded, else 0.', value: (s) => (s.success ? 1 : 0) },
  { name: 'tsdb_backup_last_run_timestamp_seconds', help: 'When the last run of the command finished (Unix seconds).', value: (s) => s.finishedAt },
  { name: 'tsdb_backup_last_run_duration_seconds', help: 'How long the last run of the command took.', value: (s) => s.durationSeconds },
  { name: 'tsdb_backup_last_run_exit_code', help: 'Exit code of the last run of the command.', value: (s) => s.exitCode },
  { name: 'tsdb_backup_last_run_points', help: 'Data points the last run of the command handled.', value: (s) => s.points },
  { name: 'tsdb_backup_last_run_bytes', help: 'Repository bytes the last run of the command wrote (prune: freed).', value: (s) => s.bytes },
  { name: 'tsdb_backup_last_success_timestamp_seconds', help: 'When a run of the command last succeeded (Unix seconds).', value: (s) => s.lastSuccessAt },
];
const INFO_SERIES = 'tsdb_backup_last_success_info';

/** A Prometheus label value: backslash, double quote and newline escaped. */
export function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function unescapeLabel(v: string): string {
  return v.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

/**
 * The labels of a command's samples: the command, and the cluster when the run named one, as `source`
 * (the JSON file's and `list`'s name for it; `cluster` is often a target or external label already).
 */
function labelsOf(s: CommandStatus): string {
  return `command="${escapeLabel(s.command)}"${s.source === undefined ? '' : `,source="${escapeLabel(s.source)}"`}`;
}

export function renderPrometheus(commands: ReadonlyMap<string, CommandStatus>): string {
  const names = [...commands.keys()].sort();
  const lines: string[] = [];
  for (const series of PROMETHEUS_SERIES) {
    const rows = names.flatMap((c) => {
      const v = series.value(commands.get(c)!);
      return v === null ? [] : [`${series.name}{${labelsOf(commands.get(c)!)}} ${v}`];
    });
    if (rows.length > 0) lines.push(`# HELP ${series.name} ${series.help}`, `# TYPE ${series.name} gauge`, ...rows);
  }
  const info = names.flatMap((c) => {
    const id = commands.get(c)!.lastSuccessBackupId;
    return id ? [`${INFO_SERIES}{${labelsOf(commands.get(c)!)},backup_id="${escapeLabel(id)}"} 1`] : [];
  });
  if (info.length > 0) lines.push(`# HELP ${INFO_SERIES} The backup the command's last successful run wrote.`, `# TYPE ${INFO_SERIES} gauge`, ...info);
  return `${lines.join('\n')}\n`;
}

/** The commands' statuses a .prom file holds (what is needed to carry them over). */
function parsePrometheus(text: string): Map<string, CommandStatus> {
  const out = new Map<string, CommandStatus>();
  const get = (c: string): CommandStatus => {
    let s = out.get(c);
    if (!s) {
      s = {
        command: c,
        success: false,
        startedAt: 0,
        finishedAt: 0,
        durationSeconds: 0,
        points: 0,
        bytes: 0,
        exitCode: 0,
        lastSuccessAt: null,
        lastSuccessBackupId: null,
      };
      out.set(c, s);
    }
    return s;
  };
  const line = /^(\w+)\{command="((?:[^"\\]|\\.)*)"(?:,source="((?:[^"\\]|\\.)*)")?(?:,backup_id="((?:[^"\\]|\\.)*)")?\} (\S+)$/;
  // Files written before the command label (one command per file) name their command only here.
  const legacy = /^tsdb_backup_last_run_info\{command="((?:[^"\\]|\\.)*)"\} 1$/m.exec(text)?.[1];
  for (const raw of text.split('\n')) {
    let l = raw;
    if (legacy !== undefined && !raw.startsWith('tsdb_backup_last_run_info')) {
      const old = /^(\w+)(\{backup_id="(?:[^"\\]|\\.)*"\})? (\S+)$/.exec(raw);
      if (old) l = `${old[1]}{command="${legacy}"${old[2] ? `,${old[2].slice(1, -1)}` : ''}} ${old[3]}`;
    }
    const m = line.exec(l);
    if (!m) continue;
    const s = get(unescapeLabel(m[2]!));
    if (m[3] !== undefined) s.source = unescapeLabel(m[3]);
    const v = Number(m[5]);
    switch (m[1]) {
      case 'tsdb_backup_last_run_success':
        s.success = v === 1;
        break;
      case 'tsdb_backup_last_run_timestamp_seconds':
        s.finishedAt = v;
        s.startedAt = v;
        break;
      case 'tsdb_backup_last_run_duration_seconds':
        s.durationSeconds = v;
        s.startedAt = s.finishedAt - v;
        break;
      case 'tsdb_backup_last_run_exit_code':
        s.exitCode = v;
        break;
      case 'tsdb_backup_last_run_points':
        s.points = v;
        break;
      case 'tsdb_backup_last_run_bytes':
        s.bytes = v;
        break;
      case 'tsdb_backup_last_success_timestamp_seconds':
        s.lastSuccessAt = v;
        break;
      case INFO_SERIES:
        s.lastSuccessBackupId = m[4] === undefined ? null : unescapeLabel(m[4]);
        break;
    }
  }
  return out;
}

function parseJson(text: string): Map<string, CommandStatus> {
  const doc = JSON.parse(text) as { format?: string; commands?: Record<string, CommandStatus> } & Partial<CommandStatus>;
  // A file written before commands were kept apart held one command's status at the top level.
  if (doc.format === undefined && typeof doc.command === 'string') return new Map([[doc.command, doc as CommandStatus]]);
  if (doc.format !== STATUS_FORMAT || typeof doc.commands !== 'object' || doc.commands === null) return new Map();
  return new Map(Object.entries(doc.commands));
}

async function previous(path: string): Promise<Map<string, CommandStatus>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return new Map();
  }
  try {
    return path.endsWith('.prom') ? parsePrometheus(text) : parseJson(text);
  } catch {
    return new Map(); // not ours, or damaged: start afresh rather than fail the run
  }
}

export interface StatusWrite {
  /** The cluster whose status of this command the file held before, when it was another one. */
  replacedSource?: string;
}

export async function writeStatusFile(path: string, status: RunStatus): Promise<StatusWrite> {
  const commands = await previous(path);
  const prev = commands.get(status.command);
  const replaced = prev?.source !== undefined && status.source !== undefined && prev.source !== status.source;
  // Another cluster's last success says nothing about this one's.
  const kept = replaced ? undefined : prev;
  commands.set(status.command, {
    ...status,
    lastSuccessAt: status.success ? status.finishedAt : (kept?.lastSuccessAt ?? null),
    lastSuccessBackupId: status.success ? (status.backupId ?? kept?.lastSuccessBackupId ?? null) : (kept?.lastSuccessBackupId ?? null),
  });
  const text = path.endsWith('.prom')
    ? renderPrometheus(commands)
    : `${JSON.stringify({ format: STATUS_FORMAT, version: 2, commands: Object.fromEntries([...commands].sort(([a], [b]) => (a < b ? -1 : 1))) }, null, 2)}\n`;
  await writeFileAtomic(path, text);
  return replaced ? { replacedSource: prev.source } : {};
}
