// How diff and compare print one point difference for a human.

function value(v: { kind: string; value: string } | undefined): string {
  return v ? `${v.value} (${v.kind})` : '-';
}

export function differenceLine(
  d: { metric: string; tags: Record<string, string>; timestamp: number },
  what: string,
  left?: { kind: string; value: string },
  right?: { kind: string; value: string },
): string {
  const tags = Object.entries(d.tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `  ${what.padEnd(20)} ${d.metric}{${tags}} ${d.timestamp} (${new Date(d.timestamp).toISOString()}): ${value(left)} -> ${value(right)}\n`;
}
