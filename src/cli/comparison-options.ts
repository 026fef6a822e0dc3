// Options shared by diff and compare: what to compare (metrics, time range) and how many differences to list.

import type { Command } from 'commander';
import { DEFAULT_EXAMPLES } from '../inspect/diff.js';
import type { CliIo } from './cli-io.js';
import { assertOrdered, collect, positiveInt, timeMs } from './option-parsers.js';
import type { RepositoryOptionValues } from './repository-options.js';

export interface ComparisonOptionValues extends RepositoryOptionValues {
  metric?: string[];
  start?: string;
  end?: string;
  examples: number;
  json?: boolean;
  lock: boolean;
}

export function addComparisonOptions(cmd: Command): Command {
  return cmd
    .option('--metric <pattern>', 'compare only these metrics: name or glob (repeatable)', collect)
    .option('--start <time>', 'compare only points at or after this time')
    .option('--end <time>', 'compare only points at or before this time')
    .option('--examples <n>', 'how many differences to list (the counts are always complete)', positiveInt('--examples', 100_000), DEFAULT_EXAMPLES);
}

/** --start and --end in ms (absent when not given). */
export function comparisonRange(o: ComparisonOptionValues, io: CliIo): { start?: number; end?: number } {
  const now = io.now().getTime();
  const start = o.start ? timeMs('--start', o.start, now) : undefined;
  const end = o.end ? timeMs('--end', o.end, now) : undefined;
  if (start !== undefined && end !== undefined) assertOrdered(start, end);
  return { start, end };
}
