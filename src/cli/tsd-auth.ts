// TSD credentials that appear neither in `ps` nor in a crontab: from an environment variable or a
// file, per role. The file wins over the variable, and either wins over user:password@ in the URL and
// over a --header 'Authorization: ...' (with a warning, since two credentials for one TSD is a mistake).

import type { Command } from 'commander';
import { authorizationHeader } from '../opentsdb/authorization.js';
import type { CliIo } from './cli-io.js';
import { readSecretFile } from './secret-file.js';

export const AUTH_ROLES = {
  source: { flag: '--source-auth-file', env: 'TSDB_SOURCE_AUTH', key: 'sourceAuthFile', what: 'the source (primary) TSD' },
  target: { flag: '--target-auth-file', env: 'TSDB_TARGET_AUTH', key: 'targetAuthFile', what: 'the target (standby) TSD' },
  tsd: { flag: '--auth-file', env: 'TSDB_TSD_AUTH', key: 'authFile', what: 'every --tsd' },
} as const;

export type AuthRole = keyof typeof AUTH_ROLES;

export interface AuthOptionValues {
  sourceAuthFile?: string;
  targetAuthFile?: string;
  authFile?: string;
}

export function addAuthFileOption(cmd: Command, role: AuthRole): Command {
  const r = AUTH_ROLES[role];
  return cmd.option(
    `${r.flag} <file>`,
    `credentials for ${r.what}: first line 'user:password' (basic auth) or '<Scheme> <credentials>' (e.g. 'Bearer ...'); default: $${r.env}`,
  );
}

export interface Credential {
  /** The Authorization header value. */
  header: string;
  /** Where it came from, for messages: the option and file, or the variable. */
  origin: string;
}

/** The credential of a role, or undefined when neither its file nor its variable is given (or the variable is empty). */
export function credentialFor(role: AuthRole, values: AuthOptionValues, io: CliIo): Credential | undefined {
  const r = AUTH_ROLES[role];
  const file = values[r.key];
  if (file !== undefined) {
    const origin = `${r.flag} ${file}`;
    return { header: authorizationHeader(readSecretFile(r.flag, file, io), origin), origin };
  }
  const env = io.env[r.env];
  if (env === undefined || env.trim() === '') return undefined;
  return { header: authorizationHeader(env.trim(), `$${r.env}`), origin: `$${r.env}` };
}
