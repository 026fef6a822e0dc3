// npm run bench:encryption [-- --points 1000000 --rounds 3 --fake --source URL --target URL]
// What encryption costs: backup and restore of the same data into a plain and an encrypted repository,
// each in its own process (as measure-child.ts runs them), interleaved (plain, encrypted, encrypted,
// plain, ...) so that the machine's noise falls on both alike; min and median of each, and their
// ratios. Then the repository sizes, and the repository layer alone (putChunk and getChunk of every
// chunk in memory), where nothing but the tool's own work is timed.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeChunk } from '../src/format/chunk-codec.js';
import { Repository } from '../src/repository/repository.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { MemoryStorage } from '../src/storage/memory-storage.js';
import { sourceAndTarget } from './bench-clusters.js';
import { shapeFor } from './bench-dataset.js';
import { seed } from './bench-seed.js';
import { runChild } from './run-child.js';

const { values } = parseArgs({
  options: {
    points: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '4' },
    source: { type: 'string' },
    target: { type: 'string' },
    fake: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const concurrency = String(Number(values.concurrency));
const PASSWORD = 'benchmark password';

type Mode = 'plain' | 'encrypted';
const MODES: Mode[] = ['plain', 'encrypted'];

/** Round r runs plain first when r is even, encrypted first when odd. */
function order(r: number): Mode[] {
  return r % 2 === 0 ? MODES : [...MODES].reverse();
}

function stats(xs: number[]): { min: number; median: number } {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { min: s[0]!, median: s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2 };
}

async function dirBytes(dir: string): Promise<{ bytes: number; objects: number }> {
  let bytes = 0;
  let objects = 0;
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    bytes += (await stat(path.join(e.parentPath, e.name))).size;
    objects++;
  }
  return { bytes, objects };
}

const env = (m: Mode): Record<string, string> => (m === 'encrypted' ? { BENCH_PASSWORD: PASSWORD } : {});

const c = await sourceAndTarget({ source: values.source, target: values.target }, values.fake);
const work = await mkdtemp(path.join(tmpdir(), 'tsdb-backup-bench-enc-'));
try {
  const total = Number(values.points);
  const start = Date.UTC(2024, 0, 1);
  const shape = shapeFor(total, start);
  const end = start + shape.pointsPerSeries * shape.intervalMs + 1000;
  process.stderr.write(`bench: ${c.kind}; seeding ${shape.series} series x ${shape.pointsPerSeries} points\n`);
  await seed(c.source, shape);

  const backupSeconds: Record<Mode, number[]> = { plain: [], encrypted: [] };
  const restoreSeconds: Record<Mode, number[]> = { plain: [], encrypted: [] };
  // The same runs without creating or opening the repository (scrypt, for an encrypted one).
  const backupWork: Record<Mode, number[]> = { plain: [], encrypted: [] };
  const restoreWork: Record<Mode, number[]> = { plain: [], encrypted: [] };
  const repos: Record<Mode, string> = { plain: '', encrypted: '' };
  let points = 0;
  for (let r = 0; r < rounds; r++) {
    for (const m of order(r)) {
      const dir = path.join(work, `${m}-${r}`);
      const b = await runChild(['backup', c.source, dir, String(start), String(end), concurrency], env(m));
      backupSeconds[m].push(b.seconds!);
      backupWork[m].push(b.seconds! - b.openSeconds!);
      points = b.points!;
      if (repos[m]) await rm(repos[m], { recursive: true, force: true });
      repos[m] = dir;
      process.stderr.write(`bench: round ${r + 1} backup ${m}: ${b.points} points in ${b.seconds!.toFixed(2)} s\n`);
    }
  }
  for (let r = 0; r < rounds; r++) {
    for (const m of order(r)) {
      const x = await runChild(['restore', c.target, repos[m], '0', '0', concurrency], env(m));
      if (x.failed) throw new Error(`restore from the ${m} repository: ${x.failed} points failed`);
      restoreSeconds[m].push(x.seconds!);
      restoreWork[m].push(x.seconds! - x.openSeconds!);
      process.stderr.write(`bench: round ${r + 1} restore ${m}: ${x.written} points in ${x.seconds!.toFixed(2)} s\n`);
    }
  }

  // The repository layer alone: every chunk of the plain backup put into and read back from a plain
  // and an encrypted repository in memory (plus decoding, the work a restore does next to it).
  const source = await Repository.open(new LocalStorage(repos.plain));
  const manifest = await source.resolve(undefined);
  const chunks = await Promise.all(manifest.chunks.map((e) => source.getChunk(e)));
  const layerSeconds: Record<Mode, number[]> = { plain: [], encrypted: [] };
  let decodeSeconds = 0;
  for (let r = 0; r < rounds * 3; r++) {
    for (const m of order(r)) {
      const repo = await Repository.init(new MemoryStorage(), {
        now: new Date(),
        encryption: m === 'encrypted' ? { password: PASSWORD, kdf: { N: 1024, r: 8, p: 1 } } : undefined,
      });
      const t0 = performance.now();
      const stored = [];
      for (const ch of chunks) stored.push(await repo.putChunk(ch));
      for (const s of stored) await repo.getChunk(s);
      layerSeconds[m].push((performance.now() - t0) / 1000);
    }
    const t0 = performance.now();
    for (const ch of chunks) decodeChunk(ch);
    decodeSeconds += (performance.now() - t0) / 1000;
  }

  // The fixed cost of an encrypted run: deriving the key from the password (the default scrypt cost).
  const opens: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await Repository.open(new LocalStorage(repos.encrypted), { password: async () => PASSWORD });
    opens.push((performance.now() - t0) / 1000);
  }
  const size: Record<Mode, { bytes: number; objects: number }> = { plain: await dirBytes(repos.plain), encrypted: await dirBytes(repos.encrypted) };
  const row = (what: string, xs: Record<Mode, number[]>, unit: (s: number) => string): string => {
    const p = stats(xs.plain);
    const e = stats(xs.encrypted);
    return `| ${what} | ${unit(p.min)} / ${unit(p.median)} | ${unit(e.min)} / ${unit(e.median)} | ${(e.min / p.min).toFixed(3)} | ${(e.median / p.median).toFixed(3)} |`;
  };
  const rate = (s: number): string => `${Math.round(points / s).toLocaleString('en-US')} pts/s`;
  const ms = (s: number): string => `${(s * 1000).toFixed(1)} ms`;
  console.log(`\nencryption cost: ${points.toLocaleString('en-US')} points, ${manifest.chunks.length} chunks, ${rounds} interleaved rounds, ${c.kind}\n`);
  console.log('| measured | plain best / median | encrypted best / median | time ratio, best | time ratio, median |');
  console.log('|---|---|---|---|---|');
  console.log(row('backup (process, scrypt included)', backupSeconds, rate));
  console.log(row('restore (process, scrypt included)', restoreSeconds, rate));
  console.log(row('backup without creating the repository', backupWork, rate));
  console.log(row('restore without opening the repository', restoreWork, rate));
  console.log(row(`repository layer only (${rounds * 3} rounds: put + get of every chunk)`, layerSeconds, ms));
  console.log(`\nopening the encrypted repository (scrypt, once per run): best ${ms(stats(opens).min)}, median ${ms(stats(opens).median)}`);
  console.log(`decoding the same chunks (context for the layer figures): ${ms(decodeSeconds / (rounds * 3))} per round`);
  console.log(`\n| repository | bytes | objects | bytes / point |\n|---|---|---|---|`);
  for (const m of MODES) console.log(`| ${m} | ${size[m].bytes.toLocaleString('en-US')} | ${size[m].objects} | ${(size[m].bytes / points).toFixed(3)} |`);
  console.log(
    `\nsize ratio encrypted / plain: ${(size.encrypted.bytes / size.plain.bytes).toFixed(4)} (+${(size.encrypted.bytes - size.plain.bytes).toLocaleString('en-US')} bytes: 33 per sealed object and the key file)`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
  await c.stop();
}
