// npm run bench:export-memory [-- --points 1000000 --series 100 --sleep 5]
// Peak RSS of `tsdb-backup export` of a backup of N points (fake TSD, plain local repository) piped into a
// fast reader (> /dev/null) and into a slow one (`| (sleep S; cat >/dev/null)`), in both formats: with
// backpressure the slow reader must not make the export hold the backup in memory.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SeedPoint } from '../test/support/dataset.js';
import { startFakeTsd } from '../test/support/fake-tsd/index.js';
import { putPoints } from '../test/support/put-points.js';
import { cli } from '../test/support/run-cli-in-process.js';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '1000000' }, series: { type: 'string', default: '100' }, sleep: { type: 'string', default: '5' } },
});
const total = Number(values.points);
const seriesCount = Number(values.series);
const perSeries = Math.ceil(total / seriesCount);
const T0 = Date.UTC(2026, 0, 1);
const BIN = path.resolve(import.meta.dirname, '../bin/tsdb-backup.js');

function* points(): Generator<SeedPoint> {
  for (let s = 0; s < seriesCount; s++) {
    for (let i = 0; i < perSeries; i++) {
      // integers beyond 2^53 and floats, 10 s apart
      const value = i % 2 ? `${(s + 1) * 1_000_000_000_000_000 + i}` : `${(i * 0.37 + s).toFixed(3)}`;
      yield { metric: `mem.m${s % 10}`, tags: { host: `host-${s}` }, timestamp: T0 + i * 10_000, value };
    }
  }
}

const tsd = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
const repo = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-export-mem-'));
try {
  await cli(['init', '--repo', repo, '--insecure-no-encryption']);
  const t = performance.now();
  await putPoints(tsd.url, points(), { maxBodyBytes: 1 << 20, concurrency: 4 });
  console.log(`seeded ${seriesCount * perSeries} points in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const full = await cli(['full', '--source', tsd.url, '--repo', repo, '--start', String(T0 - 60_000), '--json'], {
    now: () => new Date(T0 + (perSeries + 1000) * 10_000),
  });
  if (full.code !== 0) throw new Error(full.stderr);
  const lines = execFileSync('/bin/bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" export --repo "${repo}" --quiet | wc -l`], {
    encoding: 'utf8',
  }).trim();
  console.log(`the backup holds ${full.json.find((j) => j.type === 'summary')?.points} points; export wrote ${lines} lines`);
  for (const format of ['import', 'jsonl']) {
    for (const [label, reader] of [
      ['fast reader (> /dev/null)', '> /dev/null'],
      [`slow reader (sleep ${values.sleep}; cat)`, `| (sleep ${values.sleep}; cat > /dev/null)`],
    ] as const) {
      const timing = path.join(repo, 'time.txt');
      const line = `set -o pipefail; /usr/bin/time -o "${timing}" -f '%M %e' "${process.execPath}" "${BIN}" export --repo "${repo}" --format ${format} --quiet ${reader}`;
      execFileSync('/bin/bash', ['-c', line], { stdio: 'inherit' });
      const [kb, seconds] = readFileSync(timing, 'utf8').trim().split(' ');
      console.log(`${format.padEnd(6)} ${label.padEnd(28)} peak RSS ${(Number(kb) / 1024).toFixed(0)} MB, ${seconds} s`);
    }
  }
} finally {
  await tsd.close();
  await rm(repo, { recursive: true, force: true });
}
