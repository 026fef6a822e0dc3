// The journal file itself: where it lives by default, and what a resumed run reads back from it.

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { defaultStateDir, openJournal, type RestoreKey } from '../../src/restore/restore-journal.js';
import { WrittenRanges } from '../../src/restore/written-ranges.js';
import { useTempDir } from '../support/temp-dir.js';

const key: RestoreKey = {
  repository: 'r',
  backupId: 'b',
  chain: ['b'],
  target: 'http://t:4242',
  metrics: [],
  exclude: [],
  start: 0,
  end: 1,
  renameMetric: [],
  tagMap: [],
  shiftMs: 0,
};

describe('restore journal', () => {
  const tmp = useTempDir('tsdb-backup-journal-');

  it('lives in $XDG_STATE_HOME/tsdb-backup/restore (when absolute), else ~/.local/state/tsdb-backup/restore', () => {
    expect(defaultStateDir({ XDG_STATE_HOME: '/var/state', HOME: '/home/op' }, '/root')).toBe('/var/state/tsdb-backup/restore');
    expect(defaultStateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/op' }, '/root')).toBe('/home/op/.local/state/tsdb-backup/restore');
    expect(defaultStateDir({}, '/root')).toBe('/root/.local/state/tsdb-backup/restore');
  });

  it('gives a resumed run the complete chunks and the union of the written ranges of the others', async () => {
    const dir = tmp();
    const first = await openJournal({ dir, key, resume: false, chunks: 3, now: new Date(0) });
    const a = new WrittenRanges([[0, 100]]);
    first.journal.ranges('b/a', a);
    a.add(200, 300);
    first.journal.ranges('b/a', a);
    first.journal.ranges('b/c', new WrittenRanges([[0, 10]]));
    await first.journal.record('b/c', 50);
    await first.journal.close();
    const text = await readFile(first.journal.file, 'utf8');
    expect(text.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(3);

    const again = await openJournal({ dir, key, resume: true, chunks: 3, now: new Date(1) });
    expect(again.resumed?.done).toEqual(new Map([['b/c', 50]]));
    expect([...again.resumed!.partial.keys()]).toEqual(['b/a']);
    expect(again.resumed!.partial.get('b/a')!.toJSON()).toEqual([
      [0, 100],
      [200, 300],
    ]);
    expect(again.resumed!.startedAt).toBe(new Date(0).toISOString());
    await again.journal.remove();
  });
});
