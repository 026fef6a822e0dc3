// Parsers for option values; each failure names the option and the value.

import { UsageError } from '../errors.js';
import { parseDuration, parseTime } from '../time/parse-time.js';

export function positiveInt(option: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new UsageError(`${option} must be a whole number from 1 to ${max}, not '${value}'`);
    }
    return n;
  };
}

export function durationMs(option: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

export function timeMs(option: string, value: string, now: number): number {
  try {
    return parseTime(value, now);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message}`);
  }
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function header(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf(':');
  if (at <= 0) throw new UsageError(`--header must look like 'Name: value', not '${value}'`);
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1).trim() };
}
