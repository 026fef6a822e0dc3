// A model of backup chains: random sequences of writes (late points with old timestamps, metrics that
// appear later), full and incremental backups with random selections, overlaps and settle lags, and
// restores of random backups (by id or --at, all metrics or some). After each restore the target must
// hold exactly what a simple in-memory model says the chain covers:
//
//   for every metric M and time t, the point of the newest backup of the chain whose selection includes
//   M and whose window covers t (docs/FORMAT.md 3.2).
//
// The model keeps its own copy of the source and of what each backup saw; it computes each backup's
// window itself and checks the tool reported the same one. The oracle for values writes the expected
// points into the target under a sibling metric name, so both print through the same TSD code (an
// integer before a float prints as a double in OpenTSDB 2.4).

import { expect } from 'vitest';
import { differences, snapshot } from '../support/compare-clusters.js';
import type { SeedPoint } from '../support/dataset.js';
import { putPoints } from '../support/put-points.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';

export const MODEL_METRICS = 4;
export const MODEL_HOSTS = 2;

export type ModelStep =
  | { kind: 'write'; metric: number; host: number; agoMs: number; value: string }
  | { kind: 'tick'; ms: number }
  | { kind: 'full'; metrics: number[] | null; exclude: number[] }
  | { kind: 'incremental'; metrics: number[] | null; overlapMs: number; settleMs: number }
  | { kind: 'restore'; backup: number; byAt: boolean; metrics: number[] | null };

export interface ModelEnv {
  sourceUrl: string;
  /** A target that holds nothing of this run's metrics yet (a fresh one per restore on the fake). */
  target: () => Promise<string>;
  /** An empty directory: the model creates the (plain) repository in it, as an operator runs `init` first. */
  repo: string;
  /** Unique per run: metric names are `${prefix}.m<i>`. */
  prefix: string;
  start: number;
}

interface ModelBackup {
  id: string;
  finishedAt: number;
  parent: number | null;
  range: { start: number; end: number };
  metrics: string[];
  exclude: string[];
  /** What the backup saw: metric -> series key -> ts -> value token. */
  saw: Map<string, Map<string, Map<number, string>>>;
}

type Source = Map<string, Map<string, Map<number, string>>>;

function selects(patterns: readonly string[], exclude: readonly string[], metric: string, prefix: string): boolean {
  const hit = (p: string): boolean => p === metric || (p === `${prefix}.*` && metric.startsWith(`${prefix}.`));
  return (patterns.length === 0 || patterns.some(hit)) && !exclude.some(hit);
}

function selectionKey(metrics: readonly string[], exclude: readonly string[]): string {
  return JSON.stringify([[...new Set(metrics)].sort(), [...new Set(exclude)].sort()]);
}

function summary(r: { json: Array<Record<string, unknown>> }): Record<string, unknown> | undefined {
  return r.json.find((j) => j.type === 'summary');
}

