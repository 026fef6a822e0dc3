// Run alone with `node --expose-gc --import tsx`: parses a wide window's answers (N series of 20 points,
// each with a TSUID, as 2.4.1 answers with showTSUIDs), keeps the parsed series as a backup holds a window
// until it is stored, drops the answers' text, and prints the heap they hold per point as JSON.

import { parseQueryResponse } from '../../src/opentsdb/query-response.js';

const series = Number(process.argv[2] ?? 20_000);
const parts = 4;
const perSeries = 20;

function answer(part: number): string {
  const out: string[] = [];
  for (let s = 0; s < series / parts; s++) {
    const id = part * (series / parts) + s;
    const dps: string[] = [];
    for (let i = 0; i < perSeries; i++) dps.push(`[${1721347200000 + i * 10000},${(id * 7 + i) % 1000}]`);
    const tsuid = `000001000001${id.toString(16).toUpperCase().padStart(6, '0')}000002${(id % 3).toString(16).padStart(6, '0')}`;
    out.push(
      `{"metric":"shape.wide","tags":{"host":"w-${String(id).padStart(5, '0')}","dc":"dc${id % 3}"},"aggregateTags":[],"tsuids":["${tsuid}"],"annotations":[],"dps":[${dps.join(',')}]}`,
    );
  }
  return `[${out.join(',')}]`;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const held: unknown[] = [];
gc();
const before = process.memoryUsage().heapUsed;
let answerBytes = 0;
for (let part = 0; part < parts; part++) {
  const text = answer(part);
  answerBytes += text.length;
  held.push(parseQueryResponse(text, 'http://tsd/api/query'));
}
gc();
gc();
const heldBytes = process.memoryUsage().heapUsed - before;
process.stdout.write(`${JSON.stringify({ series: held.flat().length, points: series * perSeries, answerBytes, heldBytes })}\n`);
