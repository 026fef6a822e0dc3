// Writes annotations on one series through the TSD's own API: its TSUID from a query with showTSUIDs,
// then POST /api/annotation for each. Works on the real TSD and on the fake.

export interface AnnotationInput {
  /** Seconds, or milliseconds (OpenTSDB tells them apart by size). */
  startTime: number;
  description: string;
}

export async function annotateSeries(
  url: string,
  metric: string,
  tags: Record<string, string>,
  range: { start: number; end: number },
  notes: AnnotationInput[],
): Promise<string> {
  const filters = Object.entries(tags).map(([tagk, filter]) => ({ type: 'literal_or', tagk, filter, groupBy: false }));
  const res = await fetch(`${url}/api/query`, {
    method: 'POST',
    body: JSON.stringify({
      start: range.start,
      end: range.end,
      msResolution: true,
      showTSUIDs: true,
      noAnnotations: true,
      queries: [{ metric, aggregator: 'none', explicitTags: true, filters }],
    }),
  });
  if (!res.ok) throw new Error(`query for the TSUID of ${metric}${JSON.stringify(tags)}: HTTP ${res.status} ${await res.text()}`);
  const answer = (await res.json()) as Array<{ tsuids: string[] }>;
  if (answer.length !== 1 || answer[0]!.tsuids.length !== 1) throw new Error(`expected one series of ${metric}${JSON.stringify(tags)}, got ${answer.length}`);
  const tsuid = answer[0]!.tsuids[0]!;
  for (const n of notes) {
    const post = await fetch(`${url}/api/annotation`, { method: 'POST', body: JSON.stringify({ tsuid, ...n }) });
    if (!post.ok) throw new Error(`POST /api/annotation: HTTP ${post.status} ${await post.text()}`);
  }
  return tsuid;
}
