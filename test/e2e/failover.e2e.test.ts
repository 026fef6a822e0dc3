// Failover and failback against the real OpenTSDB 2.4.1.
import { afterAll, describe, inject } from 'vitest';
import { failoverScenarios } from '../scenarios/failover.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

const proxies: SwitchableProxy[] = [];
afterAll(async () => Promise.all(proxies.map((p) => p.close())));

describe.skipIf(inject('e2eSkipped'))('real OpenTSDB', () => {
  failoverScenarios('real OpenTSDB 2.4.1', async () => {
    const proxy = await startSwitchableProxy(inject('sourceUrl'));
    proxies.push(proxy);
    return { primaryUrl: proxy.url, standbyUrl: inject('targetUrl'), stopPrimary: () => proxy.down(), startPrimary: () => proxy.up() };
  });
});
