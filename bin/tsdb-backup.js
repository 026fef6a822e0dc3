#!/usr/bin/env -S node --max-semi-space-size=4 --max-old-space-size=384
// Launcher only: runs the CLI and sets the exit code. A first Ctrl-C or SIGTERM asks the run to stop
// cleanly (nothing incomplete is committed); a second one exits at once.
// The V8 flags above keep peak memory near what the tool holds (under 200 MB in the benchmark) instead
// of letting garbage pile up; for a repository with an enormous manifest, run
// `node --max-old-space-size=2048 bin/tsdb-backup.js ...` instead.
// dist/bundle/ is the CLI bundled by scripts/bundle-cli.mjs (a few files to load instead of ~175 modules).
import { runCli, processIo, stdoutCarriesData } from '../dist/bundle/cli.js';

// The AWS SDK warns on every run that a future release will need Node 22; the installed one works.
// It emits a plain 'Warning' whose message starts with the name.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (!w.message.startsWith('NodeVersionSupportWarning')) process.stderr.write(`${w.name}: ${w.message}\n`);
});

// A reader that went away (`tsdb-backup full --help | head -1`, a log collector on stderr that died) is not a
// reason to stop, and never a reason to exit 0 in the middle of a run: what is written to that stream from then
// on is dropped, the run goes on, and its outcome decides the exit code. Where stdout carries the data (export),
// its writer reports the closed stdout itself (exit 19): the data is incomplete, and `set -o pipefail` scripts
// must see that.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
    if (stream === process.stdout && stdoutCarriesData()) return;
    stream.write = (_chunk, encoding, callback) => {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) process.nextTick(done);
      return true;
    };
  });
}

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
