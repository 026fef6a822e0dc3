// Backup ids sort by creation time: 20261124T043500Z-1a2b3c.

import { randomBytes } from 'node:crypto';

export function newBackupId(now: Date, random: () => string = () => randomBytes(3).toString('hex')): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  return `${stamp}-${random()}`;
}
