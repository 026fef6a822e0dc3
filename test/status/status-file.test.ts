import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStatusFile, type RunStatus } from '../../src/status/status-file.js';

const ok: RunStatus = {
  command: 'incremental',
  success: true,
  startedAt: 1000,
  finishedAt: 1010,
  durationSeconds: 10,
  points: 500,
  bytes: 900,
  backupId: 'b1',
  exitCode: 0,
};
const failed: RunStatus = { ...ok, success: false, finishedAt: 2000, exitCode: 12, points: 0, bytes: 0, backupId: undefined, error: 'cannot reach' };
const pruned: RunStatus = { command: 'prune', success: true, startedAt: 2100, finishedAt: 2105, durationSeconds: 5, points: 0, bytes: 4096, exitCode: 0 };
const fullOk: RunStatus = {
  command: 'full',
  success: true,
  startedAt: 500,
  finishedAt: 600,
  durationSeconds: 100,
  points: 9000,
  bytes: 7000,
  backupId: 'f1',
  exitCode: 0,
};

describe('status file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-status-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('JSON keeps each command apart and its last success across a failed run', async () => {
    const f = path.join(dir, 'status.json');
    for (const s of [fullOk, ok, failed, pruned]) await writeStatusFile(f, s);
    const doc = JSON.parse(await readFile(f, 'utf8')) as { commands: Record<string, Record<string, unknown>> };
    expect(doc.commands.incremental).toMatchObject({ success: false, exitCode: 12, lastSuccessAt: 1010, lastSuccessBackupId: 'b1', error: 'cannot reach' });
    expect(doc.commands.prune).toMatchObject({ success: true, lastSuccessAt: 2105 });
    expect(doc.commands.full).toMatchObject({ success: true, lastSuccessAt: 600, lastSuccessBackupId: 'f1' });
  });

  it('Prometheus: a failed incremental followed by a successful prune still reports the failure, per command', async () => {
    const f = path.join(dir, 'tsdb_backup.prom');
    for (const s of [fullOk, ok, failed, pruned]) await writeStatusFile(f, s);
    const text = await readFile(f, 'utf8');
    expect(text).toContain('tsdb_backup_last_run_success{command="incremental"} 0\n');
    expect(text).toContain('tsdb_backup_last_run_exit_code{command="incremental"} 12\n');
    expect(text).toContain('tsdb_backup_last_success_timestamp_seconds{command="incremental"} 1010\n');
    expect(text).toContain('tsdb_backup_last_success_info{command="incremental",backup_id="b1"} 1\n');
    expect(text).toContain('tsdb_backup_last_run_success{command="prune"} 1\n');
    expect(text).toContain('tsdb_backup_last_success_timestamp_seconds{command="prune"} 2105\n');
    expect(text).toContain('tsdb_backup_last_success_timestamp_seconds{command="full"} 600\n');
    expect(text).toContain('tsdb_backup_last_run_duration_seconds{command="full"} 100\n');
    expect(text).toContain('tsdb_backup_last_success_info{command="full",backup_id="f1"} 1\n');
    // One HELP and TYPE per series name, every sample labelled by command.
    expect(text.match(/# TYPE tsdb_backup_last_run_success gauge/g)).toHaveLength(1);
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+\{command="\w+"(,backup_id="\w+")?\} [0-9.e+-]+)$/);
  });

  it('Prometheus: every series names the cluster (--name, else the TSD URL) and survives a rewrite', async () => {
    const f = path.join(dir, 'named.prom');
    await writeStatusFile(f, { ...fullOk, source: 'prod "eu"' });
    await writeStatusFile(f, { ...ok, source: 'prod "eu"' });
    const again1 = await writeStatusFile(f, { ...ok, source: 'prod "eu"' });
    expect(again1.replacedSource).toBeUndefined();
    const text = await readFile(f, 'utf8');
    expect(text).toContain('tsdb_backup_last_run_success{command="full",source="prod \\"eu\\""} 1\n');
    expect(text).toContain('tsdb_backup_last_success_info{command="incremental",source="prod \\"eu\\"",backup_id="b1"} 1\n');
    // A failed run keeps the last success, and the cluster label, when the file is read back.
    await writeStatusFile(f, { ...failed, source: 'prod "eu"' });
    const again = await readFile(f, 'utf8');
    expect(again).toContain('tsdb_backup_last_success_timestamp_seconds{command="incremental",source="prod \\"eu\\""} 1010\n');
    expect(again).toContain('tsdb_backup_last_run_points{command="full",source="prod \\"eu\\""} 9000\n');
  });

  it('a run for another cluster in the same file says whose status it replaced, and does not inherit its last success', async () => {
    for (const name of ['shared.prom', 'shared.json']) {
      const f = path.join(dir, name);
      await writeStatusFile(f, { ...fullOk, source: 'prod' });
      const r = await writeStatusFile(f, { ...fullOk, success: false, exitCode: 12, backupId: undefined, source: 'staging' });
      expect(r.replacedSource).toBe('prod');
      const text = await readFile(f, 'utf8');
      if (name.endsWith('.prom')) {
        expect(text).toContain('tsdb_backup_last_run_success{command="full",source="staging"} 0\n');
        expect(text).not.toContain('tsdb_backup_last_success_timestamp_seconds');
        expect(text).not.toContain('f1');
      } else {
        expect(JSON.parse(text).commands.full).toMatchObject({ source: 'staging', success: false, lastSuccessAt: null, lastSuccessBackupId: null });
      }
    }
  });

  it('a file that is not ours is replaced, not a reason to fail the run', async () => {
    const f = path.join(dir, 'odd.json');
    await writeStatusFile(f, ok);
    await import('node:fs/promises').then((fs) => fs.writeFile(f, '{"something":"else"}'));
    await writeStatusFile(f, pruned);
    const doc = JSON.parse(await readFile(f, 'utf8')) as { commands: Record<string, unknown> };
    expect(Object.keys(doc.commands)).toEqual(['prune']);
  });
});

describe('status files written by the version before commands were kept apart', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-status-old-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keep their last success (JSON)', async () => {
    const f = path.join(dir, 'old.json');
    await writeFile(f, JSON.stringify({ ...ok, lastSuccessAt: 1010, lastSuccessBackupId: 'b1' }));
    await writeStatusFile(f, failed);
    const doc = JSON.parse(await readFile(f, 'utf8')) as { commands: Record<string, Record<string, unknown>> };
    expect(doc.commands.incremental).toMatchObject({ success: false, lastSuccessAt: 1010, lastSuccessBackupId: 'b1' });
  });

  it('keep their last success (Prometheus, unlabelled series)', async () => {
    const f = path.join(dir, 'old.prom');
    await writeFile(
      f,
      [
        'tsdb_backup_last_run_info{command="incremental"} 1',
        'tsdb_backup_last_run_success 1',
        'tsdb_backup_last_success_timestamp_seconds 1010',
        'tsdb_backup_last_success_info{backup_id="b1"} 1',
        '',
      ].join('\n'),
    );
    await writeStatusFile(f, failed);
    const text = await readFile(f, 'utf8');
    expect(text).toContain('tsdb_backup_last_success_timestamp_seconds{command="incremental"} 1010\n');
    expect(text).toContain('tsdb_backup_last_success_info{command="incremental",backup_id="b1"} 1\n');
    expect(text).toContain('tsdb_backup_last_run_success{command="incremental"} 0\n');
  });
});