export async function runChainModel(steps: readonly ModelStep[], env: ModelEnv): Promise<void> {
  const name = (i: number): string => `${env.prefix}.m${i}`;
  const source: Source = new Map();
  const backups: ModelBackup[] = [];
  const used = new Set<string>();
  let now = env.start + 6 * 3_600_000;
  const log: string[] = [];
  const fail = (msg: string): string => `${msg}\nsteps so far:\n  ${log.join('\n  ')}`;
  const chainFull = (b: ModelBackup): ModelBackup => (b.parent === null ? b : chainFull(backups[b.parent]!));
  await initRepo(env.repo);

  // Writes are sent in one batch before the next backup (a synced put takes about a second on a real TSD).
  const pending: SeedPoint[] = [];
  for (const step of steps) {
    log.push(JSON.stringify(step));
    if (step.kind !== 'write' && pending.length > 0) await putPoints(env.sourceUrl, pending.splice(0));
    switch (step.kind) {
      case 'tick':
        now += step.ms;
        break;
      case 'write': {
        const metric = name(step.metric);
        const series = `host=h${step.host}`;
        let ts = Math.max(env.start, now - step.agoMs);
        while (used.has(`${metric}|${series}|${ts}`)) ts++;
        used.add(`${metric}|${series}|${ts}`);
        pending.push({ metric, tags: { host: `h${step.host}` }, timestamp: ts, value: step.value });
        const m = source.get(metric) ?? new Map<string, Map<number, string>>();
        source.set(metric, m);
        const s = m.get(series) ?? new Map<number, string>();
        m.set(series, s);
        s.set(ts, step.value);
        now += 1000;
        break;
      }
      case 'full':
      case 'incremental': {
        const metrics = step.metrics === null ? [] : step.metrics.length === MODEL_METRICS ? [`${env.prefix}.*`] : step.metrics.map(name);
        const args = ['--source', env.sourceUrl, '--repo', env.repo, '--json'];
        for (const m of metrics) args.push('--metric', m);
        let range: { start: number; end: number };
        let exclude: string[] = [];
        let parent: number | null = null;
        if (step.kind === 'full') {
          // Every run's metrics share a prefix: "all metrics" is the prefix glob, so that runs sharing a TSD stay apart.
          if (metrics.length === 0) args.push('--metric', `${env.prefix}.*`);
          exclude = step.exclude.map(name);
          for (const e of exclude) args.push('--exclude', e);
          range = { start: env.start, end: now };
          args.push('--start', String(env.start));
        } else {
          if (backups.length === 0) {
            const r = await cli(['incremental', ...args], { now: () => new Date(now) });
            expect(r.code, fail(`incremental without a parent: ${r.stderr}`)).toBe(10);
            break;
          }
          // The parent: the newest backup whose chain's full selected what is asked (nothing asked:
          // every metric); else the newest backup, when all chains select alike; else a refusal.
          const asked = selectionKey(metrics, []);
          const same = backups.map((b, i) => [b, i] as const).filter(([b]) => selectionKey(chainFull(b).metrics, chainFull(b).exclude) === asked);
          if (same.length > 0) parent = same.at(-1)![1];
          else if (new Set(backups.map((b) => selectionKey(chainFull(b).metrics, chainFull(b).exclude))).size === 1) parent = backups.length - 1;
          else {
            const r = await cli(['incremental', ...args], { now: () => new Date(now) });
            expect(r.code, fail(`an incremental whose chain is ambiguous: ${r.stderr}`)).toBe(2);
            break;
          }
          const p = backups[parent]!;
          range = { start: Math.max(p.range.start, p.range.end + 1 - step.overlapMs), end: now - step.settleMs };
          args.push('--overlap', `${step.overlapMs}ms`, '--settle', `${step.settleMs}ms`);
          exclude = step.metrics === null ? chainFull(p).exclude : []; // the chain's, unless a selection is given
        }
        const patterns =
          step.kind === 'full' && metrics.length === 0
            ? [`${env.prefix}.*`]
            : step.kind === 'incremental' && step.metrics === null
              ? chainFull(backups[parent!]!).metrics
              : metrics;
        const r = await cli([step.kind, ...args], { now: () => new Date(now) });
        const existing = [...source.keys()].filter((m) => selects(patterns, exclude, m, env.prefix));
        if (step.kind === 'incremental' && range.end < range.start) {
          expect(r.code, fail(`an incremental with an empty window: ${r.stderr}`)).toBe(1);
          expect(r.stderr).toContain('nothing to back up yet');
          break;
        }
        if (existing.length === 0) {
          expect(r.code, fail(`a ${step.kind} whose selection matches no metric: ${r.stderr}`)).toBe(5);
          break;
        }
        expect(r.code, fail(`${step.kind}: ${r.stderr}`)).toBe(0);
        const s = summary(r)!;
        expect({ start: s.start, end: s.end }, fail(`${step.kind} window`)).toEqual(range);
        const saw: ModelBackup['saw'] = new Map();
        for (const metric of existing) {
          const m = new Map<string, Map<number, string>>();
          for (const [series, points] of source.get(metric)!) {
            const inRange = new Map([...points].filter(([t]) => t >= range.start && t <= range.end));
            if (inRange.size > 0) m.set(series, inRange);
          }
          saw.set(metric, m);
        }
        backups.push({ id: String(s.backupId), finishedAt: now, parent, range, metrics: patterns, exclude, saw });
        now += 1000; // ids have one-second resolution
        break;
      }
      case 'restore': {
        if (backups.length === 0) break;
        const index = step.backup % backups.length;
        const chosen = backups[index]!;
        const target = await env.target();
        const args = ['restore', '--repo', env.repo, '--target', target, '--json'];
        if (step.byAt) args.push('--at', new Date(chosen.finishedAt).toISOString());
        else args.push(chosen.id);
        const wanted = step.metrics?.map(name);
        for (const m of wanted ?? []) args.push('--metric', m);
        const expected = expectedRestore(backups, index, env.prefix);
        const restoredMetrics = [...expected.keys()].filter((m) => !wanted || wanted.includes(m));
        const expectedPoints: SeedPoint[] = [];
        for (const metric of restoredMetrics) {
          for (const [series, points] of expected.get(metric)!) {
            for (const [ts, value] of points)
              expectedPoints.push({ metric: `${metric}.expected`, tags: { host: series.slice('host='.length) }, timestamp: ts, value });
          }
        }
        const r = await cli(args);
        if (expectedPoints.length === 0) {
          expect(r.code, fail(`a restore the model says holds nothing: ${r.stderr}`)).toBe(5);
          break;
        }
        expect(r.code, fail(`restore: ${r.stderr}`)).toBe(0);
        expect(summary(r), fail('restore summary')).toMatchObject({
          backupId: chosen.id,
          points: expectedPoints.length,
          written: expectedPoints.length,
          failed: 0,
        });
        await putPoints(target, expectedPoints);
        const all = Array.from({ length: MODEL_METRICS }, (_, i) => name(i));
        const got = await snapshot(target, all, 0, now + 3_600_000);
        const want = await snapshot(
          target,
          all.map((m) => `${m}.expected`),
          0,
          now + 3_600_000,
        );
        const renamed = new Map([...want].map(([k, v]) => [k.replace('.expected{', '{'), v]));
        expect(differences(renamed, got), fail(`restore of backup ${index} (${chosen.id})`)).toEqual([]);
        break;
      }
    }
  }
}

