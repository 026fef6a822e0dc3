// What `health` prints: a block per TSD (human, on stderr), a JSON line per TSD (--json, on stdout),
// and in watch mode one line per transition, in either form.

import type { TsdHealth, Verdict, WriteLimits } from '../health/health-result.js';
import type { Transition } from '../health/transitions.js';
import { formatBytes, formatDuration } from './format-numbers.js';
import { maxOf } from '../numbers/extremes.js';

function onOff(b: boolean): string {
  return b ? 'on' : 'off';
}

export function describeLimits(l: WriteLimits): string {
  const parts = [
    `chunked requests ${onOff(l.chunkedRequests)}`,
    `bodies up to ${formatBytes(l.maxBodyBytes)}`,
    `metric auto-creation ${onOff(l.autoCreateMetrics)}`,
    ...(l.autoCreateTagks && l.autoCreateTagvs ? [] : [`tag key/value auto-creation ${onOff(l.autoCreateTagks)}/${onOff(l.autoCreateTagvs)}`]),
    `tsd.mode ${l.readOnly ? 'ro' : 'rw'}`,
  ];
  return parts.join(', ');
}

export function renderHealthText(h: TsdHealth): string {
  const lines = [`${h.url}: ${h.verdict}${h.version !== null ? ` (OpenTSDB ${h.version})` : ''}`];
  for (const r of h.reasons) lines.push(`  reason: ${r}`);
  const width = maxOf(h.steps.map((s) => s.name.length));
  for (const s of h.steps) {
    const detail = s.error ?? s.note;
    lines.push(`  ${s.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(width)}  ${String(s.ms).padStart(6)} ms${detail ? `  ${detail}` : ''}`);
  }
  if (h.limits) lines.push(`  limits: ${describeLimits(h.limits)}`);
  if (h.canary) lines.push(`  canary: ${h.canary.metric}{host=${h.canary.tags.host}} ${h.canary.value} at ${new Date(h.canary.timestamp).toISOString()}`);
  return `${lines.join('\n')}\n`;
}

export function countVerdicts(results: readonly TsdHealth[]): Record<Verdict, number> {
  const n: Record<Verdict, number> = { healthy: 0, degraded: 0, down: 0 };
  for (const r of results) n[r.verdict]++;
  return n;
}

export function renderHealthSummary(results: readonly TsdHealth[]): string {
  const n = countVerdicts(results);
  return `${results.length} TSD(s): ${n.healthy} healthy, ${n.degraded} degraded, ${n.down} down\n`;
}

export function healthJsonLine(h: TsdHealth): string {
  const steps = h.steps.map(({ ms, ...step }) => ({ ...step, durationMs: ms }));
  return `${JSON.stringify({ type: 'health', ...h, steps })}\n`;
}

export function renderTransitionText(t: Transition): string {
  const why = t.reasons.length > 0 ? `: ${t.reasons.join('; ')}` : '';
  if (t.from === null) return `${t.at} ${t.url} ${t.to}${why}\n`;
  return `${t.at} ${t.url} ${t.from} -> ${t.to} after ${formatDuration(t.previousMs ?? 0)}${why}\n`;
}

export function transitionJsonLine(t: Transition): string {
  const { at, previousMs, ...rest } = t;
  return `${JSON.stringify({ type: 'transition', ...rest, changedAt: at, previousDurationMs: previousMs })}\n`;
}
