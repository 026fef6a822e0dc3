// The --json output of every command (docs/JSON.md, schema version 1): JSON Lines on stdout, each object
// with a `type`, the command's last object a `summary` that carries the schema version.

import type { CliIo } from './cli-io.js';

export const JSON_SCHEMA_VERSION = 1;

/** Prints one object as one line. */
export function jsonLine(io: CliIo, type: string, fields: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify({ type, ...fields })}\n`);
}

/** Prints a command's final object. */
export function jsonSummary(io: CliIo, command: string, fields: Record<string, unknown>): void {
  io.stdout(`${JSON.stringify({ type: 'summary', command, schemaVersion: JSON_SCHEMA_VERSION, ...fields })}\n`);
}

/** An instant (epoch ms) as the ISO 8601 UTC string with milliseconds that `...At` fields hold. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

/** Prints an object that names its own `type`; a summary gets the schema version. */
export function jsonObject(io: CliIo, x: { type: string } & Record<string, unknown>): void {
  io.stdout(`${JSON.stringify(x.type === 'summary' ? { ...x, schemaVersion: JSON_SCHEMA_VERSION } : x)}\n`);
}
