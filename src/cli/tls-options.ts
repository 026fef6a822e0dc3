// TLS options for the TSDs of a command: one set for all of them (source and target alike), since the
// TSDs of one site are usually behind one CA and one proxy. Files that cannot be read are usage errors.

import type { Command } from 'commander';
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import type { Fetch } from '../opentsdb/http.js';
import { createTlsFetch } from '../opentsdb/tls-fetch.js';
import type { CliIo } from './cli-io.js';
import { readOptionFile } from './secret-file.js';

export interface TlsOptionValues {
  cacert?: string;
  clientCert?: string;
  clientKey?: string;
}

export function addTlsOptions(cmd: Command): Command {
  return cmd
    .option('--cacert <file>', "PEM file of the CA(s) that signed the https:// TSDs' certificates (instead of the system CAs)")
    .option('--client-cert <file>', 'PEM client certificate for a TLS proxy in front of the TSDs that requires one (with --client-key)')
    .option('--client-key <file>', 'PEM private key of --client-cert');
}

/** The fetch for the command's TSDs, with its TLS material (none: the system CAs, no client certificate). */
export function tlsFetchFor(values: TlsOptionValues, io: CliIo): Fetch {
  if (Boolean(values.clientCert) !== Boolean(values.clientKey)) throw new UsageError('--client-cert and --client-key go together');
  const material = {
    ca: values.cacert ? readOptionFile('--cacert', values.cacert, io) : undefined,
    cert: values.clientCert ? readOptionFile('--client-cert', values.clientCert, io) : undefined,
    key: values.clientKey ? readOptionFile('--client-key', values.clientKey, io) : undefined,
  };
  // Checked now, not at the first connection, where a bad file would look like an unreachable TSD.
  // A file without a certificate is taken silently by createSecureContext (it trusts nothing then).
  if (material.ca) usable('--cacert', values.cacert!, () => new X509Certificate(material.ca!));
  if (material.cert)
    usable('--client-cert/--client-key', `${values.clientCert} ${values.clientKey}`, () =>
      (createRequire(import.meta.url)('node:tls') as typeof import('node:tls')).createSecureContext({ cert: material.cert, key: material.key }),
    );
  return createTlsFetch(material);
}

function usable(flag: string, files: string, check: () => unknown): void {
  try {
    check();
  } catch (err) {
    throw new UsageError(`${flag} ${files}: not usable PEM (${(err as Error).message})`);
  }
}
