// The source TSD a benchmark writes into: the given URL, else the real OpenTSDB harness when Java is
// there, else the in-process fake TSD.

export async function sourceTsd(given: string | undefined, useFake: boolean): Promise<{ url: string; kind: string; stop: () => Promise<void> }> {
  if (given) return { url: given, kind: `given (${given})`, stop: async () => undefined };
  if (!useFake) {
    const { javaAvailable, startHarness } = await import('../test/e2e/harness/harness.js');
    if (await javaAvailable()) {
      const h = await startHarness({ hbaseHeapMb: 4096, tsdHeapMb: 1024, log: (l) => process.stderr.write(`harness: ${l}\n`) });
      return { url: h.sourceUrl, kind: 'OpenTSDB 2.4.1 on HBase (harness)', stop: () => h.stop() };
    }
  }
  const { startFakeTsd } = await import('../test/support/fake-tsd/index.js');
  const tsd = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  return { url: tsd.url, kind: 'in-process fake TSD', stop: () => tsd.close() };
}

/** A source and a target TSD: the given URLs, else the real OpenTSDB harness when Java is there, else two fake TSDs. */
export async function sourceAndTarget(
  given: { source?: string; target?: string },
  useFake: boolean,
): Promise<{ source: string; target: string; kind: string; stop: () => Promise<void> }> {
  if (given.source && given.target) return { source: given.source, target: given.target, kind: 'given', stop: async () => undefined };
  if (!useFake) {
    const { javaAvailable, startHarness } = await import('../test/e2e/harness/harness.js');
    if (await javaAvailable()) {
      const h = await startHarness({ hbaseHeapMb: 4096, tsdHeapMb: 2048, log: (l) => process.stderr.write(`harness: ${l}\n`) });
      return { source: h.sourceUrl, target: h.targetUrl, kind: 'OpenTSDB 2.4.1 on HBase (harness)', stop: () => h.stop() };
    }
  }
  const { startFakeTsd } = await import('../test/support/fake-tsd/index.js');
  const src = await startFakeTsd({ autoCreateMetrics: true, enableChunked: true, maxChunk: 1 << 20 });
  const dst = await startFakeTsd();
  return { source: src.url, target: dst.url, kind: 'in-process fake TSD', stop: async () => void (await Promise.all([src.close(), dst.close()])) };
}
