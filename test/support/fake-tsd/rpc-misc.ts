/**
 * /api/version, /api/config, /api/aggregators (RpcManager.Version, ShowConfig, ListAggregators).
 * Version values other than "version" come from the 2.4.1 jar on Maven Central
 * (net.opentsdb.tools.BuildData); that jar's own "version" field literally reads "BuildData".
 */
import { AGGREGATOR_NAMES } from './aggregation.js';
import { BadRequest } from './errors.js';
import { javaHashMapOrder, javaStringCompare } from './java-hashmap.js';
import { pairs, writeJson } from './json.js';
import { configMap } from './options.js';
import type { TsdCore, TsdRequest, TsdResponse } from './core.js';

function allowGetPost(req: TsdRequest): void {
  if (req.method !== 'GET' && req.method !== 'POST') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
}

export function handleVersion(core: TsdCore, req: TsdRequest): TsdResponse {
  allowGetPost(req);
  const v = new Map<string, string>([
    ['version', core.opts.version],
    ['short_revision', 'eb125a342'],
    ['full_revision', 'eb125a342040376450dd155fe600ff7d4b9c0eec'],
    ['timestamp', '1631071613'],
    ['repo_status', 'MODIFIED'],
    ['user', 'clarsen'],
    ['host', 'C02ZM182LVDV'],
    ['repo', '/Users/clarsen/Documents/opentsdb/opentsdb_OFFICIAL'],
    ['branch', 'master'],
  ]);
  return { status: 200, body: writeJson(pairs(javaHashMapOrder([...v.keys()]).map((k) => [k, v.get(k)!]))) };
}

export function handleConfig(core: TsdCore, req: TsdRequest, port: number): TsdResponse {
  allowGetPost(req);
  const m = configMap(core.opts, port);
  const keys = Object.keys(m).sort(javaStringCompare);
  return { status: 200, body: writeJson(pairs(keys.map((k) => [k, k.toUpperCase().includes('PASS') ? '********' : m[k]!]))) };
}

export function handleAggregators(_core: TsdCore, req: TsdRequest): TsdResponse {
  allowGetPost(req);
  return { status: 200, body: writeJson(AGGREGATOR_NAMES) };
}
