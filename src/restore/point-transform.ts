// What a migration changes while restoring: metric names (--rename-metric, with globs), tag keys and
// tag values (--tag-map), and timestamps (--shift). One PointTransform applies all of them to a decoded
// chunk before it is written, and checks beforehand what can be checked from the manifests alone:
// two source metrics renamed into one, and shifted times outside what OpenTSDB can store.

import { TsdbBackupError, UsageError } from '../errors.js';
import type { Series, Tags } from '../format/series.js';
import { seriesKey, setOwn } from '../format/series.js';
import type { TagFilter } from '../opentsdb/tag-filter.js';
import type { Interval } from '../repository/time-intervals.js';

/**
 * The times a shifted point may land on. A put timestamp is read as seconds unless it exceeds 32 bits
 * (OpenTSDB's SECOND_MASK), and whole-second points are written as seconds: so a millisecond point needs
 * at least 2^32 ms (1970-02-19T17:02:47.296Z) and a second one at most 2^32-1 s (2106-02-07T06:28:15Z).
 */
export const SHIFT_MIN_MS = 2 ** 32;
export const SHIFT_MAX_MS = (2 ** 32 - 1) * 1000;

export interface RenameRule {
  from: string;
  to: string;
}

/** --tag-map KEY=NEWKEY renames a tag key; --tag-map KEY:VALUE=NEWVALUE renames one value of a key. */
export type TagRule = { kind: 'key'; from: string; to: string } | { kind: 'value'; key: string; from: string; to: string };

export interface TransformOptions {
  renameMetric?: RenameRule[];
  tagMap?: TagRule[];
  /** Milliseconds added to every timestamp (negative moves back). */
  shiftMs?: number;
}

/** A name in OpenTSDB: letters, digits, - _ . / and Unicode letters (the special characters a target may allow are not assumed). */
const NAME = /^[\p{L}\p{N}\-_./]+$/u;

function checkName(option: string, what: string, name: string, given: string): void {
  if (!NAME.test(name)) throw new UsageError(`${option} '${given}': the ${what} '${name}' is not a valid OpenTSDB name (letters, digits, - _ . /)`);
}

/** Parses --rename-metric OLD=NEW; a `*` in OLD matches any text and each `*` in NEW is replaced by what the matching `*` matched. */
export function parseRenameRule(text: string): RenameRule {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1 || text.indexOf('=', eq + 1) !== -1) {
    throw new UsageError(`--rename-metric '${text}': expected OLD=NEW, e.g. sys.cpu=old.sys.cpu or 'sys.*=old.sys.*'`);
  }
  const from = text.slice(0, eq);
  const to = text.slice(eq + 1);
  const stars = (s: string) => s.split('*').length - 1;
  if (stars(to) > stars(from))
    throw new UsageError(`--rename-metric '${text}': NEW has ${stars(to)} '*' but OLD only ${stars(from)}; each '*' in NEW takes what a '*' in OLD matched`);
  checkName('--rename-metric', 'old metric name', from.replaceAll('*', 'x'), text);
  checkName('--rename-metric', 'new metric name', to.replaceAll('*', 'x'), text);
  return { from, to };
}

/** Parses --tag-map KEY=NEWKEY or KEY:VALUE=NEWVALUE. */
export function parseTagRule(text: string): TagRule {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1 || text.indexOf('=', eq + 1) !== -1) {
    throw new UsageError(`--tag-map '${text}': expected KEY=NEWKEY (rename a tag key) or KEY:VALUE=NEWVALUE (rename a value of that key)`);
  }
  const left = text.slice(0, eq);
  const to = text.slice(eq + 1);
  const colon = left.indexOf(':');
  if (colon === -1) {
    checkName('--tag-map', 'tag key', left, text);
    checkName('--tag-map', 'new tag key', to, text);
    return { kind: 'key', from: left, to };
  }
  const key = left.slice(0, colon);
  const from = left.slice(colon + 1);
  checkName('--tag-map', 'tag key', key, text);
  checkName('--tag-map', 'tag value', from, text);
  checkName('--tag-map', 'new tag value', to, text);
  return { kind: 'value', key, from, to };
}

/** Parses --shift: a duration with an optional sign, e.g. -7d, +1h, 90s. */
export function parseShift(text: string): number {
  const m = /^([+-]?)(\d+)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) throw new UsageError(`--shift '${text}': expected a duration with an optional sign, e.g. -7d, +1h, 90s, 250ms`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[3] as 'ms'];
  const ms = Number(m[2]) * unit;
  if (!Number.isSafeInteger(ms) || ms > SHIFT_MAX_MS) throw new UsageError(`--shift '${text}' is longer than any time OpenTSDB can store`);
  return m[1] === '-' ? -ms : ms;
}

function globRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('(.*?)')}$`,
    'su',
  );
}

export class PointTransform {
  private readonly renames: Array<{ re: RegExp; to: string; text: string }>;
  private readonly tagRules: TagRule[];
  readonly shiftMs: number;

  constructor(opts: TransformOptions = {}) {
    this.renames = (opts.renameMetric ?? []).map((r) => ({ re: globRegExp(r.from), to: r.to, text: `${r.from}=${r.to}` }));
    this.tagRules = opts.tagMap ?? [];
    this.shiftMs = opts.shiftMs ?? 0;
  }

  /**
   * The chunk's tag filters that still select its series on the target: those on a tag key that no tag
   * rule renames, renames into or changes a value of (the series keep those values). Without any left, the
   * target's whole metric is read, split by series as the backup reads (fetch/bounded-read.ts), for every
   * chunk: the filters kept bound that read to about the chunk's own series.
   */
  targetFilters(filters: readonly TagFilter[] | undefined): TagFilter[] | undefined {
    if (!filters) return undefined;
    const touched = new Set(this.tagRules.flatMap((r) => (r.kind === 'key' ? [r.from, r.to] : [r.key])));
    const kept = filters.filter((f) => !touched.has(f.tagk));
    return kept.length > 0 ? kept : undefined;
  }

  get isIdentity(): boolean {
    return this.renames.length === 0 && this.tagRules.length === 0 && this.shiftMs === 0;
  }

  /** The target name of a metric: the first --rename-metric rule that matches, else unchanged. */
  metric(name: string): string {
    for (const r of this.renames) {
      const m = r.re.exec(name);
      if (!m) continue;
      let i = 1;
      return r.to.replace(/\*/g, () => m[i++] ?? '');
    }
    return name;
  }

  /** The target tags of a series: value rules see the source keys, then key rules rename the keys. */
  tags(tags: Tags): Tags {
    if (this.tagRules.length === 0) return tags;
    const values: Tags = { ...tags };
    for (const r of this.tagRules) if (r.kind === 'value' && values[r.key] === r.from) values[r.key] = r.to;
    const out: Tags = {};
    for (const [k, v] of Object.entries(values)) {
      const rule = this.tagRules.find((r) => r.kind === 'key' && r.from === k);
      const key = rule ? rule.to : k;
      if (Object.hasOwn(out, key)) throw new TransformConflictError(`--tag-map turns the tags ${JSON.stringify(tags)} into two '${key}' tags`);
      setOwn(out, key, v);
    }
    return out;
  }

  /**
   * Checks what the manifests show before anything is written: no two source metrics may land on one
   * target name, and every shifted time of the restore must be storable.
   */
  check(metrics: Iterable<string>, ranges: Iterable<{ metric: string; interval: Interval }>): void {
    const byTarget = new Map<string, string>();
    for (const m of metrics) {
      const t = this.metric(m);
      const other = byTarget.get(t);
      if (other !== undefined && other !== m)
        throw new TransformConflictError(`--rename-metric maps both '${other}' and '${m}' to '${t}': their series would merge and clash`);
      byTarget.set(t, m);
    }
    if (this.shiftMs === 0) return;
    for (const { metric, interval } of ranges) {
      const lo = interval.start + this.shiftMs;
      const hi = interval.end + this.shiftMs;
      if (lo < SHIFT_MIN_MS || hi > SHIFT_MAX_MS) {
        throw new TransformConflictError(
          `--shift ${this.shiftMs} ms moves points of '${metric}' (${new Date(interval.start).toISOString()}..${new Date(interval.end).toISOString()}) outside the times OpenTSDB can store ` +
            `(${new Date(SHIFT_MIN_MS).toISOString()}..${new Date(SHIFT_MAX_MS).toISOString()})`,
        );
      }
    }
  }

  /** A decoded chunk as the target will hold it; `intervals` (source times) become target times. */
  apply(metric: string, series: readonly Series[], intervals: readonly Interval[]): { metric: string; series: Series[]; intervals: Interval[] } {
    const shift = this.shiftMs;
    const out = series.map((s) => ({
      ...s,
      tags: this.tags(s.tags),
      timestamps: shift === 0 ? s.timestamps : s.timestamps.map((t) => t + shift),
    }));
    const target = this.metric(metric);
    if (this.tagRules.length > 0) {
      const seen = new Set<string>();
      for (const s of out) {
        const key = seriesKey(target, s.tags);
        if (seen.has(key)) throw new TransformConflictError(`--tag-map merges two series of '${metric}' into ${key}: their points would clash`);
        seen.add(key);
      }
    }
    return { metric: target, series: out, intervals: intervals.map((i) => ({ start: i.start + shift, end: i.end + shift })) };
  }
}

/** A rename, tag map or shift that would merge series or produce times OpenTSDB cannot store. */
export class TransformConflictError extends TsdbBackupError {
  constructor(message: string) {
    super('USAGE', message, { hint: 'change --rename-metric, --tag-map or --shift so that every series keeps its own name and storable times' });
  }
}
