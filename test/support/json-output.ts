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

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Names the schema replaced: a backup id is `backupId`, its parent `parentId`, a range `start`/`end`. */
const RETIRED = new Set(['id', 'parent', 'range', 'at', 'removedBackups', 'previousMs', 'ms']);
const EPOCH_MS = new Set(['start', 'end', 'firstTimestamp', 'lastTimestamp']);

function problemsIn(value: unknown, where: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => problemsIn(v, `${where}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = `${where}.${k}`;
      if (RETIRED.has(k)) out.push(`${at}: a retired name`);
      if (k.endsWith('At') && v !== null && !(typeof v === 'string' && ISO_MS.test(v)))
        out.push(`${at}: not an ISO 8601 UTC instant with milliseconds: ${JSON.stringify(v)}`);
      if (EPOCH_MS.has(k) && !Number.isSafeInteger(v)) out.push(`${at}: not epoch milliseconds: ${JSON.stringify(v)}`);
      if ((k === 'durationMs' || k === 'schemaVersion') && !Number.isSafeInteger(v)) out.push(`${at}: not an integer: ${JSON.stringify(v)}`);
      if (k === 'backupType' && v !== 'full' && v !== 'incremental') out.push(`${at}: not full|incremental: ${JSON.stringify(v)}`);
      // an error's details and a rejected point are echoed as they were, not renamed
      if (k !== 'details' && k !== 'datapoint') problemsIn(v, at, out);
    }
  }
}

/**
 * What docs/JSON.md promises of a command's --json output, as a list of broken promises (empty: none):
 * JSON Lines only, every object with a type, the last one the command's summary (or an error) with the
 * schema version, and the field names and formats of the conventions.
 */
export function jsonSchemaProblems(stdout: string, command: string): string[] {
  const out: string[] = [];
  const lines = stdout.split('\n');
  if (lines.at(-1) !== '') out.push('stdout does not end with a newline');
  const objects: Array<Record<string, unknown>> = [];
  lines.slice(0, -1).forEach((line, i) => {
    try {
      const o = JSON.parse(line) as unknown;
      if (o === null || typeof o !== 'object' || Array.isArray(o)) out.push(`line ${i + 1} is not an object`);
      else objects.push(o as Record<string, unknown>);
    } catch {
      out.push(`line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
  });
  objects.forEach((o, i) => {
    if (typeof o.type !== 'string') out.push(`line ${i + 1} has no type`);
    problemsIn(o, `line ${i + 1}`, out);
  });
  const last = objects.at(-1);
  if (!last) out.push('no output');
  else if (last.type === 'summary') {
    if (last.command !== command) out.push(`the summary names command ${JSON.stringify(last.command)}, not '${command}'`);
    if (last.schemaVersion !== 1) out.push('the summary has no schemaVersion 1');
  } else if (last.type === 'error') {
    if (last.schemaVersion !== 1 || !Number.isInteger(last.exitCode) || typeof last.code !== 'string' || typeof last.message !== 'string')
      out.push(`the error object lacks schemaVersion, exitCode, code or message`);
  } else out.push(`the last object is a ${String(last.type)}, not a summary or an error`);
  if (objects.filter((o) => o.type === 'summary').length > 1) out.push('more than one summary');
  return out;
}
