// export against the real OpenTSDB 2.4.1: a backup exported as JSON lines and written back through /api/put
// is identical to the source, and exported as `tsdb import` text and loaded by OpenTSDB's own importer it
// holds every series and timestamp, integers exactly and floats as the importer's 4-byte floats.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'lossless-json';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { formatExact } from '../../src/cli/format-numbers.js';
import { differences, pointCount, snapshot, type ClusterSnapshot } from '../support/compare-clusters.js';
import { datasetMetrics, generateDataset, type SeedPoint } from '../support/dataset.js';
import { initRepo } from '../support/init-repo.js';
import { putPoints } from '../support/put-points.js';
import { cli } from '../support/run-cli-in-process.js';
import { runShell } from '../support/run-shell.js';
import { runDumpSeries, runTextImporter } from './harness/opentsdb-tools.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/tsdb-backup.js');
const START = Date.UTC(2026, 8, 1);
const HOURS = 2;
const END = START + HOURS * 3_600_000;

/** Names as OpenTSDB stores them: each character beyond ISO-8859-1 becomes '?' (a TSD that assigned a name serves it from its cache as given). */
function latin1(s: string): string {
  return s.replace(/[^\u0000-\u00ff]/g, '?');
}

function latin1Keys(s: ClusterSnapshot): ClusterSnapshot {
  return new Map([...s].map(([k, v]) => [latin1(k), v]));
}

/** `ts=value` texts of two snapshots: equal, or (a float) the value as a 4-byte float. Returns the differences. */
function importerDifferences(src: ClusterSnapshot, dst: ClusterSnapshot): string[] {
  const out: string[] = [];
  for (const [key, points] of src) {
    const got = dst.get(key);
    if (!got) {
      out.push(`${key}: missing`);
      continue;
    }
    if (got.length !== points.length) out.push(`${key}: ${points.length} vs ${got.length} points`);
    for (let i = 0; i < Math.min(points.length, got.length) && out.length < 20; i++) {
      const [ts, v] = points[i]!.split('=');
      const [ts2, v2] = got[i]!.split('=');
      if (ts !== ts2) out.push(`${key}: timestamp ${ts} vs ${ts2}`);
      else if (v === v2) continue;
      else if (!/[.eE]/.test(v!) || !/[.eE]/.test(v2!) || Number(v2) !== Math.fround(Number(v))) out.push(`${key} at ${ts}: ${v} vs ${v2}`);
    }
  }
  for (const key of dst.keys()) if (!src.has(key)) out.push(`${key}: only after the import`);
  return out;
}

