import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStatusFile, type RunStatus } from '../../src/status/status-file.js';

const ok: RunStatus = { command: 'incremental', success: true, startedAt: 1000, finishedAt: 1010, durationSeconds: 10, points: 500, bytes: 900, backupId: 'b1', exitCode: 0 };
const failed: RunStatus = { ...ok, success: false, finishedAt: 2000, exitCode: 12, points: 0, bytes: 0, backupId: undefined, error: 'cannot reach' };

describe('status file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-status-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('JSON keeps the last success across a failed run', async () => {
    const f = path.join(dir, 'status.json');
    await writeStatusFile(f, ok);
    await writeStatusFile(f, failed);
    const doc = JSON.parse(await readFile(f, 'utf8')) as Record<string, unknown>;
    expect(doc).toMatchObject({ success: false, exitCode: 12, lastSuccessAt: 1010, lastSuccessBackupId: 'b1', error: 'cannot reach' });
  });

  it('Prometheus text format for the textfile collector', async () => {
    const f = path.join(dir, 'tsdb_backup.prom');
    await writeStatusFile(f, ok);
    await writeStatusFile(f, failed);
    const text = await readFile(f, 'utf8');
    expect(text).toContain('tsdb_backup_last_run_success 0\n');
    expect(text).toContain('tsdb_backup_last_run_exit_code 12\n');
    expect(text).toContain('tsdb_backup_last_success_timestamp_seconds 1010\n');
    expect(text).toContain('tsdb_backup_last_success_info{backup_id="b1"} 1\n');
    expect(text).toContain('tsdb_backup_last_run_info{command="incremental"} 1\n');
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? [0-9.e+-]+)$/);
  });
});
