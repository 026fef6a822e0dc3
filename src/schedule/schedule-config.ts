// The schedule file (JSON): what to back up, where, when, and what to keep. Validated by schema; every
// error names the field.

import { readFile } from 'node:fs/promises';
import { CronExpressionParser } from 'cron-parser';
import * as v from '../validation/schema.js';
import { UsageError } from '../errors.js';
import { SOURCE_NAME } from '../format/manifest.js';
import { normalizeTsdUrl } from '../opentsdb/client.js';
import { parseRate } from '../limits/rate.js';
import { isS3Url, parseS3Url } from '../storage/s3-url.js';
import { parseDuration } from '../time/parse-time.js';

const duration = v.string().refine((s) => {
  try {
    return Number.isSafeInteger(parseDuration(s));
  } catch {
    return false;
  }
}, 'must be a duration such as 90s, 15m, 1h, 7d');

/** Holds when `check` does not throw: the same parsers the commands use, so a job never fails on them later. */
const accepts =
  (check: (s: string) => unknown) =>
  (s: string): boolean => {
    try {
      check(s);
      return true;
    } catch {
      return false;
    }
  };

const count = v.number().int().positive();

function cronProblem(expr: string, tz: string): string | undefined {
  try {
    CronExpressionParser.parse(expr, { tz });
    return undefined;
  } catch (err) {
    return `invalid cron expression '${expr}': ${(err as Error).message}`;
  }
}

const cron = v.string().min(1);

const name = v.string().regex(SOURCE_NAME, 'must be letters, digits and . _ @ : -, starting with a letter or digit, at most 100');
const source = v.string().refine(accepts(normalizeTsdUrl), 'must be an http:// or https:// URL such as http://tsd:4242');
const repo = v
  .string()
  .min(1)
  .refine((r) => !isS3Url(r) || accepts(parseS3Url)(r), 'must be a directory or s3://BUCKET/PREFIX with a valid bucket name');
const timezone = v
  .string()
  .default('UTC')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'must be an IANA time zone such as UTC or Europe/Amsterdam');

/** The repository's S3 options, as the --s3-* flags give them. */
const s3 = v
  .object({
    endpoint: v.string().min(1).optional(),
    region: v.string().min(1).optional(),
    forcePathStyle: v.boolean().optional(),
    sse: v.string().min(1).optional(),
    kmsKeyId: v.string().min(1).optional(),
    storageClass: v.string().min(1).optional(),
    partSizeMb: count.min(5).max(5120).optional(),
    queueSize: count.max(64).optional(),
    contentMd5: v.boolean().optional(),
  })
  .strict();

const byteRate = v.string().refine(
  accepts((s) => parseRate(s, 'bytes')),
  'must be a rate in bytes per second such as 50MB or 20MiB',
);

/** --limit-upload and --limit-download. */
const limits = v.object({ upload: byteRate.optional(), download: byteRate.optional() }).strict();

/** What every command that opens a repository reads from a config file (--config, TSDB_BACKUP_CONFIG). */
const repositoryFields = {
  repo,
  s3: s3.optional(),
  limits: limits.optional(),
  /** The password's file or command (the password itself never goes in a config file). */
  passwordFile: v.string().min(1).optional(),
  passwordCommand: v.string().min(1).optional(),
};

const scheduleFields = {
  /** The cluster's name in the repository (--name). */
  name: name.optional(),
  source,
  timezone,
  metrics: v.array(v.string().min(1)).default([]),
  full: v.object({ cron }).strict(),
  incremental: v.object({ cron, overlap: duration.optional(), settle: duration.optional() }).strict().optional(),
  retention: v
    .object({
      keepLast: count.optional(),
      keepHourly: count.optional(),
      keepDaily: count.optional(),
      keepWeekly: count.optional(),
      keepMonthly: count.optional(),
      keepYearly: count.optional(),
      keepWithin: duration.optional(),
    })
    .strict()
    .optional(),
  statusFile: v.string().min(1).optional(),
  concurrency: count.max(64).optional(),
  waitLock: duration.default('30m'),
  /** Extra arguments for every backup run (e.g. ["--timeout", "5m"]). */
  backupArgs: v.array(v.string()).default([]),
  /** Extra arguments for every run, backups and prune: the repository's (e.g. ["--password-file", "/etc/tsdb-backup/password"], S3 options). */
  repoArgs: v.array(v.string()).default([]),
};

export const scheduleConfigSchema = v
  .object({ ...repositoryFields, ...scheduleFields })
  .strict()
  .superRefine((c, addIssue) => {
    for (const [path, expr] of [[['full', 'cron'], c.full.cron] as const, [['incremental', 'cron'], c.incremental?.cron] as const]) {
      const problem = expr === undefined ? undefined : cronProblem(expr, c.timezone);
      if (problem) addIssue([...path], problem);
    }
  });

/**
 * The config file every command reads: the schedule's format, in which only the repository's fields are
 * needed (a schedule file serves as one), so one file configures the schedule and the commands run by hand.
 */
export const repositoryConfigSchema = v
  .object({ ...repositoryFields, repo: repo.optional(), ...scheduleFields, source: source.optional(), full: scheduleFields.full.optional() })
  .strict();

export type RepositoryConfig = v.Infer<typeof repositoryConfigSchema>;

export type ScheduleConfig = v.Infer<typeof scheduleConfigSchema>;

function parseWith<T>(schema: v.Schema<T>, doc: unknown, where: string): T {
  const r = schema.safeParse(doc);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UsageError(`${where}: field '${issue.path.join('.') || '(root)'}': ${issue.message}`);
  }
  return r.data;
}

export function parseScheduleConfig(doc: unknown, where: string): ScheduleConfig {
  return parseWith(scheduleConfigSchema, doc, where);
}

export function parseRepositoryConfig(doc: unknown, where: string): RepositoryConfig {
  return parseWith(repositoryConfigSchema, doc, where);
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the ${what} ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

export async function loadScheduleConfig(path: string): Promise<ScheduleConfig> {
  return parseScheduleConfig(await readJson(path, 'schedule config'), path);
}

export async function loadRepositoryConfig(path: string): Promise<RepositoryConfig> {
  return parseRepositoryConfig(await readJson(path, 'config file'), path);
}