describe.runIf(!inject('e2eSkipped'))('export (real OpenTSDB)', () => {
  const source = inject('sourceUrl');
  const target = inject('targetUrl');
  const prefix = `export.e2e.${Date.now().toString(36)}`;
  let work: string;

  /** The dataset (64-bit integers, floats, Unicode tags, ms timestamps) under its own names; backed up. */
  async function backedUp(part: string): Promise<{ repo: string; metrics: string[]; points: number }> {
    const points: SeedPoint[] = [...generateDataset({ start: START, hours: HOURS })].map((p) => ({ ...p, metric: `${prefix}.${part}.${p.metric}` }));
    await putPoints(source, points, { concurrency: 4 });
    const repo = path.join(work, `repo-${part}`);
    await initRepo(repo);
    const full = await cli(
      [
        'full',
        '--source',
        source,
        '--repo',
        repo,
        '--metric',
        `${prefix}.${part}.*`,
        '--start',
        String(START - 3_600_000),
        '--end',
        String(END + 3_600_000),
        '--json',
      ],
      {
        now: () => new Date(END + 2 * 3_600_000),
      },
    );
    expect(full.code, full.stderr).toBe(0);
    expect(full.json.find((j) => j.type === 'summary')?.points).toBe(points.length);
    return { repo, metrics: datasetMetrics().map((m) => `${prefix}.${part}.${m}`), points: points.length };
  }

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-export-e2e-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('--format jsonl written to another TSD through /api/put gives back every point exactly', async () => {
    const b = await backedUp('j');
    const file = path.join(work, 'points.jsonl');
    const r = await runShell(`"${process.execPath}" "${BIN}" export --repo "${b.repo}" --format jsonl --quiet > "${file}"`);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(b.points);
    // Each object goes to /api/put as it is: the value string is the exact token, the timestamp keeps its unit.
    const points = lines.map((line): SeedPoint => {
      const o = parse(line, null, (t) => t) as { metric: string; timestamp: string; value: string; tags: Record<string, string> };
      return o.timestamp.length <= 10
        ? { metric: o.metric, tags: o.tags, timestamp: Number(o.timestamp) * 1000, value: o.value, tsUnit: 's' }
        : { metric: o.metric, tags: o.tags, timestamp: Number(o.timestamp), value: o.value };
    });
    await putPoints(target, points, { concurrency: 4 });
    const [src, dst] = await Promise.all([snapshot(source, b.metrics, START, END), snapshot(target, b.metrics, START, END)]);
    expect(pointCount(src)).toBe(b.points);
    expect(differences(src, dst)).toEqual([]);
  });

  // Needs the harness's JVM launch facts (absent only when a sandbox is reused without TSDB_E2E_WORK_DIR): skipped, never passed empty.
  it.skipIf(!inject('tsdLaunch'))(
    "--format import loaded by OpenTSDB's TextImporter holds every series and timestamp, integers exact, floats as 4-byte floats",
    async () => {
      const launch = inject('tsdLaunch')!;
      const b = await backedUp('i');
      // The dataset holds 1.7976931348623157E308, beyond the 4-byte floats the importer stores (it would read
      // Infinity and stop): the export refuses the metric rather than write a file the importer cannot load.
      const load = `${prefix}.i.1min.load`;
      const refused = await runShell(`"${process.execPath}" "${BIN}" export --repo "${b.repo}" --metric '${load}' > /dev/null`);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        new RegExp(`the point of ${load.replace(/\./g, '\\.')} .* value 1\\.7976931348623157e\\+308 is not a finite 4-byte float`),
      );
      const metrics = b.metrics.filter((m) => m !== load);
      const expected = pointCount(await snapshot(source, metrics, START, END));

      const file = path.join(work, 'points.txt');
      const r = await runShell(`"${process.execPath}" "${BIN}" export --repo "${b.repo}" --exclude '${load}' > "${file}"`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`as import: ${formatExact(expected)} points of \\d+ series and ${metrics.length} metrics`));
      const text = await readFile(file, 'utf8');
      expect(text.split('\n').filter(Boolean)).toHaveLength(expected);

      const imported = await runTextImporter(launch, 'target', [file], { autoMetric: true });
      expect(imported.code, `${imported.stdout.slice(-3000)}\n${imported.stderr.slice(-3000)}`).toBe(0);
      expect(imported.stdout + imported.stderr).toMatch(new RegExp(`Total: imported ${expected} data points`));
      const [src, dst] = await Promise.all([snapshot(source, metrics, START, END), snapshot(target, metrics, START, END)]);
      const [s, d] = [latin1Keys(src), latin1Keys(dst)];
      expect(importerDifferences(s, d)).toEqual([]);
      // The loss is real and is the importer's: doubles such as 0.1 come back as 4-byte floats.
      const changed = [...s].flatMap(([k, ps]) => ps.filter((p, i) => d.get(k)![i] !== p));
      expect(changed.length).toBeGreaterThan(0);

      // The native dump of the same metric holds as many points as the export.
      const counter = `${prefix}.i.net.bytes.in`;
      const dump = await runDumpSeries(launch, 'source', { startSec: START / 1000, endSec: END / 1000, metric: counter });
      expect(dump.code, dump.stderr.slice(-3000)).toBe(0);
      const exported = text.split('\n').filter((l) => l.startsWith(`${counter} `));
      expect(exported.length).toBeGreaterThan(0);
      expect(dump.stdout.split('\n').filter((l) => l.startsWith(`${counter} `))).toHaveLength(exported.length);
    },
  );
});
