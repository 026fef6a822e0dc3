// Which metrics a command applies to: shell-style globs ('sys.*', 'app.?.latency') or exact names.

export interface MetricSelection {
  /** Names without wildcards: backed up even when discovery cannot list them (e.g. non-ASCII first letter). */
  exact: string[];
  matches(name: string): boolean;
  patterns: string[];
  all: boolean;
}

const GLOB_CHARS = /[*?[]/;

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) throw new Error(`unclosed '[' in metric pattern '${glob}'`);
      const body = glob
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replace(/\\/g, '\\\\');
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'u');
}

function matcher(patterns: readonly string[]): (name: string) => boolean {
  const exact = new Set(patterns.filter((p) => !GLOB_CHARS.test(p)));
  const regexps = patterns.filter((p) => GLOB_CHARS.test(p)).map(globToRegExp);
  return (name) => exact.has(name) || regexps.some((r) => r.test(name));
}

/** Metrics matching any of `patterns` (all when empty) and none of `excludes`. */
export function selectMetrics(patterns: readonly string[], excludes: readonly string[] = []): MetricSelection {
  const excluded = matcher(excludes);
  if (patterns.length === 0) return { exact: [], matches: (name) => !excluded(name), patterns: [], all: true };
  const included = matcher(patterns);
  return {
    exact: patterns.filter((p) => !GLOB_CHARS.test(p) && !excluded(p)),
    patterns: [...patterns],
    all: false,
    matches: (name) => included(name) && !excluded(name),
  };
}

/** The longest literal prefix of a glob, to narrow discovery through /api/suggest. */
export function literalPrefix(pattern: string): string {
  const at = pattern.search(GLOB_CHARS);
  return at < 0 ? pattern : pattern.slice(0, at);
}
