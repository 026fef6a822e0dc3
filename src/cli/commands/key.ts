// tsdb-backup key list|add|remove|passwd: the passwords of an encrypted repository. Changing keys
// rewrites no data: each key wraps the same master key.

import { Command } from 'commander';
import { addKey, changePassword, listKeys, removeKey, type KeySummary } from '../../repository/key-management.js';
import type { Repository } from '../../repository/repository.js';
import type { CliIo } from '../cli-io.js';
import { jsonLine, jsonSummary } from '../json-lines.js';
import { guardedRun, type Guard } from '../guarded-run.js';
import { newPassword } from '../password-source.js';
import { addRepositoryOptions, openRepositoryStorage, repositoryPassword, type RepositoryOptionValues } from '../repository-options.js';

interface KeyCliOptions extends RepositoryOptionValues {
  json?: boolean;
  newPasswordFile?: string;
}

/** A key in JSON: `keyId`, as in every command that names a key. */
function keyFields(k: KeySummary): Record<string, unknown> {
  const { id, ...rest } = k;
  return { keyId: id, ...rest };
}

function describe(k: KeySummary): string {
  return `${k.id}  created ${k.createdAt} by ${k.user || '?'}@${k.host || '?'}  ${k.kdf}${k.current ? '  (this password)' : ''}`;
}

/** Runs `fn` on the opened repository; changes take the exclusive lock, so two removals cannot leave no key. */
function run<T>(io: CliIo, o: KeyCliOptions, command: string, lock: 'shared' | 'exclusive', fn: (repo: Repository, g: Guard) => Promise<T>): Promise<T> {
  const storage = openRepositoryStorage(o, io);
  return guardedRun(
    io,
    storage,
    { command: `key ${command}`, lock, password: repositoryPassword(o, io), waitLock: o.waitLock, output: o },
    (g) => fn(g.repository, g),
    () => ({ points: 0, bytes: 0 }),
  );
}

function withOptions(cmd: Command, extra?: (c: Command) => Command, uploads = true): Command {
  cmd.option('--json', 'print JSON lines on stdout, the last one a summary (docs/JSON.md)');
  return addRepositoryOptions(extra ? extra(cmd) : cmd, { lock: true, uploads });
}

const NEW_PASSWORD = (c: Command): Command =>
  c.option('--new-password-file <file>', 'read the new password from this file (or TSDB_BACKUP_NEW_PASSWORD; default: typed twice at a terminal)');

export function keyCommand(io: CliIo, done: (code: number) => void): Command {
  const key = new Command('key').description('manage the passwords (keys) of an encrypted repository');
  key.addCommand(
    withOptions(new Command('list').description('list the keys'), undefined, false).action(async (o: KeyCliOptions) => {
      const r = await run(io, o, 'list', 'shared', (repo, g) => listKeys(repo, { signal: g.signal }));
      if (o.json) {
        for (const k of r.keys) jsonLine(io, 'key', keyFields(k));
        jsonSummary(io, 'key list', { keys: r.keys.length, invalid: r.invalid });
      } else {
        for (const k of r.keys) io.stdout(`${describe(k)}\n`);
        for (const i of r.invalid) io.stderr(`warning: ${i.key} is not a valid key file: ${i.detail}\n`);
      }
      done(0);
    }),
  );
  key.addCommand(
    withOptions(new Command('add').description('add a key with a new password (the current password opens the repository)'), NEW_PASSWORD).action(
      async (o: KeyCliOptions) => {
        const added = await run(io, o, 'add', 'exclusive', async (repo, g) => addKey(repo, await newPassword(o, io), { now: io.now(), signal: g.signal }));
        if (o.json) jsonSummary(io, 'key add', keyFields(added));
        io.stderr(`added key ${added.id}\n`);
        done(0);
      },
    ),
  );
  key.addCommand(
    withOptions(
      new Command('remove')
        .description('remove a key (not the one whose password is given, not the last)')
        .argument('<id>', 'the key id, or a unique prefix of it'),
    ).action(async (id: string, o: KeyCliOptions) => {
      const removed = await run(io, o, 'remove', 'exclusive', (repo, g) => removeKey(repo, id, { signal: g.signal }));
      if (o.json) jsonSummary(io, 'key remove', keyFields(removed));
      io.stderr(`removed key ${removed.id}\n`);
      done(0);
    }),
  );
  key.addCommand(
    withOptions(
      new Command('passwd').description("change this password: add a key with the new password, then remove this password's key"),
      NEW_PASSWORD,
    ).action(async (o: KeyCliOptions) => {
      const r = await run(io, o, 'passwd', 'exclusive', async (repo, g) => changePassword(repo, await newPassword(o, io), { now: io.now(), signal: g.signal }));
      if (o.json) jsonSummary(io, 'key passwd', { addedKeyId: r.added.id, removedKeyId: r.removed });
      io.stderr(`password changed: added key ${r.added.id}, removed key ${r.removed}\n`);
      done(0);
    }),
  );
  return key;
}
