import { describe, expect, it } from 'vitest';
import { BackupIncompleteError } from '../../src/backup/backup-errors.js';

describe('an incomplete backup', () => {
  it("gives each failed metric's own advice, then the general one for failures without any", () => {
    const tagHint = 'give every series of ops.wide one tag key in common (or delete those that lack it)';
    const e = new BackupIncompleteError(
      [
        { metric: 'ops.wide', error: "cannot read ops.wide [...]: 1 of the 9001 series lack tag 'host'", hint: tagHint },
        { metric: 'ops.flaky', error: 'cannot read ops.flaky [...]: 503' },
        { metric: 'ops.flaky2', error: 'cannot read ops.flaky2 [...]: 503' },
      ],
      5,
    );
    expect(e.hint).toBe(`${tagHint}; run the backup again when the source is healthier (chunks already written are reused), or raise --retries`);
    expect(e.message).toMatch(/3 of 5 metric\(s\) could not be read/);
  });

  it('gives only the general advice when no failure has its own', () => {
    const e = new BackupIncompleteError([{ metric: 'a', error: 'cannot read a: 503' }], 1);
    expect(e.hint).toBe('run the backup again when the source is healthier (chunks already written are reused), or raise --retries');
  });
});
