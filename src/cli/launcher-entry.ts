// What bin/tsdb-backup.js imports: the entry of the CLI's bundle (scripts/bundle-cli.mjs).
export { runCli } from './run-cli.js';
export { processIo, stdoutCarriesData } from './cli-io.js';
