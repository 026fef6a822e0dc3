// Recorded from a REAL OpenTSDB 2.4.1 (Maven Central jar, HBase standalone) by test/e2e/harness/probe/probe.ts,
// results.txt of 2026-11-24. S = auto-create metrics, enable_chunked, max_chunk 1 MiB; T = defaults.
// Traces were cut to their first line by the probe; bodies over 3000 chars end with "... [N chars]".
// Bodies given as `bytes` were built by the probe's sized() helper (see parity.test.ts).
export interface RealExchange {
  label: string;
  server: 'S' | 'T';
  method: string;
  path: string;
  body?: string;
  bytes?: number;
  chunked?: boolean;
  gzip?: boolean;
  status: number;
  response: string;
}

export const REAL_TSD_EXCHANGES: RealExchange[] = [
 {
  "label": "version (source)",
  "server": "S",
  "method": "GET",
  "path": "/api/version",
  "status": 200,
  "response": "{\"short_revision\":\"eb125a342\",\"repo\":\"/Users/clarsen/Documents/opentsdb/opentsdb_OFFICIAL\",\"host\":\"C02ZM182LVDV\",\"version\":\"BuildData\",\"full_revision\":\"eb125a342040376450dd155fe600ff7d4b9c0eec\",\"repo_status\":\"MODIFIED\",\"user\":\"clarsen\",\"branch\":\"master\",\"timestamp\":\"1630622094\"}"
 },
 {
  "label": "seed probe.bound: ms points at T0+{0,999,1000,1001,2000,4999,5000,5001,5500,6000} ms, value = offset",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":10,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.bound\",\"timestamp\":1700000000000,\"value\":0,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000000999,\"value\":999,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000001000,\"value\":1000,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000001001,\"value\":1001,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000002000,\"value\":2000,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000004999,\"value\":4999,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000005000,\"value\":5000,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000005001,\"value\":5001,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000005500,\"value\":5500,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.bound\",\"timestamp\":1700000006000,\"value\":6000,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "a1 start=T0+1000ms end=T0+5000ms",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000001000,1000],[1700000001001,1001],[1700000002000,2000],[1700000004999,4999],[1700000005000,5000]]}]",
  "body": "{\"start\":1700000001000,\"end\":1700000005000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a2 start=T0+1001ms end=T0+4999ms",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000001001,1001],[1700000002000,2000],[1700000004999,4999]]}]",
  "body": "{\"start\":1700000001001,\"end\":1700000004999,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a3 start=end=T0+1000ms",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"End time [1700000001000] must be greater than the start time [1700000001000]\",\"details\":\"TSQuery(start_time=1700000001000, end_time=1700000001000, subQueries[TSSubQuery(metric=probe.bound, filters=[], tsuids=[], agg=none, downsample=null, ds_interval=0, rate=false, rate_options=null, explicit_tags=explicit_tags, index=0, percentiles=null, show_histogram_buckets=false)] padding=false, no_annotations=false, with_global_annotations=false, show_tsuids=false, ms_resolution=true, options=[])\",\"trace\":\"net.opentsdb.tsd.BadRequestException: End time [1700000001000] must be greater than the start time [1700000001000]\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"start\":1700000001000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a4 seconds: start=T0+1 end=T0+5 (10 digits)",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000001000,1000],[1700000001001,1001],[1700000002000,2000],[1700000004999,4999],[1700000005000,5000]]}]",
  "body": "{\"start\":1700000001,\"end\":1700000005,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a5 ms bounds but msResolution=false",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000001,1000],[1700000001,1001],[1700000002,2000],[1700000004,4999],[1700000005,5000]]}]",
  "body": "{\"start\":1700000001000,\"end\":1700000005000,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a6 without ?arrays (object form)",
  "server": "S",
  "method": "POST",
  "path": "/api/query",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":{\"1700000001000\":1000,\"1700000001001\":1001,\"1700000002000\":2000}}]",
  "body": "{\"start\":1700000001000,\"end\":1700000002000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a7 unknown metric",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"No such name for 'metrics': 'probe.no.such.metric'\",\"details\":\"No such name for 'metrics': 'probe.no.such.metric'\",\"trace\":\"net.opentsdb.tsd.BadRequestException: No such name for 'metrics': 'probe.no.such.metric'\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"start\":1700000000000,\"end\":1700000005000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.no.such.metric\"}]}"
 },
 {
  "label": "a8 known metric, no data in window",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[]}]",
  "body": "{\"start\":1700000100000,\"end\":1700000200000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a9 start/end as strings \"…ms\"",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.bound\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000001000,1000],[1700000001001,1001],[1700000002000,2000]]}]",
  "body": "{\"start\":\"1700000001000\",\"end\":\"1700000002000\",\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "a10 end before start",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"End time [1700000001000] must be greater than the start time [1700000005000]\",\"details\":\"TSQuery(start_time=1700000005000, end_time=1700000001000, subQueries[TSSubQuery(metric=probe.bound, filters=[], tsuids=[], agg=none, downsample=null, ds_interval=0, rate=false, rate_options=null, explicit_tags=explicit_tags, index=0, percentiles=null, show_histogram_buckets=false)] padding=false, no_annotations=false, with_global_annotations=false, show_tsuids=false, ms_resolution=true, options=[])\",\"trace\":\"net.opentsdb.tsd.BadRequestException: End time [1700000001000] must be greater than the start time [1700000005000]\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"start\":1700000005000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.bound\"}]}"
 },
 {
  "label": "b put \"9223372036854775807\" as string (case=c00)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"9223372036854775807\",\"tags\":{\"enc\":\"str\",\"case\":\"c00\"}}"
 },
 {
  "label": "b put 9223372036854775807 as number token (case=c00)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":9223372036854775807,\"tags\":{\"enc\":\"num\",\"case\":\"c00\"}}"
 },
 {
  "label": "b put \"-9223372036854775808\" as string (case=c01)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"-9223372036854775808\",\"tags\":{\"enc\":\"str\",\"case\":\"c01\"}}"
 },
 {
  "label": "b put -9223372036854775808 as number token (case=c01)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":-9223372036854775808,\"tags\":{\"enc\":\"num\",\"case\":\"c01\"}}"
 },
 {
  "label": "b put \"9007199254740993\" as string (case=c02)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"9007199254740993\",\"tags\":{\"enc\":\"str\",\"case\":\"c02\"}}"
 },
 {
  "label": "b put 9007199254740993 as number token (case=c02)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":9007199254740993,\"tags\":{\"enc\":\"num\",\"case\":\"c02\"}}"
 },
 {
  "label": "b put \"1.0\" as string (case=c03)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1.0\",\"tags\":{\"enc\":\"str\",\"case\":\"c03\"}}"
 },
 {
  "label": "b put 1.0 as number token (case=c03)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":1.0,\"tags\":{\"enc\":\"num\",\"case\":\"c03\"}}"
 },
 {
  "label": "b put \"1.5\" as string (case=c04)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1.5\",\"tags\":{\"enc\":\"str\",\"case\":\"c04\"}}"
 },
 {
  "label": "b put 1.5 as number token (case=c04)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":1.5,\"tags\":{\"enc\":\"num\",\"case\":\"c04\"}}"
 },
 {
  "label": "b put \"15.2\" as string (case=c05)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"15.2\",\"tags\":{\"enc\":\"str\",\"case\":\"c05\"}}"
 },
 {
  "label": "b put 15.2 as number token (case=c05)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":15.2,\"tags\":{\"enc\":\"num\",\"case\":\"c05\"}}"
 },
 {
  "label": "b put \"0.1\" as string (case=c06)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"0.1\",\"tags\":{\"enc\":\"str\",\"case\":\"c06\"}}"
 },
 {
  "label": "b put 0.1 as number token (case=c06)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":0.1,\"tags\":{\"enc\":\"num\",\"case\":\"c06\"}}"
 },
 {
  "label": "b put \"-0.0\" as string (case=c07)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"-0.0\",\"tags\":{\"enc\":\"str\",\"case\":\"c07\"}}"
 },
 {
  "label": "b put -0.0 as number token (case=c07)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":-0.0,\"tags\":{\"enc\":\"num\",\"case\":\"c07\"}}"
 },
 {
  "label": "b put \"1e-300\" as string (case=c08)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1e-300\",\"tags\":{\"enc\":\"str\",\"case\":\"c08\"}}"
 },
 {
  "label": "b put 1e-300 as number token (case=c08)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":1e-300,\"tags\":{\"enc\":\"num\",\"case\":\"c08\"}}"
 },
 {
  "label": "b put \"3.4028234663852886E38\" as string (case=c09)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"3.4028234663852886E38\",\"tags\":{\"enc\":\"str\",\"case\":\"c09\"}}"
 },
 {
  "label": "b put 3.4028234663852886E38 as number token (case=c09)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":3.4028234663852886E38,\"tags\":{\"enc\":\"num\",\"case\":\"c09\"}}"
 },
 {
  "label": "b put \"42\" as string (case=c10)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"42\",\"tags\":{\"enc\":\"str\",\"case\":\"c10\"}}"
 },
 {
  "label": "b put 42 as number token (case=c10)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":42,\"tags\":{\"enc\":\"num\",\"case\":\"c10\"}}"
 },
 {
  "label": "b put \"0\" as string (case=c11)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"0\",\"tags\":{\"enc\":\"str\",\"case\":\"c11\"}}"
 },
 {
  "label": "b put 0 as number token (case=c11)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":0,\"tags\":{\"enc\":\"num\",\"case\":\"c11\"}}"
 },
 {
  "label": "b put \"-1\" as string (case=c12)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"-1\",\"tags\":{\"enc\":\"str\",\"case\":\"c12\"}}"
 },
 {
  "label": "b put -1 as number token (case=c12)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":-1,\"tags\":{\"enc\":\"num\",\"case\":\"c12\"}}"
 },
 {
  "label": "b put \"1E3\" as string (case=c13)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1E3\",\"tags\":{\"enc\":\"str\",\"case\":\"c13\"}}"
 },
 {
  "label": "b put 1E3 as number token (case=c13)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":1E3,\"tags\":{\"enc\":\"num\",\"case\":\"c13\"}}"
 },
 {
  "label": "b put \"2.5e-3\" as string (case=c14)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"2.5e-3\",\"tags\":{\"enc\":\"str\",\"case\":\"c14\"}}"
 },
 {
  "label": "b put 2.5e-3 as number token (case=c14)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":2.5e-3,\"tags\":{\"enc\":\"num\",\"case\":\"c14\"}}"
 },
 {
  "label": "b put \"16777217.0\" as string (case=c15)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"16777217.0\",\"tags\":{\"enc\":\"str\",\"case\":\"c15\"}}"
 },
 {
  "label": "b put 16777217.0 as number token (case=c15)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":16777217.0,\"tags\":{\"enc\":\"num\",\"case\":\"c15\"}}"
 },
 {
  "label": "b put \"1.7976931348623157E308\" as string (case=c16)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1.7976931348623157E308\",\"tags\":{\"enc\":\"str\",\"case\":\"c16\"}}"
 },
 {
  "label": "b put 1.7976931348623157E308 as number token (case=c16)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":1.7976931348623157E308,\"tags\":{\"enc\":\"num\",\"case\":\"c16\"}}"
 },
 {
  "label": "b put \"4.9E-324\" as string (case=c17)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"4.9E-324\",\"tags\":{\"enc\":\"str\",\"case\":\"c17\"}}"
 },
 {
  "label": "b put 4.9E-324 as number token (case=c17)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":4.9E-324,\"tags\":{\"enc\":\"num\",\"case\":\"c17\"}}"
 },
 {
  "label": "b put \"NaN\" as string (case=c18)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"NaN\",\"tags\":{\"enc\":\"str\",\"case\":\"c18\"}},\"error\":\"Unable to parse value to a number\"}]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"NaN\",\"tags\":{\"enc\":\"str\",\"case\":\"c18\"}}"
 },
 {
  "label": "b put \"1.5x\" as string (case=c19)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1.5x\",\"tags\":{\"enc\":\"str\",\"case\":\"c19\"}},\"error\":\"Unable to parse value to a number\"}]}",
  "body": "{\"metric\":\"probe.values\",\"timestamp\":1700000000,\"value\":\"1.5x\",\"tags\":{\"enc\":\"str\",\"case\":\"c19\"}}"
 },
 {
  "label": "b query all probe.values",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c00\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,9223372036854775807]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c01\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-9223372036854775808]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c02\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,9007199254740993]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c03\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c04\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.5]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c05\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,15.2]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c06\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0.1]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c07\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-0.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c08\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.0E-300]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c09\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,3.4028234663852886E38]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c10\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,42]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c11\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c12\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-1]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c13\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1000.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c14\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0.0025]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c15\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.6777217E7]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c16\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.7976931348623157E308]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c17\",\"enc\":\"str\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4.9E-324]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c00\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,9223372036854775807]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c01\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-9223372036854775808]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c02\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,9007199254740993]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c03\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c04\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.5]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c05\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,15.2]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c06\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0.1]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c07\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-0.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c08\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.0E-300]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c09\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,3.4028234663852886E38]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c10\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,42]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c11\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c12\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,-1]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c13\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1000.0]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c14\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0.0025]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c15\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.6777217E7]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c16\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.7976931348623157E308]]},{\"metric\":\"probe.values\",\"tags\":{\"case\":\"c17\",\"enc\":\"num\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4.9E-324]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.values\"}]}"
 },
 {
  "label": "b2 telnet puts replayed over HTTP",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "body": "[{\"metric\":\"probe.telnet\",\"timestamp\":1700000000,\"value\":\"1.5\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.telnet\",\"timestamp\":1700000001,\"value\":\"15.2\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.telnet\",\"timestamp\":1700000002,\"value\":\"0.1\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.telnet\",\"timestamp\":1700000003,\"value\":\"16777216.0\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.telnet\",\"timestamp\":1700000004,\"value\":\"3\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.telnet\",\"timestamp\":1700000005,\"value\":\"1e-300\",\"tags\":{\"host\":\"a\"}}]",
  "status": 200,
  "response": "{\"success\":6,\"failed\":0,\"errors\":[]}"
 },
 {
  "label": "b2 query probe.telnet",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.telnet\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1.5],[1700000001000,15.2],[1700000002000,0.1],[1700000003000,1.6777216E7],[1700000004000,3.0],[1700000005000,1.0E-300]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.telnet\"}]}"
 },
 {
  "label": "c seed: T0 s=1, T0+250ms=2, T0+1 s=3, T0+1500ms=4, T0+2000ms (13 digits, ends in 000)=5, T0+3 s=6",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":6,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.mixed\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.mixed\",\"timestamp\":1700000000250,\"value\":2,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.mixed\",\"timestamp\":1700000001,\"value\":3,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.mixed\",\"timestamp\":1700000001500,\"value\":4,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.mixed\",\"timestamp\":1700000002000,\"value\":5,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.mixed\",\"timestamp\":1700000003,\"value\":6,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "c1 query ms",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.mixed\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1],[1700000000250,2],[1700000001000,3],[1700000001500,4],[1700000002000,5],[1700000003000,6]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.mixed\"}]}"
 },
 {
  "label": "c2 query without msResolution",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.mixed\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000,1],[1700000000,2],[1700000001,3],[1700000001,4],[1700000002,5],[1700000003,6]]}]",
  "body": "{\"start\":1699999999,\"end\":1700000010,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.mixed\"}]}"
 },
 {
  "label": "c3 put T0+5 (seconds) = 7",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup\",\"timestamp\":1700000005,\"value\":7,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c3 put T0+5000 ms (13 digits) = 7",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup\",\"timestamp\":1700000005000,\"value\":7,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c3 query",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.dup\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000005000,7]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.dup\"}]}"
 },
 {
  "label": "c4 put T0+7000ms = 1",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup2\",\"timestamp\":1700000007000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c4 put T0+7000ms = 2",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup2\",\"timestamp\":1700000007000,\"value\":2,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c4 query",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.dup2\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000007000,2]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.dup2\"}]}"
 },
 {
  "label": "c5 put T0+7000ms = 1",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup3\",\"timestamp\":1700000007000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c5 put T0+7000ms = \"1.0\"",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup3\",\"timestamp\":1700000007000,\"value\":\"1.0\",\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c5 query",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"Duplicate timestamp for key=[0, 0, 7, 101, 83, -19, -32, 0, 0, 1, 0, 0, 1], ms_offset=807000, older=[63, -16, 0, 0, 0, 0, 0, 0], newer=[1]; set tsd.storage.fix_duplicates=true to fix automatically or run Fsck\",\"details\":\"Duplicate timestamp for key=[0, 0, 7, 101, 83, -19, -32, 0, 0, 1, 0, 0, 1], ms_offset=807000, older=[63, -16, 0, 0, 0, 0, 0, 0], newer=[1]; set tsd.storage.fix_duplicates=true to fix automatically or run Fsck\",\"trace\":\"net.opentsdb.tsd.BadRequestException: Duplicate timestamp for key=[0, 0, 7, 101, 83, -19, -32, 0, 0, 1, 0, 0, 1], ms_offset=807000, older=[63, -16, 0, 0, 0, 0, 0, 0], newer=[1]; set tsd.storage.fix_duplicates=true to fix automatically or run Fsck\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"start\":1700000000000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.dup3\"}]}"
 },
 {
  "label": "c6 put T0+7000ms = 1",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup4\",\"timestamp\":1700000007000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c6 put again T0+7000ms = 1",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"probe.dup4\",\"timestamp\":1700000007000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "c6 query",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.dup4\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000007000,1]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.dup4\"}]}"
 },
 {
  "label": "d1 ?details&sync, all good",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":2,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000001,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000002,\"value\":2,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d2 ?details&sync, one bad value",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":2,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.put\",\"timestamp\":1700000004,\"value\":\"abc\",\"tags\":{\"host\":\"a\"}},\"error\":\"Unable to parse value to a number\"}]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000003,\"value\":3,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000004,\"value\":\"abc\",\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000005,\"value\":5,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d3 ?details&sync, one point without tags",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":1,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.put\",\"timestamp\":1700000007,\"value\":\"7\",\"tags\":{}},\"error\":\"Missing tags\"}]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000006,\"value\":6,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000007,\"value\":7,\"tags\":{}}]"
 },
 {
  "label": "d4 no flags, all good",
  "server": "S",
  "method": "POST",
  "path": "/api/put",
  "status": 204,
  "response": "",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000008,\"value\":8,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d5 no flags, one bad",
  "server": "S",
  "method": "POST",
  "path": "/api/put",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"One or more data points had errors\",\"details\":\"Please see the TSD logs or append \\\"details\\\" to the put request\",\"trace\":\"net.opentsdb.tsd.BadRequestException: One or more data points had errors\\n\\tat ... (trimmed by probe)\"}}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000009,\"value\":9,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000010,\"value\":\"abc\",\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d6 ?summary, one bad",
  "server": "S",
  "method": "POST",
  "path": "/api/put?summary",
  "status": 400,
  "response": "{\"success\":1,\"failed\":1}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000011,\"value\":11,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000012,\"value\":\"abc\",\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d7 ?details&sync on target, unknown metric",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.unknown\",\"timestamp\":1700000000,\"value\":\"1\",\"tags\":{\"host\":\"a\"}},\"error\":\"Unknown metric\"}]}",
  "body": "{\"metric\":\"probe.unknown\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "d8 no flags on target, unknown metric",
  "server": "T",
  "method": "POST",
  "path": "/api/put",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"One or more data points had errors\",\"details\":\"Please see the TSD logs or append \\\"details\\\" to the put request\",\"trace\":\"net.opentsdb.tsd.BadRequestException: One or more data points had errors\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"metric\":\"probe.unknown\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "d9 invalid JSON",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details",
  "status": 400,
  "response": "{\"error\":{\"code\":400,\"message\":\"Unable to parse the given JSON\",\"details\":\"com.fasterxml.jackson.databind.JsonMappingException: Unexpected end-of-input within/between Object entries\\n at [Source: (String)\\\"[{\\\"metric\\\":\\\"; line: 1, column: 23]\\n at [Source: (String)\\\"[{\\\"metric\\\":\\\"; line: 1, column: 3] (through reference chain: java.util.ArrayList[0])\",\"trace\":\"net.opentsdb.tsd.BadRequestException: Unable to parse the given JSON\\n\\tat ... (trimmed by probe)\"}}",
  "body": "[{\"metric\":"
 },
 {
  "label": "d10 ?details&sync&sync_timeout=5000, good",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync&sync_timeout=5000",
  "status": 200,
  "response": "{\"success\":1,\"timeouts\":0,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":1700000013,\"value\":13,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d11 timestamp 0 and negative value timestamp",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":2,\"errors\":[{\"datapoint\":{\"metric\":\"probe.put\",\"timestamp\":0,\"value\":\"1\",\"tags\":{\"host\":\"a\"}},\"error\":\"Invalid timestamp\"},{\"datapoint\":{\"metric\":\"probe.put\",\"timestamp\":-5,\"value\":\"1\",\"tags\":{\"host\":\"a\"}},\"error\":\"Invalid timestamp\"}]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":0,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":-5,\"value\":1,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "d12 timestamp with 14 digits and with a fraction",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":1,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.put\",\"timestamp\":17000000000000,\"value\":\"1\",\"tags\":{\"host\":\"a\"}},\"error\":\"bad timestamp=17000000000000 when trying to add value=[1]/0 to metric=probe.put, tags={host=a}\"}]}",
  "body": "[{\"metric\":\"probe.put\",\"timestamp\":17000000000000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.put\",\"timestamp\":1700000000.5,\"value\":1,\"tags\":{\"host\":\"a\"}}]"
 },
 {
  "label": "e0 assign probe.size on target",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 200,
  "response": "{\"metric\":{\"probe.size\":\"000001\"},\"tagk\":{\"host\":\"000001\"},\"tagv\":{\"a\":\"000001\"}}",
  "body": "{\"metric\":[\"probe.size\"],\"tagk\":[\"host\"],\"tagv\":[\"a\"]}"
 },
 {
  "label": "e Content-Length 8000",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":102,\"failed\":0,\"errors\":[]}",
  "bytes": 8000
 },
 {
  "label": "e Content-Length 8192",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":105,\"failed\":0,\"errors\":[]}",
  "bytes": 8192
 },
 {
  "label": "e Content-Length 8193",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "<!DOCTYPE html><html><head><meta http-equiv=content-type content=\"text/html;charset=utf-8\"><title>Bad Request</title>\n<style><!--\nbody{font-family:arial,sans-serif;margin-left:2em}A.l:link{color:#6f6f6f}A.u:link{color:green}.fwf{font-family:monospace;white-space:pre-wrap}//--></style></head>\n<body text=#000000 bgcolor=#ffffff><table border=0 cellpadding=2 cellspacing=0 width=100%><tr><td rowspan=3 width=1% nowrap><img src=s/opentsdb_header.jpg><td>&nbsp;</td></tr><tr><td><font color=#507e9b><b>Looks like it's your fault this time</b></td></tr><tr><td>&nbsp;</td></tr></table><blockquote><h1>Bad Request</h1>Sorry but your request was rejected as being invalid.<br/><br/>The reason provided was:<blockquote>Chunked request not supported.</blockquote></blockquote><table width=100% cellpadding=0 cellspacing=0><tr><td class=subg><img alt=\"\" width=1 height=6></td></tr></table></body></html>",
  "bytes": 8193
 },
 {
  "label": "e Content-Length 20000",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "<!DOCTYPE html><html><head><meta http-equiv=content-type content=\"text/html;charset=utf-8\"><title>Bad Request</title>\n<style><!--\nbody{font-family:arial,sans-serif;margin-left:2em}A.l:link{color:#6f6f6f}A.u:link{color:green}.fwf{font-family:monospace;white-space:pre-wrap}//--></style></head>\n<body text=#000000 bgcolor=#ffffff><table border=0 cellpadding=2 cellspacing=0 width=100%><tr><td rowspan=3 width=1% nowrap><img src=s/opentsdb_header.jpg><td>&nbsp;</td></tr><tr><td><font color=#507e9b><b>Looks like it's your fault this time</b></td></tr><tr><td>&nbsp;</td></tr></table><blockquote><h1>Bad Request</h1>Sorry but your request was rejected as being invalid.<br/><br/>The reason provided was:<blockquote>Chunked request not supported.</blockquote></blockquote><table width=100% cellpadding=0 cellspacing=0><tr><td class=subg><img alt=\"\" width=1 height=6></td></tr></table></body></html>",
  "bytes": 20000
 },
 {
  "label": "e chunked transfer-encoding, 500 bytes",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "<!DOCTYPE html><html><head><meta http-equiv=content-type content=\"text/html;charset=utf-8\"><title>Bad Request</title>\n<style><!--\nbody{font-family:arial,sans-serif;margin-left:2em}A.l:link{color:#6f6f6f}A.u:link{color:green}.fwf{font-family:monospace;white-space:pre-wrap}//--></style></head>\n<body text=#000000 bgcolor=#ffffff><table border=0 cellpadding=2 cellspacing=0 width=100%><tr><td rowspan=3 width=1% nowrap><img src=s/opentsdb_header.jpg><td>&nbsp;</td></tr><tr><td><font color=#507e9b><b>Looks like it's your fault this time</b></td></tr><tr><td>&nbsp;</td></tr></table><blockquote><h1>Bad Request</h1>Sorry but your request was rejected as being invalid.<br/><br/>The reason provided was:<blockquote>Chunked request not supported.</blockquote></blockquote><table width=100% cellpadding=0 cellspacing=0><tr><td class=subg><img alt=\"\" width=1 height=6></td></tr></table></body></html>",
  "bytes": 500,
  "chunked": true
 },
 {
  "label": "e gzip, compressed < 8192, uncompressed 20000",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":254,\"failed\":0,\"errors\":[]}",
  "bytes": 1381,
  "gzip": true
 },
 {
  "label": "e gzip, small (4000 uncompressed)",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":51,\"failed\":0,\"errors\":[]}",
  "bytes": 344,
  "gzip": true
 },
 {
  "label": "e check: how many probe.size points the target has",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.size\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000000,512.0]]}]",
  "body": "{\"start\":1700000000,\"end\":1701000000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"sum\",\"metric\":\"probe.size\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "e source Content-Length 8193",
  "server": "S",
  "method": "POST",
  "path": "/api/put?summary",
  "status": 200,
  "response": "{\"success\":105,\"failed\":0}",
  "bytes": 8193
 },
 {
  "label": "e source Content-Length 1048576",
  "server": "S",
  "method": "POST",
  "path": "/api/put?summary",
  "status": 200,
  "response": "{\"success\":13082,\"failed\":0}",
  "bytes": 1048576
 },
 {
  "label": "e source Content-Length 1048577",
  "server": "S",
  "method": "POST",
  "path": "/api/put?summary",
  "status": 0,
  "response": "(no HTTP response: Error: socket hang up)",
  "bytes": 1048577
 },
 {
  "label": "e source Content-Length 2097152",
  "server": "S",
  "method": "POST",
  "path": "/api/put?summary",
  "status": 0,
  "response": "(no HTTP response: Error: socket hang up)",
  "bytes": 2097152
 },
 {
  "label": "f1 all new",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 200,
  "response": "{\"metric\":{\"probe.f.a\":\"000002\",\"probe.f.b\":\"000003\"},\"tagk\":{\"fk\":\"000002\"},\"tagv\":{\"fv\":\"000002\"}}",
  "body": "{\"metric\":[\"probe.f.a\",\"probe.f.b\"],\"tagk\":[\"fk\"],\"tagv\":[\"fv\"]}"
 },
 {
  "label": "f2 mix of existing and new",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 400,
  "response": "{\"tagv_errors\":{\"fv\":\"Name already exists with UID: 000002\"},\"metric\":{\"probe.f.c\":\"000004\"},\"tagk\":{\"fk2\":\"000003\"},\"tagk_errors\":{\"fk\":\"Name already exists with UID: 000002\"},\"metric_errors\":{\"probe.f.a\":\"Name already exists with UID: 000002\"},\"tagv\":{\"fv2\":\"000003\"}}",
  "body": "{\"metric\":[\"probe.f.a\",\"probe.f.c\"],\"tagk\":[\"fk\",\"fk2\"],\"tagv\":[\"fv\",\"fv2\"]}"
 },
 {
  "label": "f3 all existing",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 400,
  "response": "{\"metric\":{},\"metric_errors\":{\"probe.f.a\":\"Name already exists with UID: 000002\"}}",
  "body": "{\"metric\":[\"probe.f.a\"]}"
 },
 {
  "label": "f4 invalid name",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 400,
  "response": "{\"metric\":{\"probe.f.d\":\"000005\"},\"metric_errors\":{\"bad name!\":\"Invalid metric (\\\"bad name!\\\"): illegal character:  \"}}",
  "body": "{\"metric\":[\"bad name!\",\"probe.f.d\"]}"
 },
 {
  "label": "g1 suggest q= max=100000 (source)",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=&max=100000",
  "status": 200,
  "response": "[\"probe.bound\",\"probe.dup\",\"probe.dup2\",\"probe.dup3\",\"probe.dup4\",\"probe.mixed\",\"probe.put\",\"probe.size\",\"probe.telnet\",\"probe.values\"]"
 },
 {
  "label": "g2 suggest q=probe.d max=100000",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=probe.d&max=100000",
  "status": 200,
  "response": "[\"probe.dup\",\"probe.dup2\",\"probe.dup3\",\"probe.dup4\"]"
 },
 {
  "label": "g3 suggest q= (no max: default 25)",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=",
  "status": 200,
  "response": "[\"probe.bound\",\"probe.dup\",\"probe.dup2\",\"probe.dup3\",\"probe.dup4\",\"probe.mixed\",\"probe.put\",\"probe.size\",\"probe.telnet\",\"probe.values\"]"
 },
 {
  "label": "g4 suggest without q",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=metrics&max=5",
  "status": 200,
  "response": "[\"probe.bound\",\"probe.dup\",\"probe.dup2\",\"probe.dup3\",\"probe.dup4\"]"
 },
 {
  "label": "g5 suggest tagk q=",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=tagk&q=&max=100000",
  "status": 200,
  "response": "[\"case\",\"enc\",\"host\"]"
 },
 {
  "label": "g aggregators",
  "server": "S",
  "method": "GET",
  "path": "/api/aggregators",
  "status": 200,
  "response": "[\"mult\",\"p90\",\"zimsum\",\"mimmax\",\"sum\",\"p50\",\"none\",\"p95\",\"ep99r7\",\"pfsum\",\"p75\",\"p99\",\"ep99r3\",\"ep95r7\",\"min\",\"avg\",\"ep75r7\",\"dev\",\"ep95r3\",\"ep75r3\",\"ep50r7\",\"ep90r7\",\"mimmin\",\"p999\",\"ep50r3\",\"ep90r3\",\"ep999r7\",\"last\",\"max\",\"count\",\"diff\",\"median\",\"squareSum\",\"ep999r3\",\"first\"]"
 },
 {
  "label": "h seed: 20 series x 3 hour rows",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":60,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":0,\"tags\":{\"host\":\"h00\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":0,\"tags\":{\"host\":\"h00\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":0,\"tags\":{\"host\":\"h00\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"h01\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":1,\"tags\":{\"host\":\"h01\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":1,\"tags\":{\"host\":\"h01\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":2,\"tags\":{\"host\":\"h02\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":2,\"tags\":{\"host\":\"h02\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":2,\"tags\":{\"host\":\"h02\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":3,\"tags\":{\"host\":\"h03\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":3,\"tags\":{\"host\":\"h03\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":3,\"tags\":{\"host\":\"h03\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":4,\"tags\":{\"host\":\"h04\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":4,\"tags\":{\"host\":\"h04\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":4,\"tags\":{\"host\":\"h04\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":5,\"tags\":{\"host\":\"h05\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":5,\"tags\":{\"host\":\"h05\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":5,\"tags\":{\"host\":\"h05\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":6,\"tags\":{\"host\":\"h06\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":6,\"tags\":{\"host\":\"h06\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":6,\"tags\":{\"host\":\"h06\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":7,\"tags\":{\"host\":\"h07\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":7,\"tags\":{\"host\":\"h07\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":7,\"tags\":{\"host\":\"h07\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":8,\"tags\":{\"host\":\"h08\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":8,\"tags\":{\"host\":\"h08\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":8,\"tags\":{\"host\":\"h08\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":9,\"tags\":{\"host\":\"h09\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":9,\"tags\":{\"host\":\"h09\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":9,\"tags\":{\"host\":\"h09\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":10,\"tags\":{\"host\":\"h10\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":10,\"tags\":{\"host\":\"h10\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":10,\"tags\":{\"host\":\"h10\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":11,\"tags\":{\"host\":\"h11\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700003600,\"value\":11,\"tags\":{\"host\":\"h11\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700007200,\"value\":11,\"tags\":{\"host\":\"h11\"}},{\"metric\":\"probe.lookup\",\"timestamp\":1700000000,\"value\":12,\"tags\":{\"host\":\"h1... [4891 chars]"
 },
 {
  "label": "h1 limit 5",
  "server": "S",
  "method": "POST",
  "path": "/api/search/lookup",
  "status": 200,
  "response": "{\"type\":\"LOOKUP\",\"metric\":\"probe.lookup\",\"limit\":5,\"time\":19.0,\"results\":[{\"tsuid\":\"00000B000001000016\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h00\"}},{\"tsuid\":\"00000B000001000017\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h01\"}},{\"tsuid\":\"00000B000001000018\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h02\"}},{\"tsuid\":\"00000B000001000019\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h03\"}},{\"tsuid\":\"00000B00000100001A\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h04\"}}],\"startIndex\":0,\"totalResults\":5}",
  "body": "{\"metric\":\"probe.lookup\",\"useMeta\":false,\"limit\":5}"
 },
 {
  "label": "h2 limit 1000",
  "server": "S",
  "method": "POST",
  "path": "/api/search/lookup",
  "status": 200,
  "response": "{\"type\":\"LOOKUP\",\"metric\":\"probe.lookup\",\"limit\":1000,\"time\":1.0,\"results\":[{\"tsuid\":\"00000B000001000016\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h00\"}},{\"tsuid\":\"00000B000001000017\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h01\"}},{\"tsuid\":\"00000B000001000018\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h02\"}},{\"tsuid\":\"00000B000001000019\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h03\"}},{\"tsuid\":\"00000B00000100001A\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h04\"}},{\"tsuid\":\"00000B00000100001B\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h05\"}},{\"tsuid\":\"00000B00000100001C\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h06\"}},{\"tsuid\":\"00000B00000100001D\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h07\"}},{\"tsuid\":\"00000B00000100001E\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h08\"}},{\"tsuid\":\"00000B00000100001F\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h09\"}},{\"tsuid\":\"00000B000001000020\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h10\"}},{\"tsuid\":\"00000B000001000021\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h11\"}},{\"tsuid\":\"00000B000001000022\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h12\"}},{\"tsuid\":\"00000B000001000023\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h13\"}},{\"tsuid\":\"00000B000001000024\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h14\"}},{\"tsuid\":\"00000B000001000025\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h15\"}},{\"tsuid\":\"00000B000001000026\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h16\"}},{\"tsuid\":\"00000B000001000027\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h17\"}},{\"tsuid\":\"00000B000001000028\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h18\"}},{\"tsuid\":\"00000B000001000029\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h19\"}},{\"tsuid\":\"00000B000001000016\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h00\"}},{\"tsuid\":\"00000B000001000017\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h01\"}},{\"tsuid\":\"00000B000001000018\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h02\"}},{\"tsuid\":\"00000B000001000019\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h03\"}},{\"tsuid\":\"00000B00000100001A\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h04\"}},{\"tsuid\":\"00000B00000100001B\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h05\"}},{\"tsuid\":\"00000B00000100001C\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h06\"}},{\"tsuid\":\"00000B00000100001D\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h07\"}},{\"tsuid\":\"00000B00000100001E\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h08\"}},{\"tsuid\":\"00000B00000100001F\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h09\"}},{\"tsuid\":\"00000B000001000020\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h10\"}},{\"tsuid\":\"00000B000001000021\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h11\"}},{\"tsuid\":\"00000B000001000022\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h12\"}},{\"tsuid\":\"00000B000001000023\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h13\"}},{\"tsuid\":\"00000B000001000024\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h14\"}},{\"tsuid\":\"00000B000001000025\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h15\"}},{\"tsuid\":\"00000B000001000026\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h16\"}},{\"tsuid\":\"00000B000001000027\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h17\"}... [4730 chars]",
  "body": "{\"metric\":\"probe.lookup\",\"useMeta\":false,\"limit\":1000}"
 },
 {
  "label": "h3 no limit (default 25)",
  "server": "S",
  "method": "POST",
  "path": "/api/search/lookup",
  "status": 200,
  "response": "{\"type\":\"LOOKUP\",\"metric\":\"probe.lookup\",\"limit\":25,\"time\":1.0,\"results\":[{\"tsuid\":\"00000B000001000016\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h00\"}},{\"tsuid\":\"00000B000001000017\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h01\"}},{\"tsuid\":\"00000B000001000018\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h02\"}},{\"tsuid\":\"00000B000001000019\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h03\"}},{\"tsuid\":\"00000B00000100001A\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h04\"}},{\"tsuid\":\"00000B00000100001B\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h05\"}},{\"tsuid\":\"00000B00000100001C\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h06\"}},{\"tsuid\":\"00000B00000100001D\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h07\"}},{\"tsuid\":\"00000B00000100001E\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h08\"}},{\"tsuid\":\"00000B00000100001F\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h09\"}},{\"tsuid\":\"00000B000001000020\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h10\"}},{\"tsuid\":\"00000B000001000021\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h11\"}},{\"tsuid\":\"00000B000001000022\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h12\"}},{\"tsuid\":\"00000B000001000023\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h13\"}},{\"tsuid\":\"00000B000001000024\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h14\"}},{\"tsuid\":\"00000B000001000025\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h15\"}},{\"tsuid\":\"00000B000001000026\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h16\"}},{\"tsuid\":\"00000B000001000027\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h17\"}},{\"tsuid\":\"00000B000001000028\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h18\"}},{\"tsuid\":\"00000B000001000029\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h19\"}},{\"tsuid\":\"00000B000001000016\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h00\"}},{\"tsuid\":\"00000B000001000017\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h01\"}},{\"tsuid\":\"00000B000001000018\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h02\"}},{\"tsuid\":\"00000B000001000019\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h03\"}},{\"tsuid\":\"00000B00000100001A\",\"metric\":\"probe.lookup\",\"tags\":{\"host\":\"h04\"}}],\"startIndex\":0,\"totalResults\":25}",
  "body": "{\"metric\":\"probe.lookup\",\"useMeta\":false}"
 },
 {
  "label": "h4 useMeta default (meta table, empty)",
  "server": "S",
  "method": "POST",
  "path": "/api/search/lookup",
  "status": 200,
  "response": "{\"type\":\"LOOKUP\",\"metric\":\"probe.lookup\",\"limit\":5,\"time\":6.0,\"results\":[],\"startIndex\":0,\"totalResults\":0}",
  "body": "{\"metric\":\"probe.lookup\",\"limit\":5}"
 },
 {
  "label": "i seed",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":10,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.count\",\"timestamp\":1700000000000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000001000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000002000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000003000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000004000,\"value\":1,\"tags\":{\"host\":\"a\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000000000,\"value\":1,\"tags\":{\"host\":\"b\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000001000,\"value\":1,\"tags\":{\"host\":\"b\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000007000,\"value\":1,\"tags\":{\"host\":\"b\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000000001,\"value\":1,\"tags\":{\"host\":\"c\"}},{\"metric\":\"probe.count\",\"timestamp\":1700000009001,\"value\":1,\"tags\":{\"host\":\"c\"}}]"
 },
 {
  "label": "i1 sum + 0all-count",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{},\"aggregateTags\":[\"host\"],\"dps\":[[1700000000000,10.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"sum\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "i2 count + 0all-count",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{},\"aggregateTags\":[\"host\"],\"dps\":[[1700000000000,3.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"count\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "i3 none + 0all-count",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000000,5.0]]},{\"metric\":\"probe.count\",\"tags\":{\"host\":\"b\"},\"aggregateTags\":[],\"dps\":[[1700000000000,3.0]]},{\"metric\":\"probe.count\",\"tags\":{\"host\":\"c\"},\"aggregateTags\":[],\"dps\":[[1700000000000,2.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"none\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "i4 count, no downsample",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{},\"aggregateTags\":[\"host\"],\"dps\":[[1700000000000,2],[1700000000001,3],[1700000001000,3],[1700000002000,3],[1700000003000,3],[1700000004000,3],[1700000007000,2],[1700000009001,1]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"count\"}]}"
 },
 {
  "label": "i5 zimsum + 0all-count",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{},\"aggregateTags\":[\"host\"],\"dps\":[[1700000000000,10.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"zimsum\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "i6 sum + 0all-count, window with no points of host c",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{},\"aggregateTags\":[\"host\"],\"dps\":[[1700000000000,7.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000004000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"sum\",\"downsample\":\"0all-count\"}]}"
 },
 {
  "label": "i7 sum + 0all-count + groupBy host (filter *)",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.count\",\"tags\":{\"host\":\"a\"},\"aggregateTags\":[],\"dps\":[[1700000000000,5.0]]},{\"metric\":\"probe.count\",\"tags\":{\"host\":\"b\"},\"aggregateTags\":[],\"dps\":[[1700000000000,3.0]]},{\"metric\":\"probe.count\",\"tags\":{\"host\":\"c\"},\"aggregateTags\":[],\"dps\":[[1700000000000,2.0]]}]",
  "body": "{\"start\":1700000000000,\"end\":1700000060000,\"msResolution\":true,\"queries\":[{\"metric\":\"probe.count\",\"aggregator\":\"sum\",\"downsample\":\"0all-count\",\"filters\":[{\"type\":\"wildcard\",\"tagk\":\"host\",\"filter\":\"*\",\"groupBy\":true}]}]}"
 },
 {
  "label": "j seed: {host=alpha}, {host=zulu}, {dc=x}, {host=mike,dc=y}",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":4,\"failed\":0,\"errors\":[]}",
  "body": "[{\"metric\":\"probe.filter\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"alpha\"}},{\"metric\":\"probe.filter\",\"timestamp\":1700000000,\"value\":2,\"tags\":{\"host\":\"zulu\"}},{\"metric\":\"probe.filter\",\"timestamp\":1700000000,\"value\":3,\"tags\":{\"dc\":\"x\"}},{\"metric\":\"probe.filter\",\"timestamp\":1700000000,\"value\":4,\"tags\":{\"host\":\"mike\",\"dc\":\"y\"}}]"
 },
 {
  "label": "j1 regexp ^[a-m].* groupBy true",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"mike\",\"dc\":\"y\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"filters\":[{\"type\":\"regexp\",\"tagk\":\"host\",\"filter\":\"^[a-m].*\",\"groupBy\":true}]}]}"
 },
 {
  "label": "j2 regexp ^[a-m].* groupBy false",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"mike\",\"dc\":\"y\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"filters\":[{\"type\":\"regexp\",\"tagk\":\"host\",\"filter\":\"^[a-m].*\",\"groupBy\":false}]}]}"
 },
 {
  "label": "j3 wildcard host=*",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"zulu\"},\"aggregateTags\":[],\"dps\":[[1700000000000,2]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"mike\",\"dc\":\"y\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"filters\":[{\"type\":\"wildcard\",\"tagk\":\"host\",\"filter\":\"*\",\"groupBy\":false}]}]}"
 },
 {
  "label": "j4 not_literal_or host=zulu",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"mike\",\"dc\":\"y\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"filters\":[{\"type\":\"not_literal_or\",\"tagk\":\"host\",\"filter\":\"zulu\",\"groupBy\":false}]}]}"
 },
 {
  "label": "j5 no filter",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"zulu\"},\"aggregateTags\":[],\"dps\":[[1700000000000,2]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"mike\",\"dc\":\"y\"},\"aggregateTags\":[],\"dps\":[[1700000000000,4]]},{\"metric\":\"probe.filter\",\"tags\":{\"dc\":\"x\"},\"aggregateTags\":[],\"dps\":[[1700000000000,3]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"filters\":[]}]}"
 },
 {
  "label": "j6 explicitTags with host=*",
  "server": "S",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"alpha\"},\"aggregateTags\":[],\"dps\":[[1700000000000,1]]},{\"metric\":\"probe.filter\",\"tags\":{\"host\":\"zulu\"},\"aggregateTags\":[],\"dps\":[[1700000000000,2]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000001000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"probe.filter\",\"explicitTags\":true,\"filters\":[{\"type\":\"wildcard\",\"tagk\":\"host\",\"filter\":\"*\",\"groupBy\":false}]}]}"
 },
 {
  "label": "k1 assign names on target",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 400,
  "response": "{\"metric\":{\"9metric.start\":\"000006\",\"Metric.Cap\":\"000007\",\"_under\":\"00000A\",\"a/b-c_d.e\":\"00000B\",\"métrique.é\":\"000008\",\"東京.cpu\":\"000009\"},\"tagk\":{\"Ort\":\"000005\",\"city\":\"000004\"},\"metric_errors\":{\"~tilde\":\"Invalid metric (\\\"~tilde\\\"): illegal character: ~\"},\"tagv\":{\"Zürich\":\"000006\",\"zürich\":\"000004\",\"東京\":\"000005\"}}",
  "body": "{\"metric\":[\"9metric.start\",\"Metric.Cap\",\"métrique.é\",\"東京.cpu\",\"_under\",\"~tilde\",\"a/b-c_d.e\"],\"tagk\":[\"city\",\"Ort\"],\"tagv\":[\"zürich\",\"東京\",\"Zürich\"]}"
 },
 {
  "label": "k2 put to target (names assigned)",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":6,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"~tilde\",\"timestamp\":1700000005,\"value\":\"5\",\"tags\":{\"city\":\"zürich\"}},\"error\":\"Invalid metric name (\\\"~tilde\\\"): illegal character: ~\"}]}",
  "body": "[{\"metric\":\"9metric.start\",\"timestamp\":1700000000,\"value\":0,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"Metric.Cap\",\"timestamp\":1700000001,\"value\":1,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"métrique.é\",\"timestamp\":1700000002,\"value\":2,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"東京.cpu\",\"timestamp\":1700000003,\"value\":3,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"_under\",\"timestamp\":1700000004,\"value\":4,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"~tilde\",\"timestamp\":1700000005,\"value\":5,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"a/b-c_d.e\",\"timestamp\":1700000006,\"value\":6,\"tags\":{\"city\":\"東京\"}}]"
 },
 {
  "label": "k3 put to target, tag value with a space",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"Metric.Cap\",\"timestamp\":1700000100,\"value\":\"1\",\"tags\":{\"city\":\"São Paulo\"}},\"error\":\"Invalid tag value with key [city] (\\\"São Paulo\\\"): illegal character:  \"}]}",
  "body": "{\"metric\":\"Metric.Cap\",\"timestamp\":1700000100,\"value\":1,\"tags\":{\"city\":\"São Paulo\"}}"
 },
 {
  "label": "k3b put to target, new Latin-1 tag value (tagv auto-created)",
  "server": "T",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 200,
  "response": "{\"success\":1,\"failed\":0,\"errors\":[]}",
  "body": "{\"metric\":\"Metric.Cap\",\"timestamp\":1700000101,\"value\":1,\"tags\":{\"city\":\"São_Paulo\"}}"
 },
 {
  "label": "k4 put to source (auto-create)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":6,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"~tilde\",\"timestamp\":1700000005,\"value\":\"5\",\"tags\":{\"city\":\"zürich\"}},\"error\":\"Invalid metric name (\\\"~tilde\\\"): illegal character: ~\"}]}",
  "body": "[{\"metric\":\"9metric.start\",\"timestamp\":1700000000,\"value\":0,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"Metric.Cap\",\"timestamp\":1700000001,\"value\":1,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"métrique.é\",\"timestamp\":1700000002,\"value\":2,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"東京.cpu\",\"timestamp\":1700000003,\"value\":3,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"_under\",\"timestamp\":1700000004,\"value\":4,\"tags\":{\"city\":\"東京\"}},{\"metric\":\"~tilde\",\"timestamp\":1700000005,\"value\":5,\"tags\":{\"city\":\"zürich\"}},{\"metric\":\"a/b-c_d.e\",\"timestamp\":1700000006,\"value\":6,\"tags\":{\"city\":\"東京\"}}]"
 },
 {
  "label": "k5 query 東京.cpu on target",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"東京.cpu\",\"tags\":{\"city\":\"zürich\"},\"aggregateTags\":[],\"dps\":[[1700000003000,3]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"東京.cpu\"}]}"
 },
 {
  "label": "k6 query Metric.Cap on target, literal_or city=zürich|São_Paulo",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"Metric.Cap\",\"tags\":{\"city\":\"zürich\"},\"aggregateTags\":[],\"dps\":[[1700000001000,1]]},{\"metric\":\"Metric.Cap\",\"tags\":{\"city\":\"São_Paulo\"},\"aggregateTags\":[],\"dps\":[[1700000101000,1]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000200000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"Metric.Cap\",\"filters\":[{\"type\":\"literal_or\",\"tagk\":\"city\",\"filter\":\"zürich|São_Paulo\",\"groupBy\":true}]}]}"
 },
 {
  "label": "k6b query 9metric.start on target (its tag value was 東京)",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"9metric.start\",\"tags\":{\"city\":\"東京\"},\"aggregateTags\":[],\"dps\":[[1700000000000,0]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"9metric.start\"}]}"
 },
 {
  "label": "k6c query 東京.cpu with showTSUIDs",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"東京.cpu\",\"tags\":{\"city\":\"zürich\"},\"aggregateTags\":[],\"tsuids\":[\"000009000004000004\"],\"dps\":[[1700000003000,3]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"showTSUIDs\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"東京.cpu\"}]}"
 },
 {
  "label": "k6d assign 北京.cpu / tagv 北京 on target (UID names are ISO-8859-1: collision?)",
  "server": "T",
  "method": "POST",
  "path": "/api/uid/assign",
  "status": 500,
  "response": "{\"error\":{\"code\":500,\"message\":\"id=[0, 0, 9] => name=北京.cpu, already mapped to 東京.cpu\",\"trace\":\"java.lang.IllegalStateException: id=[0, 0, 9] => name=北京.cpu, already mapped to 東京.cpu\\n\\tat ... (trimmed by probe)\"}}",
  "body": "{\"metric\":[\"北京.cpu\"],\"tagv\":[\"北京\"]}"
 },
 {
  "label": "k6e query 北京.cpu on target (never written)",
  "server": "T",
  "method": "POST",
  "path": "/api/query?arrays",
  "status": 200,
  "response": "[{\"metric\":\"東京.cpu\",\"tags\":{\"city\":\"zürich\"},\"aggregateTags\":[],\"dps\":[[1700000003000,3]]}]",
  "body": "{\"start\":1699999999000,\"end\":1700000010000,\"msResolution\":true,\"queries\":[{\"aggregator\":\"none\",\"metric\":\"北京.cpu\"}]}"
 },
 {
  "label": "k6f GET /api/uid/uidmeta?uid=000009&type=metric on target",
  "server": "T",
  "method": "GET",
  "path": "/api/uid/uidmeta?uid=000009&type=metric",
  "status": 200,
  "response": "{\"uid\":\"000009\",\"type\":\"METRIC\",\"name\":\"東京.cpu\",\"description\":\"\",\"notes\":\"\",\"created\":0,\"custom\":null,\"displayName\":\"\"}"
 },
 {
  "label": "k7 suggest metrics q= on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=&max=100000",
  "status": 500,
  "response": "{\"error\":{\"code\":500,\"message\":\"Unexpected exception caught by UniqueId(tsdb-target-uid, metrics, 3).suggest()\",\"trace\":\"java.lang.RuntimeException: Unexpected exception caught by UniqueId(tsdb-target-uid, metrics, 3).suggest()\\n\\tat ... (trimmed by probe)\"}}"
 },
 {
  "label": "k7b suggest metrics q= on source",
  "server": "S",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=&max=100000",
  "status": 500,
  "response": "{\"error\":{\"code\":500,\"message\":\"Unexpected exception caught by UniqueId(tsdb-source-uid, metrics, 3).suggest()\",\"trace\":\"java.lang.RuntimeException: Unexpected exception caught by UniqueId(tsdb-source-uid, metrics, 3).suggest()\\n\\tat ... (trimmed by probe)\"}}"
 },
 {
  "label": "k8 suggest metrics q=m on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=m&max=100",
  "status": 200,
  "response": "[\"métrique.é\"]"
 },
 {
  "label": "k8b suggest metrics q=M on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=M&max=100",
  "status": 200,
  "response": "[\"Metric.Cap\"]"
 },
 {
  "label": "k8c suggest metrics q=9 on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=9&max=100",
  "status": 200,
  "response": "[\"9metric.start\"]"
 },
 {
  "label": "k8d suggest metrics q=_ on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=_&max=100",
  "status": 200,
  "response": "[\"_under\"]"
 },
 {
  "label": "k8e suggest metrics q=a on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=a&max=100",
  "status": 200,
  "response": "[\"a/b-c_d.e\"]"
 },
 {
  "label": "k9 suggest metrics q=東 on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=metrics&q=%E6%9D%B1&max=100",
  "status": 200,
  "response": "[\"??.cpu\"]"
 },
 {
  "label": "k10 suggest tagv q= on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=tagv&q=&max=100000",
  "status": 500,
  "response": "{\"error\":{\"code\":500,\"message\":\"Unexpected exception caught by UniqueId(tsdb-target-uid, tagv, 3).suggest()\",\"trace\":\"java.lang.RuntimeException: Unexpected exception caught by UniqueId(tsdb-target-uid, tagv, 3).suggest()\\n\\tat ... (trimmed by probe)\"}}"
 },
 {
  "label": "k10b suggest tagv q=z on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=tagv&q=z&max=100",
  "status": 200,
  "response": "[\"zürich\"]"
 },
 {
  "label": "k10c suggest tagv q=Z on target",
  "server": "T",
  "method": "GET",
  "path": "/api/suggest?type=tagv&q=Z&max=100",
  "status": 200,
  "response": "[\"Zürich\"]"
 },
 {
  "label": "k11 metric with a space",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"bad metric\",\"timestamp\":1700000000,\"value\":\"1\",\"tags\":{\"host\":\"a\"}},\"error\":\"Invalid metric name (\\\"bad metric\\\"): illegal character:  \"}]}",
  "body": "{\"metric\":\"bad metric\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"host\":\"a\"}}"
 },
 {
  "label": "k12 9 tags (max_tags 8)",
  "server": "S",
  "method": "POST",
  "path": "/api/put?details&sync",
  "status": 400,
  "response": "{\"success\":0,\"failed\":1,\"errors\":[{\"datapoint\":{\"metric\":\"probe.tags\",\"timestamp\":1700000000,\"value\":\"1\",\"tags\":{\"k0\":\"v\",\"k1\":\"v\",\"k2\":\"v\",\"k3\":\"v\",\"k4\":\"v\",\"k5\":\"v\",\"k6\":\"v\",\"k7\":\"v\",\"k8\":\"v\"}},\"error\":\"Too many tags: 9 maximum allowed: 8, tags: {k0=v, k1=v, k2=v, k3=v, k4=v, k5=v, k6=v, k7=v, k8=v}\"}]}",
  "body": "{\"metric\":\"probe.tags\",\"timestamp\":1700000000,\"value\":1,\"tags\":{\"k0\":\"v\",\"k1\":\"v\",\"k2\":\"v\",\"k3\":\"v\",\"k4\":\"v\",\"k5\":\"v\",\"k6\":\"v\",\"k7\":\"v\",\"k8\":\"v\"}}"
 }
];
