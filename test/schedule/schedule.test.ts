import { describe, expect, it } from 'vitest';
import { upcomingRuns } from '../../src/schedule/next-runs.js';
import { parseScheduleConfig } from '../../src/schedule/schedule-config.js';
import { runScheduler } from '../../src/schedule/scheduler.js';
import { jobArgs } from '../../src/cli/commands/schedule.js';

const base = { source: 'http://tsd:4242', repo: '/backups', full: { cron: '0 3 * * 0' }, incremental: { cron: '*/15 * * * *' } };

describe('schedule config', () => {
  it('accepts a complete config and fills defaults', () => {
    const c = parseScheduleConfig({ ...base, timezone: 'Europe/Amsterdam', retention: { keepDaily: 7, keepWithin: '2d' } }, 'cfg.json');
    expect(c.waitLock).toBe('30m');
    expect(c.metrics).toEqual([]);
  });

  it.each([
    [{ ...base, full: { cron: '61 * * * *' } }, /field 'full.cron': invalid cron expression '61 \* \* \* \*'/],
    [{ ...base, incremental: { cron: 'every 15 minutes' } }, /field 'incremental.cron'/],
    [{ ...base, timezone: 'Mars/Olympus' }, /field 'timezone'/],
    [{ ...base, source: 'not a url' }, /field 'source'/],
    [{ ...base, source: 'htp:/x' }, /field 'source'/],
    [{ ...base, repo: 's3://' }, /field 'repo'/],
    [{ ...base, waitLock: '99999999999999999999y' }, /field 'waitLock'/],
    [{ ...base, retention: { keepDaily: -1 } }, /field 'retention.keepDaily'/],
    [{ ...base, retention: { keepWithin: '2 days' } }, /field 'retention.keepWithin'/],
    [{ ...base, surprise: true }, /surprise/],
    [{ repo: '/b', full: { cron: '0 3 * * *' } }, /field 'source'/],
  ])('rejects %j naming the field', (doc, message) => {
    expect(() => parseScheduleConfig(doc, 'cfg.json')).toThrow(message);
  });
});

describe('run times', () => {
  it('lists runs in the configured time zone, a full winning over an incremental due at the same time', () => {
    const c = parseScheduleConfig({ ...base, timezone: 'Europe/Amsterdam', full: { cron: '0 3 * * *' }, incremental: { cron: '0 * * * *' } }, 'c');
    const runs = upcomingRuns(c, new Date('2026-11-24T00:30:00Z'), 3);
    // 03:00 in Amsterdam (UTC+1 in November) is 02:00Z.
    expect(runs.map((r) => `${r.at.toISOString()} ${r.job}`)).toEqual([
      '2026-11-24T01:00:00.000Z incremental',
      '2026-11-24T02:00:00.000Z full',
      '2026-11-24T03:00:00.000Z incremental',
    ]);
  });
});

