import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TsdHealth } from '../../src/health/health-result.js';
import { writeHealthStatusFile } from '../../src/status/health-status-file.js';
import { useTempDir } from '../support/temp-dir.js';

const at = '2026-11-01T12:00:00.000Z';
const healthy: TsdHealth = {
  url: 'http://a:4242',
  verdict: 'healthy',
  reasons: [],
  steps: [
    { name: 'version', ok: true, ms: 3 },
    { name: 'query', ok: true, ms: 1250 },
  ],
  version: '2.4.1',
  limits: null,
  canary: null,
  checkedAt: at,
};
const down: TsdHealth = {
  ...healthy,
  url: 'http://b:4242/"odd\\',
  verdict: 'down',
  reasons: ['cannot reach the TSD: connect ECONNREFUSED'],
  steps: [{ name: 'version', ok: false, ms: 2, error: 'cannot reach' }],
  version: null,
};

describe('health status file', () => {
  const tempDir = useTempDir('tsdb-backup-health-status-');

  it('Prometheus: up, healthy, a one-hot verdict, step latencies and the check time per TSD', async () => {
    const f = path.join(tempDir(), 'health.prom');
    await writeHealthStatusFile(f, [healthy, down], new Date(at));
    const text = await readFile(f, 'utf8');
    const b = 'http://b:4242/\\"odd\\\\';
    for (const line of [
      'tsdb_backup_tsd_up{tsd="http://a:4242"} 1',
      `tsdb_backup_tsd_up{tsd="${b}"} 0`,
      'tsdb_backup_tsd_healthy{tsd="http://a:4242"} 1',
      `tsdb_backup_tsd_healthy{tsd="${b}"} 0`,
      'tsdb_backup_tsd_verdict{tsd="http://a:4242",verdict="healthy"} 1',
      'tsdb_backup_tsd_verdict{tsd="http://a:4242",verdict="degraded"} 0',
      'tsdb_backup_tsd_verdict{tsd="http://a:4242",verdict="down"} 0',
      `tsdb_backup_tsd_verdict{tsd="${b}",verdict="down"} 1`,
      'tsdb_backup_tsd_step_seconds{tsd="http://a:4242",step="version"} 0.003',
      'tsdb_backup_tsd_step_seconds{tsd="http://a:4242",step="query"} 1.25',
      `tsdb_backup_tsd_step_success{tsd="${b}",step="version"} 0`,
      `tsdb_backup_tsd_last_check_timestamp_seconds{tsd="http://a:4242"} ${Date.parse(at) / 1000}`,
    ]) {
      expect(text).toContain(`${line}\n`);
    }
    expect(text.match(/# TYPE tsdb_backup_tsd_verdict gauge/g)).toHaveLength(1);
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+\{tsd="(?:[^"\\]|\\.)*"(,\w+="[\w-]+")?\} [0-9.e+-]+)$/);
  });

  it('JSON: every TSD with its steps; rewritten whole, no temp file left', async () => {
    const f = path.join(tempDir(), 'health.json');
    await writeHealthStatusFile(f, [healthy, down], new Date(at));
    await writeHealthStatusFile(f, [down], new Date(at));
    const doc = JSON.parse(await readFile(f, 'utf8')) as { format: string; tsds: TsdHealth[] };
    expect(doc).toEqual({ format: 'tsdb-backup-health', version: 1, writtenAt: at, tsds: [down] });
    expect((await readdir(tempDir())).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
