// The CLI entry: builds the commander program, runs one command, renders errors and returns the exit
// code. bin/tsdb-backup.js only wires the process to this function.

import { Command, CommanderError } from 'commander';
import { TsdbBackupError } from '../errors.js';
import { TOOL } from '../version.js';
import type { CliIo } from './cli-io.js';
import { commandsFor } from './command-table.js';
import { EXIT, exitCodeFor, exitCodeHelp } from './exit-codes.js';
import { nagiosUnknownLine } from './nagios.js';
import { JSON_SCHEMA_VERSION } from './json-lines.js';
import { addHelpExamples } from './help-examples.js';

function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

/** health --nagios answers every outcome with a plugin line and code, errors too (UNKNOWN). */
function wantsNagios(argv: readonly string[]): boolean {
  return argv[0] === 'health' && argv.includes('--nagios');
}

function renderError(err: unknown, io: CliIo, json: boolean): number {
  const code = exitCodeFor(err);
  if (json) {
    const e = err as TsdbBackupError;
    io.stdout(
      `${JSON.stringify({ type: 'error', schemaVersion: JSON_SCHEMA_VERSION, exitCode: code, code: e.code ?? 'INTERNAL', message: e.message, hint: e.hint, ...(e.details ? { details: e.details } : {}) })}\n`,
    );
  }
  if (err instanceof TsdbBackupError) {
    io.stderr(`tsdb-backup: ${err.message}\n`);
    if (err.hint) io.stderr(`hint: ${err.hint}\n`);
  } else {
    io.stderr(`tsdb-backup: internal error: ${(err as Error)?.stack ?? String(err)}\nThis is a bug; please report it with the output above.\n`);
  }
  return code;
}

/** The program with the commands `argv` can reach (see command-table.ts): the others are not even loaded. */
export async function buildProgram(argv: readonly string[], io: CliIo, done: (code: number) => void): Promise<Command> {
  const program = new Command('tsdb-backup')
    .description('Backup and restore for OpenTSDB clusters through the HTTP API')
    .version(TOOL.version)
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError()
    .addHelpText('after', `\n${exitCodeHelp()}`);
  const makers = await Promise.all(commandsFor(argv).map((c) => c.load(runCli)));
  for (const make of makers) program.addCommand(make(io, done));
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
    addHelpExamples(cmd);
    // Imported here, not at the top: --version and --help have no use for the repository's modules.
    if (cmd.options.some((o) => o.long === '--repo'))
      cmd.hook('preAction', async (_, action) => (await import('./repository-options.js')).applyRepositoryDefaults(action, io));
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.OK;
  const program = await buildProgram(argv, io, (c) => (code = c));
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.USAGE;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    let failed: number;
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.OK;
      failed = EXIT.USAGE;
    } else {
      failed = renderError(err, io, wantsJson(argv));
    }
    if (!wantsNagios(argv)) return failed;
    const unknown = nagiosUnknownLine((err as Error).message.replace(/^error: /, ''));
    io.stdout(unknown.line);
    return unknown.code;
  }
}
