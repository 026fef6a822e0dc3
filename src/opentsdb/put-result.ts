// The answer of POST /api/put?details: how many points were stored and why the others were not.

import { parse } from 'lossless-json';
import * as v from '../validation/schema.js';
import { TsdResponseInvalidError } from './errors.js';

const putDetails = v.object({
  success: v.coercedNumber(),
  failed: v.coercedNumber(),
  errors: v.array(v.object({ datapoint: v.unknown().optional(), error: v.string() })).default([]),
});

export interface PutResult {
  success: number;
  failed: number;
  errors: Array<{ datapoint: unknown; error: string }>;
}

export function parsePutResult(text: string, url: string): PutResult {
  let doc: unknown;
  try {
    doc = parse(text, null, (t) => t);
  } catch (err) {
    throw new TsdResponseInvalidError(url, `put details are not JSON: ${(err as Error).message}`);
  }
  const r = putDetails.safeParse(doc);
  if (!r.success) throw new TsdResponseInvalidError(url, `put details: ${r.error.issues[0]?.message}`);
  return { success: r.data.success, failed: r.data.failed, errors: r.data.errors.map((e) => ({ datapoint: e.datapoint, error: e.error })) };
}