describe('the scheduler loop', () => {
  it('runs each job on time, one at a time, prunes after success, and stops on its signal', async () => {
    const c = parseScheduleConfig({ ...base, full: { cron: '0 * * * *' }, incremental: { cron: '*/20 * * * *' }, retention: { keepLast: 3 } }, 'c');
    let t = Date.parse('2026-11-24T00:05:00Z');
    const ctl = new AbortController();
    const ran: string[] = [];
    let running = 0;
    const summary = await runScheduler(c, {
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
      },
      log: () => undefined,
      signal: ctl.signal,
      runJob: async (job) => {
        expect(running).toBe(0);
        running++;
        ran.push(`${new Date(t).toISOString().slice(11, 16)} ${job}`);
        t += 5 * 60_000; // each job takes 5 minutes
        running--;
        if (ran.length >= 6) ctl.abort();
        return job === 'incremental' && ran.length === 3 ? 1 : 0;
      },
    });
    expect(ran).toEqual(['00:20 incremental', '00:25 prune', '00:40 incremental', '01:00 full', '01:05 prune', '01:20 incremental']);
    expect(summary.runs.map((r) => r.exitCode)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('turns the config into the same command lines an operator would run', () => {
    const c = parseScheduleConfig(
      {
        ...base,
        metrics: ['sys.*'],
        statusFile: '/tmp/s.prom',
        incremental: { cron: '* * * * *', overlap: '2h' },
        retention: { keepLast: 2, keepWithin: '1d' },
      },
      'c',
    );
    expect(jobArgs(c, 'incremental')).toEqual([
      'incremental',
      '--source',
      'http://tsd:4242',
      '--repo',
      '/backups',
      '--wait-lock',
      '30m',
      '--metric',
      'sys.*',
      '--status-file',
      '/tmp/s.prom',
      '--full-if-missing',
      '--overlap',
      '2h',
    ]);
    expect(jobArgs(c, 'prune')).toEqual([
      'prune',
      '--repo',
      '/backups',
      '--wait-lock',
      '30m',
      '--source',
      'http://tsd:4242',
      '--timezone',
      'UTC',
      '--keep-last',
      '2',
      '--keep-within',
      '1d',
      '--status-file',
      '/tmp/s.prom',
    ]);
  });

  it('repoArgs (the password file of an encrypted repository, S3 options) go to every job, prune too', () => {
    const c = parseScheduleConfig(
      { ...base, repoArgs: ['--password-file', '/etc/tsdb-backup/password'], backupArgs: ['--timeout', '5m'], retention: { keepLast: 2 } },
      'c',
    );
    for (const job of ['full', 'incremental', 'prune'] as const)
      expect(jobArgs(c, job).join(' ')).toContain('--repo /backups --wait-lock 30m --password-file /etc/tsdb-backup/password');
    expect(jobArgs(c, 'prune')).not.toContain('--timeout');
  });

  it("the config's s3 and password settings go to every job as flags", () => {
    const c = parseScheduleConfig(
      {
        ...base,
        repo: 's3://bucket/tsdb',
        s3: { endpoint: 'http://minio:9000', forcePathStyle: true, sse: 'AES256', contentMd5: false },
        passwordFile: '/etc/pw',
        retention: { keepLast: 2 },
      },
      'c',
    );
    for (const job of ['full', 'incremental', 'prune'] as const) {
      expect(jobArgs(c, job).join(' ')).toContain(
        '--repo s3://bucket/tsdb --wait-lock 30m --s3-endpoint http://minio:9000 --s3-force-path-style --s3-sse AES256 --no-s3-content-md5 --password-file /etc/pw',
      );
    }
  });

  it("the config's storage limits go to every job as flags, and a bad one is named by its field", () => {
    const c = parseScheduleConfig({ ...base, limits: { upload: '50MB', download: '20MiB' }, retention: { keepLast: 2 } }, 'c');
    for (const job of ['full', 'incremental', 'prune'] as const) expect(jobArgs(c, job).join(' ')).toContain('--limit-upload 50MB --limit-download 20MiB');
    expect(() => parseScheduleConfig({ ...base, limits: { upload: 'fast' } }, 'c')).toThrow(/field 'limits.upload': must be a rate in bytes per second/);
  });

  it('a named cluster: its backups carry the name, and its prune touches only its own backups', () => {
    const c = parseScheduleConfig({ ...base, name: 'prod-eu', retention: { keepLast: 2 } }, 'c');
    expect(jobArgs(c, 'full').slice(0, 5)).toEqual(['full', '--source', 'http://tsd:4242', '--name', 'prod-eu']);
    expect(jobArgs(c, 'prune')).toContain('prod-eu');
    expect(() => parseScheduleConfig({ ...base, name: 'no spaces' }, 'c')).toThrow(/field 'name'/);
  });
});

describe('the example schedule in fixtures/', () => {
  it('is a valid config', async () => {
    const { loadScheduleConfig } = await import('../../src/schedule/schedule-config.js');
    const c = await loadScheduleConfig(new URL('../../fixtures/schedule.example.json', import.meta.url).pathname);
    expect(c.incremental?.cron).toBe('*/15 * * * *');
  });
});

describe('the schedule command', () => {
  const writeConfig = async (doc: object): Promise<string> => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(`${tmpdir()}/schedule-`);
    await writeFile(`${dir}/schedule.json`, JSON.stringify(doc));
    return `${dir}/schedule.json`;
  };

  it('--print gives the run times in the config time zone, with its offset', async () => {
    const { cli } = await import('../support/run-cli-in-process.js');
    const file = await writeConfig({ ...base, timezone: 'Europe/Amsterdam', full: { cron: '0 3 * * *' }, incremental: { cron: '30 2 * * *' } });
    const r = await cli(['schedule', '--config', file, '--print', '3'], { now: () => new Date('2026-11-24T00:30:00Z') });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2026-11-24T02:30:00+01:00  incremental\n2026-11-24T03:00:00+01:00  full\n2026-11-25T02:30:00+01:00  incremental\n');
  });

  it('--print in summer time and in UTC', async () => {
    const { cli } = await import('../support/run-cli-in-process.js');
    const summer = await writeConfig({ ...base, timezone: 'Europe/Amsterdam', full: { cron: '0 3 * * *' }, incremental: undefined });
    expect((await cli(['schedule', '--config', summer, '--print', '1'], { now: () => new Date('2026-07-01T00:00:00Z') })).stdout).toBe(
      '2026-07-01T03:00:00+02:00  full\n',
    );
    const utc = await writeConfig({ ...base, full: { cron: '0 3 * * *' }, incremental: undefined });
    expect((await cli(['schedule', '--config', utc, '--print', '1'], { now: () => new Date('2026-07-01T00:00:00Z') })).stdout).toBe(
      '2026-07-01T03:00:00+00:00  full\n',
    );
  });

  it('exits 0 when asked to stop (SIGTERM, Ctrl-C) while waiting for the next run', async () => {
    const { cli } = await import('../support/run-cli-in-process.js');
    const file = await writeConfig(base);
    const ctl = new AbortController();
    const r = await cli(['schedule', '--config', file], {
      signal: ctl.signal,
      now: () => new Date('2026-11-24T00:05:00Z'),
      sleep: async () => {
        ctl.abort(new Error('SIGTERM'));
        throw new Error('aborted');
      },
    });
    expect(r.stderr).toContain('scheduler stopped');
    expect(r.code).toBe(0);
  });
});

describe('a stop during a running job', () => {
  it('the job is interrupted (it gets the signal), the scheduler says so, runs nothing more, and returns', async () => {
    const c = parseScheduleConfig({ ...base, retention: { keepLast: 1 } }, 'c');
    const ctl = new AbortController();
    const lines: string[] = [];
    const ran: string[] = [];
    let t = Date.parse('2026-11-24T00:10:00Z');
    const summary = await runScheduler(c, {
      now: () => new Date(t),
      sleep: async (ms) => {
        t += ms;
      },
      log: (l) => lines.push(l),
      signal: ctl.signal,
      runJob: async (job) => {
        ran.push(job);
        ctl.abort(new Error('SIGTERM'));
        return 130;
      },
    });
    expect(ran).toEqual(['incremental']);
    expect(summary.runs).toEqual([{ job: 'incremental', at: '2026-11-24T00:15:00.000Z', exitCode: 130 }]);
    expect(lines.join('\n')).toMatch(/incremental was interrupted by the stop/);
    expect(lines.at(-1)).toBe('scheduler stopped');
  });
});
