// What a target TSD accepts, read from GET /api/config before anything is written.

import { TsdbBackupError } from '../errors.js';
import type { CallOptions, TsdClient } from '../opentsdb/client.js';

/** Netty's default chunk size: without chunked requests, a longer body arrives chunked and is refused. */
export const UNCHUNKED_BODY_LIMIT = 8192;
const BODY_MARGIN = 64;

export interface TargetLimits {
  version: string;
  autoCreateMetrics: boolean;
  autoCreateTagks: boolean;
  autoCreateTagvs: boolean;
  /** tsd.http.request.enable_chunked: whether bodies over 8 KiB are accepted (up to max_chunk). */
  chunkedRequests: boolean;
  /** Largest request body (on the wire, i.e. after gzip) the TSD accepts. */
  maxBodyBytes: number;
  maxTags: number;
  readOnly: boolean;
  /** tsd.storage.fix_duplicates: two values at one time are resolved (newest wins) instead of failing every read of the series. */
  fixDuplicates: boolean;
}

function bool(config: Record<string, string>, key: string, fallback: boolean): boolean {
  const v = config[key];
  return v === undefined ? fallback : v.trim().toLowerCase() === 'true';
}

function int(config: Record<string, string>, key: string, fallback: number): number {
  const v = Number(config[key]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function limitsFromConfig(version: string, config: Record<string, string>): TargetLimits {
  const chunked = bool(config, 'tsd.http.request.enable_chunked', false);
  const maxChunk = int(config, 'tsd.http.request.max_chunk', 4096);
  return {
    version,
    autoCreateMetrics: bool(config, 'tsd.core.auto_create_metrics', false),
    autoCreateTagks: bool(config, 'tsd.core.auto_create_tagks', true),
    autoCreateTagvs: bool(config, 'tsd.core.auto_create_tagvs', true),
    chunkedRequests: chunked,
    // With chunking on, an aggregated body may be max_chunk bytes; without it, Netty's 8 KiB applies.
    // A small margin keeps us clear of off-by-one differences between Netty versions.
    maxBodyBytes: (chunked ? maxChunk : UNCHUNKED_BODY_LIMIT) - BODY_MARGIN,
    maxTags: int(config, 'tsd.storage.max_tags', 8),
    readOnly: (config['tsd.mode'] ?? 'rw').trim().toLowerCase() === 'ro',
    fixDuplicates: bool(config, 'tsd.storage.fix_duplicates', false),
  };
}

/** Below this body limit a restore's speed is the target's request rate (npm run bench:restore-targets). */
const FAST_BODY_BYTES = 256 * 1024;
/** What the advice asks for: 1 MiB, which the harness's source TSD runs with. */
const ADVISED_MAX_CHUNK = 1_048_576;

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}

/**
 * Puts in flight when --put-concurrency is not given. Each put waits for the TSD to flush (?sync), so with
 * small bodies (about a thousand points each) the restore is bound by how many wait at once: 64 restored
 * 1M points in 9.4-12.2 s where 16 took 11.5-15.4 s (npm run bench:restore-targets, 4 interleaved rounds,
 * default-config target), while 64 of them hold only ~64k points in the TSD. Large bodies carry tens of
 * thousands of points each: 16 keep the TSD's memory for pending points bounded.
 */
export function defaultPutConcurrency(limits: Pick<TargetLimits, 'maxBodyBytes'>): number {
  return limits.maxBodyBytes < FAST_BODY_BYTES ? 64 : 16;
}

/** Advice when the target's request settings cap a restore's speed, else undefined. */
export function speedAdvice(limits: TargetLimits, target: string): string | undefined {
  if (limits.maxBodyBytes >= FAST_BODY_BYTES) return undefined;
  const setting = limits.chunkedRequests ? `tsd.http.request.max_chunk=${limits.maxBodyBytes + BODY_MARGIN}` : 'tsd.http.request.enable_chunked=false';
  const cap = kib(limits.maxBodyBytes + BODY_MARGIN);
  return (
    `${target} accepts request bodies of at most ${cap} (${setting}), so every put request carries few points and the restore's speed is capped by the TSD's request rate; ` +
    `for faster restores set tsd.http.request.enable_chunked=true and tsd.http.request.max_chunk=${ADVISED_MAX_CHUNK} on the target's TSDs and restart them (README: "Restore speed")`
  );
}

export class TargetRefusedError extends TsdbBackupError {
  constructor(message: string, hint?: string) {
    super('TSD_PREFLIGHT', message, { hint });
  }
}

export async function readTargetLimits(client: TsdClient, opts?: CallOptions): Promise<TargetLimits> {
  const version = await client.version(opts);
  const limits = limitsFromConfig(version, await client.config(opts));
  if (limits.readOnly) throw new TargetRefusedError(`${client} runs with tsd.mode=ro and accepts no writes`, 'restore into a TSD in rw mode');
  return limits;
}
