// `health --nagios`: the one line a Nagios (or Icinga, Sensu, Zabbix) plugin prints:
// `TSDB OK|WARNING|CRITICAL - <summary> | <perfdata>`, perfdata per the plugin guidelines
// ('label'=value[UOM];warn;crit;min;max). The exit code goes with it (exit-codes.ts).

import type { TsdHealth } from '../health/health-result.js';
import { NAGIOS, nagiosState, type NagiosState } from './exit-codes.js';
import { countVerdicts } from './health-output.js';

/** The plugin output's text may not hold '|' (it starts the perfdata) nor a line break. */
function clean(text: string): string {
  return text.replace(/\|/g, '/').replace(/\s*\n\s*/g, ' ');
}

function label(text: string): string {
  return `'${text.replace(/['=]/g, '_')}'`;
}

function summary(state: NagiosState, results: readonly TsdHealth[]): string {
  const n = countVerdicts(results);
  if (state === 'OK') return `${n.healthy} of ${results.length} TSD(s) healthy`;
  const list = (verdict: 'down' | 'degraded'): string =>
    results
      .filter((r) => r.verdict === verdict)
      .map((r) => `${r.url} (${r.reasons[0] ?? verdict})`)
      .join(', ');
  const parts: string[] = [];
  if (n.down > 0) parts.push(`${n.down} of ${results.length} TSD(s) down: ${list('down')}`);
  if (n.degraded > 0) parts.push(`${n.degraded} of ${results.length} TSD(s) degraded: ${list('degraded')}`);
  return parts.join('; ');
}

export function nagiosLine(results: readonly TsdHealth[], slowMs: number): { line: string; code: number } {
  const state = nagiosState(results.map((r) => r.verdict));
  const n = countVerdicts(results);
  const total = results.length;
  const perf = [
    `healthy=${n.healthy};;;0;${total}`,
    `degraded=${n.degraded};;;0;${total}`,
    `down=${n.down};;;0;${total}`,
    ...results.flatMap((r) => r.steps.map((s) => `${label(`${r.url} ${s.name}`)}=${s.ms / 1000}s;${slowMs / 1000};;0`)),
  ];
  return { line: `TSDB ${state} - ${clean(summary(state, results))} | ${perf.join(' ')}\n`, code: NAGIOS[state] };
}

/** The line for an outcome that is no verdict (a usage error, an interruption): UNKNOWN. */
export function nagiosUnknownLine(message: string): { line: string; code: number } {
  return { line: `TSDB UNKNOWN - ${clean(message)}\n`, code: NAGIOS.UNKNOWN };
}
