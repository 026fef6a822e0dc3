// Parses /api/query?arrays responses without losing a bit: number tokens are read as text
// (lossless-json) and classified as 64-bit integers or doubles by parseValueToken.

import { parse } from 'lossless-json';
import { z } from 'zod';
import { parseValueToken, type IntValue, type ValueKind } from '../format/point-value.js';
import type { Series } from '../format/series.js';
import { TsdResponseInvalidError } from './errors.js';

const seriesHeader = z.object({
  metric: z.string(),
  tags: z.record(z.string(), z.string()),
  aggregateTags: z.array(z.string()).optional(),
  dps: z.array(z.unknown()),
});

export interface QueriedSeries extends Series {
  metric: string;
}

const keepText = (token: string): string => token;

export function parseQueryResponse(text: string, url: string): QueriedSeries[] {
  let doc: unknown;
  try {
    doc = parse(text, null, keepText);
  } catch (err) {
    throw new TsdResponseInvalidError(url, `not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(doc)) throw new TsdResponseInvalidError(url, 'expected a JSON array of series');
  return doc.map((raw, i) => {
    const head = seriesHeader.safeParse(raw);
    if (!head.success) {
      const issue = head.error.issues[0];
      throw new TsdResponseInvalidError(url, `series ${i}: field '${issue?.path.join('.')}' ${issue?.message}`);
    }
    const { metric, tags, aggregateTags, dps } = head.data;
    if (aggregateTags && aggregateTags.length > 0) {
      throw new TsdResponseInvalidError(url, `series ${i} of ${metric} aggregates tags ${aggregateTags.join(',')}: not raw data`);
    }
    const timestamps = new Array<number>(dps.length);
    const kinds = new Array<ValueKind>(dps.length);
    const values = new Array<IntValue>(dps.length);
    for (let p = 0; p < dps.length; p++) {
      const dp = dps[p];
      if (!Array.isArray(dp) || dp.length !== 2 || typeof dp[0] !== 'string' || typeof dp[1] !== 'string') {
        throw new TsdResponseInvalidError(url, `series ${i} of ${metric}: point ${p} is not [timestamp, value]`);
      }
      const ts = Number(dp[0]);
      if (!Number.isSafeInteger(ts) || ts < 0) throw new TsdResponseInvalidError(url, `series ${i} of ${metric}: bad timestamp ${dp[0]}`);
      let parsed;
      try {
        parsed = parseValueToken(dp[1]);
      } catch (err) {
        throw new TsdResponseInvalidError(url, `series ${i} of ${metric} at ${ts}: ${(err as Error).message}`);
      }
      timestamps[p] = ts;
      kinds[p] = parsed.kind;
      values[p] = parsed.value;
    }
    return { metric, tags, timestamps, kinds, values };
  });
}
