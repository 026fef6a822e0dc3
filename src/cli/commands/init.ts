// tsdb-backup init: create a repository, encrypted unless told otherwise. No other command creates one.

import { Command, Option } from 'commander';
import { CIPHERS, type CipherName } from '../../crypto/aead.js';
import { UsageError } from '../../errors.js';
import { withLock } from '../../repository/lock.js';
import { Repository } from '../../repository/repository.js';
import type { CliIo } from '../cli-io.js';
import { jsonSummary } from '../json-lines.js';
import { passwordConfigured, passwordSource, typedTwice } from '../password-source.js';
import { addRepositoryOptions, openRepositoryStorage, type RepositoryOptionValues } from '../repository-options.js';

interface InitCliOptions extends RepositoryOptionValues {
  insecureNoEncryption?: boolean;
  cipher: CipherName;
  json?: boolean;
}

const KEEP_THE_PASSWORD =
  'Keep the password safe: without it nobody can read these backups, and it cannot be recovered.\n' +
  'Store it in a password manager or a secret store (Vault, AWS Secrets Manager, pass), away from the\n' +
  'repository; give it to cron and scripts with --password-file FILE (mode 600), --password-command CMD\n' +
  'or TSDB_BACKUP_PASSWORD. Add a second key for another person or a sealed copy with `tsdb-backup key add`.\n';

export function initCommand(io: CliIo, done: (code: number) => void): Command {
  const cmd = new Command('init')
    .description('create a repository: encrypted (a random master key, wrapped by the password) unless --insecure-no-encryption')
    .option('--insecure-no-encryption', 'store chunks and manifests unencrypted: anyone who can read the disk or bucket reads the metrics')
    .addOption(new Option('--cipher <name>', 'authenticated cipher of an encrypted repository').choices(CIPHERS).default('aes-256-gcm'))
    .option('--json', 'print the new repository as a JSON summary line on stdout (docs/JSON.md)');
  return addRepositoryOptions(cmd, { uploads: true }).action(async (o: InitCliOptions) => {
    if (o.insecureNoEncryption && passwordConfigured(o, io)) {
      throw new UsageError(
        'a repository password is given (option or environment), but --insecure-no-encryption asks for a plain repository: leave one of them out',
      );
    }
    const storage = openRepositoryStorage(o, io);
    const password = o.insecureNoEncryption
      ? undefined
      : passwordConfigured(o, io)
        ? await passwordSource(o, io)()
        : await typedTwice(
            io,
            'password of the new repository',
            'give it in TSDB_BACKUP_PASSWORD, --password-file FILE or --password-command CMD, or pass --insecure-no-encryption',
          );
    // Under the exclusive lock: of two inits at once, one creates the repository, the other finds it
    // (exit 1) or the lock (exit 11), and no key file of a repository that was never made is left.
    const repository = await withLock(
      storage,
      { kind: 'exclusive', command: 'init', waitMs: 0, signal: io.signal, now: io.now, warn: (m) => io.stderr(`warning: ${m}\n`) },
      () => Repository.init(storage, { now: io.now(), signal: io.signal, encryption: password === undefined ? undefined : { password, cipher: o.cipher } }),
    );
    const facts = {
      repository: storage.toString(),
      id: repository.config.id,
      encrypted: repository.encrypted,
      ...(repository.encrypted ? { cipher: o.cipher, keyId: repository.keyId } : {}),
    };
    if (o.json)
      jsonSummary(io, 'init', {
        repository: facts.repository,
        repositoryId: facts.id,
        encrypted: facts.encrypted,
        ...(repository.encrypted ? { cipher: o.cipher, keyId: repository.keyId } : {}),
      });
    if (repository.encrypted) {
      io.stderr(`created encrypted repository ${facts.repository} (${o.cipher}, key ${repository.keyId})\n\n${KEEP_THE_PASSWORD}`);
    } else {
      io.stderr(`created UNENCRYPTED repository ${facts.repository}: anyone who can read it reads the metric names, tags and values\n`);
    }
    done(0);
  });
}
