import { afterAll } from 'vitest';
import { failoverScenarios } from '../scenarios/failover.js';
import { startFakeTsd, type FakeTsd } from '../support/fake-tsd/index.js';
import { startSwitchableProxy, type SwitchableProxy } from '../support/switchable-proxy.js';

const started: Array<FakeTsd | SwitchableProxy> = [];
afterAll(async () => Promise.all(started.map((t) => t.close())));

failoverScenarios('fake TSD behind a switchable proxy', async () => {
  const primary = await startFakeTsd({ autoCreateMetrics: true });
  const standby = await startFakeTsd({ autoCreateMetrics: true });
  const proxy = await startSwitchableProxy(primary.url);
  started.push(primary, standby, proxy);
  return { primaryUrl: proxy.url, standbyUrl: standby.url, stopPrimary: () => proxy.down(), startPrimary: () => proxy.up() };
});
