#!/usr/bin/env node
// Launcher only: runs the CLI and sets the exit code. A first Ctrl-C or SIGTERM asks the run to stop
// cleanly (nothing incomplete is committed); a second one exits at once.
import { runCli } from '../dist/cli/run-cli.js';
import { processIo } from '../dist/cli/cli-io.js';

// The AWS SDK warns on every run that a future release will need Node 22; the installed one works.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'NodeVersionSupportWarning') process.stderr.write(`${w.name}: ${w.message}\n`);
});

const controller = new AbortController();
let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    signals += 1;
    if (signals > 1) process.exit(130);
    process.stderr.write(`\ntsdb-backup: ${sig} received, stopping (again to force)\n`);
    controller.abort(new Error(sig));
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo(controller.signal));
