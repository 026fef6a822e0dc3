// A failover or failback in --json (docs/JSON.md): the names every command uses (`...At` instants,
// `start`/`end` epoch ms ranges), from the core's SwitchResult.

import type { SwitchResult } from '../replicate/failover.js';

export function switchJson(r: SwitchResult): Record<string, unknown> {
  const c = r.comparison;
  return {
    switchedAt: r.at,
    from: r.from,
    to: r.to,
    switched: r.switched,
    pass: r.pass,
    uncopied: r.uncopied.map((u) => ({ metric: u.metric, start: u.from, end: u.to, error: u.error })),
    comparison:
      'skipped' in c
        ? c
        : {
            start: Date.parse(c.start),
            end: Date.parse(c.end),
            compared: c.compared,
            points: c.points,
            differences: c.differences.map((d) => ({ metric: d.metric, fromPoints: d.from, toPoints: d.to })),
          },
    ...(r.hook ? { hook: r.hook } : {}),
    ...(r.trailing ? { trailing: r.trailing } : {}),
  };
}
