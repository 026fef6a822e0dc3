import { describe, expect, it } from 'vitest';
import { backupAt, groupChains, resolveChain } from '../../src/repository/chain.js';
import { idAt, manifest } from '../support/manifests.js';

const full = manifest({ id: idAt('2026-11-01T00:00:00Z'), finished: '2026-11-01T00:10:00.000Z', start: 0, end: 1000 });
const i1 = manifest({ id: idAt('2026-11-01T01:00:00Z'), type: 'incremental', parent: full.id, finished: '2026-11-01T01:01:00.000Z', start: 900, end: 2000 });
const i2 = manifest({ id: idAt('2026-11-01T02:00:00Z'), type: 'incremental', parent: i1.id, finished: '2026-11-01T02:01:00.000Z', start: 1900, end: 3000 });
const full2 = manifest({ id: idAt('2026-11-02T00:00:00Z'), finished: '2026-11-02T00:10:00.000Z', start: 0, end: 4000 });
const orphan = manifest({ id: idAt('2026-11-03T00:00:00Z'), type: 'incremental', parent: idAt('2026-10-01T00:00:00Z'), finished: '2026-11-03T00:01:00.000Z' });

describe('backup chains', () => {
  it('resolves a chain full first', () => {
    expect(resolveChain([i2, full, i1], i2.id).map((m) => m.id)).toEqual([full.id, i1.id, i2.id]);
    expect(resolveChain([full, i1], full.id).map((m) => m.id)).toEqual([full.id]);
  });

  it('refuses a chain with a missing parent, naming both', () => {
    expect(() => resolveChain([full, i2], i2.id)).toThrow(new RegExp(`${i2.id} extends ${i1.id}, which is missing`));
  });

  it('groups chains and sets broken incrementals apart', () => {
    const { chains, orphans } = groupChains([i2, full2, orphan, full, i1]);
    expect(chains.map((c) => c.backups.map((b) => b.id))).toEqual([[full.id, i1.id, i2.id], [full2.id]]);
    expect(orphans.map((o) => o.id)).toEqual([orphan.id]);
  });

  it('--at picks the newest backup completed at or before the time', () => {
    const all = [full, i1, i2, full2];
    expect(backupAt(all, Date.parse('2026-11-01T01:30:00Z'))?.id).toBe(i1.id);
    expect(backupAt(all, Date.parse('2026-11-01T01:01:00Z'))?.id).toBe(i1.id);
    expect(backupAt(all, Date.parse('2026-10-01T00:00:00Z'))).toBeUndefined();
  });
});
