// tsdb-backup export against the fake TSD: both formats carry every value exactly as the importer or
// /api/put reads it, an overlapping chain prints each point once with its newest value, in time order,
// and every way of delivering less than everything exits non-zero.

import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'lossless-json';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutputClosedError } from '../../src/inspect/export-errors.js';
import type { SeedPoint } from '../support/dataset.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { runShell } from '../support/run-shell.js';

const T0 = Date.UTC(2026, 5, 1, 12);
const MIN = 60_000;
const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');

function summaryOf(r: { json: Array<Record<string, unknown>> }): Record<string, unknown> {
  return r.json.find((j) => j.type === 'summary') ?? {};
}

/** The points of the value test: 64-bit limits, floats that must stay floats, odd names, ms timestamps. */
const VALUES: SeedPoint[] = [
  { metric: 'x.int', tags: { host: 'a' }, timestamp: T0, value: '9223372036854775807' },
  { metric: 'x.int', tags: { host: 'a' }, timestamp: T0 + 1_001, value: '-9223372036854775808' },
  { metric: 'x.int', tags: { host: 'a' }, timestamp: T0 + 2_000, value: '9007199254740993' },
  { metric: 'x.int', tags: { host: 'a' }, timestamp: T0 + 3_000, value: '0' },
  // Beyond the 4-byte float range: jsonl carries it, the importer cannot store it.
  { metric: 'x.huge', tags: { host: 'a' }, timestamp: T0, value: '1e300' },
  // Below the 4-byte float range: the importer would store 0.
  { metric: 'x.tiny', tags: { host: 'a' }, timestamp: T0, value: '1e-100' },
  { metric: 'x.tiny', tags: { host: 'a' }, timestamp: T0 + 1_000, value: '5e-324' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0, value: '0.1' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0 + 1_000, value: '1.0' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0 + 2_000, value: '-0.0' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0 + 3_000, value: '3.4e38' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0 + 4_007, value: '1.5e-45' },
  { metric: 'x.float', tags: { host: 'zürich', path: 'a/b-c_d.e' }, timestamp: T0 + 5_000, value: '1E3' },
];