/** The model's answer: what restoring backup `index` must write. */
function expectedRestore(backups: readonly ModelBackup[], index: number, prefix: string): Map<string, Map<string, Map<number, string>>> {
  const chain: ModelBackup[] = [];
  for (let i: number | null = index; i !== null; i = backups[i]!.parent) chain.unshift(backups[i]!);
  const out = new Map<string, Map<string, Map<number, string>>>();
  const metrics = new Set(chain.flatMap((b) => [...b.saw.keys()]));
  for (const metric of metrics) {
    const series = new Set(chain.flatMap((b) => [...(b.saw.get(metric)?.keys() ?? [])]));
    for (const key of series) {
      const times = new Set(chain.flatMap((b) => [...(b.saw.get(metric)?.get(key)?.keys() ?? [])]));
      for (const t of times) {
        // The newest backup that selected the metric and covered the time speaks for it.
        const owner = [...chain].reverse().find((b) => selects(b.metrics, b.exclude, metric, prefix) && t >= b.range.start && t <= b.range.end);
        const value = owner?.saw.get(metric)?.get(key)?.get(t);
        if (value === undefined) continue;
        const m = out.get(metric) ?? new Map<string, Map<number, string>>();
        out.set(metric, m);
        const s = m.get(key) ?? new Map<number, string>();
        m.set(key, s);
        s.set(t, value);
      }
    }
  }
  return out;
}
