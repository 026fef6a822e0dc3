// Reads and writes annotations, UID and TS metadata through a TSD's own API, for tests that compare a
// source and a target field by field. Works on the real TSD and on the fake.

async function call(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return text === '' ? undefined : JSON.parse(text);
}

export async function postGlobalAnnotation(
  url: string,
  a: { startTime: number; endTime?: number; description: string; notes?: string; custom?: Record<string, string> },
): Promise<void> {
  await call(url, 'POST', '/api/annotation', a);
}

/** The UIDs of one single-tag series' TSUID (3-byte UIDs): metric, tag key, tag value. */
export function uidsOf(tsuid: string): { metric: string; tagk: string; tagv: string } {
  return { metric: tsuid.slice(0, 6), tagk: tsuid.slice(6, 12), tagv: tsuid.slice(12, 18) };
}

export async function setUidMeta(url: string, type: 'metric' | 'tagk' | 'tagv', uid: string, fields: Record<string, unknown>): Promise<void> {
  await call(url, 'POST', '/api/uid/uidmeta', { uid, type, ...fields });
}

export async function setTsMeta(url: string, metric: string, tags: Record<string, string>, fields: Record<string, unknown>): Promise<void> {
  const m = `${metric}{${Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
  await call(url, 'POST', `/api/uid/tsmeta?${new URLSearchParams({ m, create: 'true' })}`, fields);
}

interface Answer {
  tags: Record<string, string>;
  annotations?: Array<Record<string, unknown>>;
  globalAnnotations?: Array<Record<string, unknown>>;
}

/** Per-series annotations of a metric as [tags, annotation without its TSUID], and the global ones, in a range (ms). */
export async function readAnnotations(
  url: string,
  metric: string,
  range: { start: number; end: number },
): Promise<{ series: Array<{ tags: Record<string, string>; note: Record<string, unknown> }>; globals: Array<Record<string, unknown>> }> {
  const answer = (await call(url, 'POST', '/api/query', {
    start: range.start,
    end: range.end,
    msResolution: true,
    globalAnnotations: true,
    queries: [{ aggregator: 'none', metric }],
  })) as Answer[];
  const series = answer.flatMap((s) => (s.annotations ?? []).map(({ tsuid: _t, ...note }) => ({ tags: s.tags, note })));
  series.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const globals = (answer[0]?.globalAnnotations ?? []).map(({ tsuid: _t, ...note }) => note);
  return { series, globals };
}

/** TS metas of a metric with their metric and tag UID metadata, without UIDs and times (they differ between clusters). */
export async function readTsMeta(url: string, metric: string): Promise<Array<Record<string, unknown>>> {
  const list = (await call(url, 'GET', `/api/uid/tsmeta?${new URLSearchParams({ m: metric })}`)) as Array<Record<string, unknown>>;
  const strip = (u: Record<string, unknown>) => {
    const { uid: _u, created: _c, ...rest } = u;
    return rest;
  };
  return list.map((t) => {
    const { tsuid: _t, created: _c, lastReceived: _l, totalDatapoints: _d, metric: m, tags, ...rest } = t;
    return { ...rest, metric: strip(m as Record<string, unknown>), tags: (tags as Array<Record<string, unknown>>).map(strip) };
  });
}
