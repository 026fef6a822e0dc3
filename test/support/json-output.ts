// Reading a command's --json output (docs/JSON.md) in tests: the summary, and the objects of one type.

export interface JsonRun {
  json: Array<Record<string, unknown>>;
}

/** The command's summary line; fails the test when there is none. */
export function summaryOf(r: JsonRun): Record<string, unknown> {
  const s = r.json.find((j) => j.type === 'summary');
  if (!s) throw new Error(`no summary line in ${JSON.stringify(r.json)}`);
  return s;
}

/** The lines of one type (e.g. 'backup', 'decision', 'problem', 'key'). */
export function linesOf<T = Record<string, unknown>>(r: JsonRun, type: string): T[] {
  return r.json.filter((j) => j.type === type) as T[];
}