describe('export (fake TSD)', () => {
  let tsd: FakeTsd;
  let repo: string;
  beforeAll(async () => {
    tsd = await startFakeTsd({ autoCreateMetrics: true, fixDuplicates: true });
  });
  afterAll(async () => {
    await tsd.close();
  });
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-export-'));
    await initRepo(repo);
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  const full = async (metric: string, now: number, start = T0 - 60 * MIN): Promise<Record<string, unknown>> => {
    const r = await cli(['full', '--source', tsd.url, '--repo', repo, '--metric', metric, '--start', String(start), '--json'], { now: () => new Date(now) });
    expect(r.code, r.stderr).toBe(0);
    return summaryOf(r);
  };

  it('--format import writes the lines `tsdb import` reads back to the same integers and the same floats (as 4-byte floats)', async () => {
    await putPoints(tsd.url, VALUES);
    await full('x.*', T0 + 60 * MIN);
    const huge = await cli(['export', '--repo', repo, '--metric', 'x.huge']);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toContain(
      `the point of x.huge {"host":"a"} at ${T0} cannot be written as \`tsdb import\` text: value 1e+300 is not a finite 4-byte float`,
    );
    expect(huge.stderr).toContain('hint: `--format jsonl` carries every value and name exactly');
    const tiny = await cli(['export', '--repo', repo, '--metric', 'x.tiny']);
    expect(tiny.code).toBe(1);
    expect(tiny.stderr).toContain(
      `the point of x.tiny {"host":"a"} at ${T0} cannot be written as \`tsdb import\` text: value 1e-100 is too small for a 4-byte float: the importer would store 0`,
    );
    const r = await cli(['export', '--repo', repo, '--exclude', 'x.huge', '--exclude', 'x.tiny']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(
      [
        `x.int ${T0 / 1000} 9223372036854775807 host=a`,
        `x.int ${T0 + 1_001} -9223372036854775808 host=a`,
        `x.int ${T0 / 1000 + 2} 9007199254740993 host=a`,
        `x.int ${T0 / 1000 + 3} 0 host=a`,
        // A float always has a '.' or an exponent (the importer parses anything else as a long); 1.0 stays 1.0.
        `x.float ${T0 / 1000} 0.1 host=zürich path=a/b-c_d.e`,
        `x.float ${T0 / 1000 + 1} 1.0 host=zürich path=a/b-c_d.e`,
        `x.float ${T0 / 1000 + 2} -0.0 host=zürich path=a/b-c_d.e`,
        `x.float ${T0 / 1000 + 3} 3.4e+38 host=zürich path=a/b-c_d.e`,
        `x.float ${T0 + 4_007} 1.5e-45 host=zürich path=a/b-c_d.e`,
        `x.float ${T0 / 1000 + 5} 1000.0 host=zürich path=a/b-c_d.e`,
      ].sort(),
    );
    expect(r.stderr).toMatch(/exported backup \S+ \(chain \S+\) as import: 10 points of 2 series and 2 metrics from 2 chunks/);
  });

  it('--format jsonl writes /api/put objects whose values keep 64-bit integers and floats exactly', async () => {
    await putPoints(tsd.url, VALUES);
    await full('x.*', T0 + 60 * MIN);
    const r = await cli(['export', '--repo', repo, '--format', 'jsonl']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(VALUES.length);
    const got = new Map<string, { value: string; tags: Record<string, string> }>();
    for (const line of lines) {
      const o = parse(line, null, (t) => t) as { metric: string; timestamp: string; value: string; tags: Record<string, string> };
      expect(Object.keys(o).sort()).toEqual(['metric', 'tags', 'timestamp', 'value']);
      const ms = o.timestamp.length <= 10 ? Number(o.timestamp) * 1000 : Number(o.timestamp);
      got.set(`${o.metric}@${ms}`, { value: o.value, tags: o.tags });
    }
    for (const p of VALUES) {
      const g = got.get(`${p.metric}@${p.timestamp}`)!;
      expect(g.tags).toEqual(p.tags);
      if (/[.eE]/.test(p.value)) {
        expect(g.value).toMatch(/[.eE]/);
        expect(Object.is(Number(g.value), Number(p.value))).toBe(true);
      } else expect(g.value).toBe(p.value);
    }
  });

  it('a chain whose incremental read again a rewritten point prints that point once, with the newer value', async () => {
    const m = 'ov.m';
    const pts = Array.from({ length: 20 }, (_, i): SeedPoint => ({ metric: m, tags: { host: 'h' }, timestamp: T0 + i * MIN, value: String(i) }));
    await putPoints(tsd.url, pts);
    const f = await full(m, T0 + 30 * MIN);
    // The source rewrites a point the full holds (fix_duplicates: the newest wins) and one more arrives.
    await putPoints(tsd.url, [
      { metric: m, tags: { host: 'h' }, timestamp: T0 + 15 * MIN, value: '1500' },
      { metric: m, tags: { host: 'h' }, timestamp: T0 + 40 * MIN, value: '40' },
    ]);
    const inc = await cli(['incremental', '--source', tsd.url, '--repo', repo, '--overlap', '20m', '--json'], { now: () => new Date(T0 + 50 * MIN) });
    expect(inc.code, inc.stderr).toBe(0);
    // The two backups overlap: the incremental read again times the full holds.
    expect(Number(summaryOf(inc).start)).toBeLessThanOrEqual(T0 + 15 * MIN);
    expect(Number(summaryOf(inc).start)).toBeLessThan(Number(f.end));
    const r = await cli(['export', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const expected = [...pts.map((p) => (p.timestamp === T0 + 15 * MIN ? '1500' : p.value)), '40'];
    expect(lines).toEqual([...pts.map((p) => p.timestamp), T0 + 40 * MIN].map((t, i) => `${m} ${t / 1000} ${expected[i]} host=h`));
    const dry = await cli(['restore', '--repo', repo, '--dry-run', '--json']);
    expect(summaryOf(dry).points).toBe(lines.length);
  });

  it("an incremental within the settle lag of its full (it owns times before the full's last ones) still comes out in time order", async () => {
    const m = 'settle.m';
    const now = T0 + 30 * MIN;
    const pts = [300, 200, 150, 60, 30, 5].map((s): SeedPoint => ({ metric: m, tags: { host: 'a' }, timestamp: now - s * 1000, value: String(s) }));
    await putPoints(tsd.url, pts);
    await full(m, now, now - 10 * MIN);
    const inc = await cli(['incremental', '--source', tsd.url, '--repo', repo, '--json'], { now: () => new Date(now + 1000) });
    expect(inc.code, inc.stderr).toBe(0);
    expect(Number(summaryOf(inc).end)).toBeLessThan(now - 1000);
    const r = await cli(['export', '--repo', repo]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(pts.map((p) => `${m} ${p.timestamp / 1000} ${p.value} host=a`));
  });

  it('--metric, --start and --end select as restore does; an empty selection exits 5 unless --allow-empty', async () => {
    await putPoints(tsd.url, VALUES);
    await full('x.*', T0 + 60 * MIN);
    const r = await cli(['export', '--repo', repo, '--metric', 'x.int', '--start', String(T0 + 1), '--end', String(T0 + 2_000)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`x.int ${T0 + 1_001} -9223372036854775808 host=a\nx.int ${T0 / 1000 + 2} 9007199254740993 host=a\n`);
    const none = await cli(['export', '--repo', repo, '--metric', 'nope']);
    expect(none.code).toBe(5);
    expect(none.stdout).toBe('');
    expect((await cli(['export', '--repo', repo, '--metric', 'nope', '--allow-empty', '--quiet'])).code).toBe(0);
  });

  it('without an id it never falls back silently to an older backup when the newest manifest cannot be read; --at picks by time', async () => {
    await putPoints(tsd.url, VALUES);
    const first = await full('x.int', T0 + 60 * MIN);
    await putPoints(tsd.url, [{ metric: 'x.int', tags: { host: 'a' }, timestamp: T0 + 70 * MIN, value: '7' }]);
    const second = await full('x.int', T0 + 80 * MIN);
    const byAt = await cli(['export', '--repo', repo, '--at', new Date(T0 + 61 * MIN).toISOString(), '--quiet']);
    expect(byAt.code, byAt.stderr).toBe(0);
    expect(byAt.stdout.split('\n').filter(Boolean)).toHaveLength(4);
    await writeFile(path.join(repo, 'backups', String(second.backupId), 'manifest.json'), '{"broken":');
    const r = await cli(['export', '--repo', repo]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the newest backup may be ${String(second.backupId)}, whose manifest cannot be read`);
    expect((await cli(['export', '--repo', repo, String(first.backupId), '--quiet'])).code).toBe(0);
  });

  it('a corrupt chunk stops the export with exit 4, naming the chunk, metric and window', async () => {
    await putPoints(tsd.url, VALUES);
    await full('x.*', T0 + 60 * MIN);
    const dir = path.join(repo, 'data');
    for (const sub of await readdir(dir)) for (const file of await readdir(path.join(dir, sub))) await writeFile(path.join(dir, sub, file), 'garbage');
    const r = await cli(['export', '--repo', repo]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /cannot export x\.(int|float) 2026-06-01T\S+\.\.2026-06-01T\S+ of backup \S+: chunk data\/\S+ in \S+ is corrupt: .*; 0 points were written before it, the export is incomplete/,
    );
  });

  it('a tampered chunk of an encrypted repository stops the export with exit 15', async () => {
    const enc = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-export-enc-'));
    const env = { TSDB_BACKUP_PASSWORD: 'export-secret' };
    try {
      await initRepo(enc, { password: env.TSDB_BACKUP_PASSWORD });
      await putPoints(tsd.url, VALUES);
      const b = await cli(['full', '--source', tsd.url, '--repo', enc, '--metric', 'x.int', '--start', String(T0 - MIN)], {
        env,
        now: () => new Date(T0 + 60 * MIN),
      });
      expect(b.code, b.stderr).toBe(0);
      const ok = await cli(['export', '--repo', enc, '--quiet'], { env });
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout.split('\n').filter(Boolean)).toHaveLength(4);
      expect((await cli(['export', '--repo', enc])).code).toBe(13);
      const dir = path.join(enc, 'data');
      const sub = (await readdir(dir))[0]!;
      const file = path.join(dir, sub, (await readdir(path.join(dir, sub)))[0]!);
      const { readFile } = await import('node:fs/promises');
      const bytes = await readFile(file);
      bytes[bytes.length - 5]! ^= 1;
      await writeFile(file, bytes);
      const r = await cli(['export', '--repo', enc], { env });
      expect(r.code, r.stderr).toBe(15);
      expect(r.stderr).toMatch(/cannot export x\.int .* failed authentication/);
    } finally {
      await rm(enc, { recursive: true, force: true });
    }
  });

  it('a reader that goes away makes the export exit 19 with one line saying how much it delivered', async () => {
    const pts = Array.from({ length: 5000 }, (_, i): SeedPoint => ({
      metric: 'big.m',
      tags: { host: `h${i % 5}` },
      timestamp: T0 + i * 1000,
      value: String(i),
    }));
    await putPoints(tsd.url, pts);
    await full('big.m', T0 + 3 * 60 * MIN);
    let writes = 0;
    const r = await cli(['export', '--repo', repo], {
      reader: async () => {
        if (++writes > 1) throw new OutputClosedError();
      },
    });
    expect(r.code).toBe(19);
    const delivered = r.stdout.split('\n').filter(Boolean).length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(5000);
    expect(r.stderr).toContain(`tsdb-backup: stdout was closed after ${delivered} points of 5000; the export is incomplete\n`);
  });

  it('--format import refuses a value the importer cannot read (NaN is stored by no TSD put, but a backup may hold it) ', async () => {
    const { importLines } = await import('../../src/inspect/import-lines.js');
    const series = [{ tags: { host: 'a' }, timestamps: [T0], kinds: [1 as const], values: [Number.NaN] }];
    expect(() => [...importLines('m', series, [{ start: T0, end: T0 }])]).toThrow(/cannot be written as `tsdb import` text: value NaN/);
    const infinite = [{ tags: { host: 'a' }, timestamps: [T0], kinds: [1 as const], values: [Number.NEGATIVE_INFINITY] }];
    expect(() => [...importLines('m', infinite, [{ start: T0, end: T0 }])]).toThrow(/value -Infinity is not a finite 4-byte float/);
    const spaced = [{ tags: { host: 'a b' }, timestamps: [T0], kinds: [0 as const], values: [1] }];
    expect(() => [...importLines('m', spaced, [{ start: T0, end: T0 }])]).toThrow(/tag value "a b"/);
    const early = [{ tags: { host: 'a' }, timestamps: [1_500], kinds: [0 as const], values: [1] }];
    expect(() => [...importLines('m', early, [{ start: 0, end: 2_000 }])]).toThrow(/timestamp 1500 \(ms\) cannot be told apart from seconds/);
  });

  it('`export | head -3` prints three lines, no stack trace, and the pipeline status is 19', async () => {
    const pts = Array.from({ length: 20000 }, (_, i): SeedPoint => ({
      metric: 'pipe.m',
      tags: { host: `h${i % 7}` },
      timestamp: T0 + i * 1000,
      value: String(i),
    }));
    await putPoints(tsd.url, pts, { concurrency: 4 });
    await full('pipe.m', T0 + 8 * 60 * MIN);
    const r = await runShell(`set -o pipefail; "${process.execPath}" "${BIN}" export --repo "${repo}" | head -3`, '/bin/bash');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    expect(r.code).toBe(19);
    // Progress lines (stderr is no terminal here), then the error and its hint: no stack trace.
    expect(r.stderr).toMatch(/\ntsdb-backup: stdout was closed after \d+ points of 20000; the export is incomplete\nhint: .*\n$/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a reader of stderr that goes away (a dead log collector) loses the messages, never the data: every point, exit 0', async () => {
    await putPoints(
      tsd.url,
      Array.from({ length: 20000 }, (_, i): SeedPoint => ({ metric: 'pipe.m', tags: { host: `h${i % 7}` }, timestamp: T0 + i * 1000, value: String(i) })),
      { concurrency: 4 },
    );
    await full('pipe.m', T0 + 8 * 60 * MIN);
    const all = await runShell(`set -o pipefail; "${process.execPath}" "${BIN}" export --repo "${repo}" --metric pipe.m 2>/dev/null | wc -l`, '/bin/bash');
    expect(all.code).toBe(0);
    const lines = Number(all.stdout.trim());
    expect(lines).toBe(20000);
    const early = await runShell(`set -o pipefail; "${process.execPath}" "${BIN}" export --repo "${repo}" --metric pipe.m 2> >(true) | wc -l`, '/bin/bash');
    expect(Number(early.stdout.trim()), early.stderr).toBe(lines);
    expect(early.code).toBe(0);
    const later = await runShell(
      `set -o pipefail; "${process.execPath}" "${BIN}" export --repo "${repo}" --metric pipe.m 2> >(head -c 10 >/dev/null) | wc -l`,
      '/bin/bash',
    );
    expect(Number(later.stdout.trim()), later.stderr).toBe(lines);
    expect(later.code).toBe(0);
  });

  it('`full --json | head -1` still finishes the backup: the reader chose to stop reading, the run decides the exit code', async () => {
    await putPoints(
      tsd.url,
      Array.from({ length: 2000 }, (_, i): SeedPoint => ({ metric: 'pipe.m', tags: { host: `h${i % 7}` }, timestamp: T0 + i * 1000, value: String(i) })),
      { concurrency: 4 },
    );
    const before = await cli(['list', '--repo', repo, '--json']);
    const count = (r: { stdout: string }): number => r.stdout.split('\n').filter((l) => l.includes('"type":"backup"')).length;
    const r = await runShell(
      `set -o pipefail; "${process.execPath}" "${BIN}" full --source "${tsd.url}" --repo "${repo}" --metric pipe.m --start ${T0 - 60 * MIN} --json | head -1 >/dev/null`,
      '/bin/bash',
    );
    expect(r.code, r.stderr).toBe(0);
    const after = await cli(['list', '--repo', repo, '--json']);
    expect(count(after)).toBe(count(before) + 1);
  });
});
