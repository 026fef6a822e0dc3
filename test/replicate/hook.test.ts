import { describe, expect, it } from 'vitest';
import { runHook } from '../../src/replicate/hook.js';

describe('runHook', () => {
  it('passes the environment and the output on, and returns the exit code', async () => {
    const lines: string[] = [];
    const r = await runHook('echo "$TSDB_BACKUP_EVENT"; exit 3', { env: { TSDB_BACKUP_EVENT: 'failover' }, timeoutMs: 5000, log: (l) => lines.push(l) });
    expect(r.exitCode).toBe(3);
    expect(lines).toContain('hook: failover');
  });

  it('kills a compound command whole at the time limit', async () => {
    const started = Date.now();
    const r = await runHook('sleep 6; echo after', { env: {}, timeoutMs: 300, log: () => undefined });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(r.exitCode).toBe(137);
  });
});
