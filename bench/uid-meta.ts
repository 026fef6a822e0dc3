// npm run bench:uid-meta [-- --points 1000000] [--rounds 5] [--code DIR ...] [--base-port 24242]
// What reading UID metadata costs a full backup: the same full backup of the bench mix with UID metadata
// (the default) and without it (--no-uid-meta), for this checkout and each --code DIR (another build, e.g.
// the code before a change), in interleaved rounds (each round reverses the order of the previous one).
// Prints each variant's seconds and the ratio of its speed to this checkout's --no-uid-meta run of the same
// round (min / median). Starts the real harness on --base-port; one untimed warm-up backup first.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { seedBenchMix } from './bench-seed.js';
import { median } from './opentsdb-peers.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '5' },
    code: { type: 'string', multiple: true, default: [] },
    'base-port': { type: 'string', default: '24242' },
  },
});
const here = path.resolve(import.meta.dirname, '..');
const log = (l: string): void => void process.stderr.write(`uid-meta: ${l}\n`);
const { startHarness } = await import('../test/e2e/harness/harness.js');
const h = await startHarness({
  basePort: Number(values['base-port']),
  hbaseHeapMb: 4096,
  tsdHeapMb: 2048,
  log: (l) => process.stderr.write(`harness: ${l}\n`),
});
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-uidmeta-'));
try {
  const { start, end } = await seedBenchMix(h.sourceUrl, Number(values.points));
  interface Variant {
    name: string;
    code: string;
    env: Record<string, string>;
  }
  const variants: Variant[] = [
    { name: 'this, --no-uid-meta', code: here, env: { BENCH_UID_META: 'false' } },
    { name: 'this, with UID metadata', code: here, env: {} },
    ...values.code.map((c) => ({ name: `${c}, with UID metadata`, code: path.resolve(c), env: {} })),
  ];
  let n = 0;
  const once = async (v: Variant): Promise<number> => {
    const repo = path.join(work, `repo-${n++}`);
    const t0 = performance.now();
    await runChild(['backup', h.sourceUrl, repo, String(start), String(end), '4'], v.env, v.code);
    const s = (performance.now() - t0) / 1000;
    await rm(repo, { recursive: true, force: true });
    return s;
  };
  await once(variants[1]!);
  const secs = variants.map(() => [] as number[]);
  for (let r = 0; r < Number(values.rounds); r++) {
    const order = variants.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) secs[i]!.push(await once(variants[i]!));
    log(`round ${r + 1}: ${variants.map((v, i) => `${v.name} ${secs[i]!.at(-1)!.toFixed(2)} s`).join(', ')}`);
  }
  for (const [i, v] of variants.entries()) {
    const ratios = secs[i]!.map((s, r) => secs[0]![r]! / s);
    console.log(
      `${v.name}: ${secs[i]!.map((s) => s.toFixed(2)).join(' / ')} s; speed vs --no-uid-meta min ${Math.min(...ratios).toFixed(2)} median ${median(ratios).toFixed(2)}`,
    );
  }
} finally {
  await rm(work, { recursive: true, force: true });
  await h.stop();
}
