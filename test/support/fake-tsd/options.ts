/**
 * Options of the fake TSD and the configuration map it reports on /api/config
 * (net.opentsdb.utils.Config.setDefaults of 2.4.1 plus what the command line sets).
 */

/** What a fault hook sees. */
export interface FaultRequest {
  method: string;
  /** path with query string, e.g. "/api/query?arrays" */
  path: string;
  /** raw (possibly compressed) request body */
  body: Buffer;
}

/** A fault answer: a status with a body (string bodies are sent as JSON), or 'reset' (destroy the socket). */
export type FaultResponse = { status: number; body?: string | object; headers?: Record<string, string> } | 'reset';

/** Called for every request before the TSD logic; return undefined to proceed normally. */
export type FaultInjector = (req: FaultRequest) => FaultResponse | undefined | Promise<FaultResponse | undefined>;

export interface FakeTsdOptions {
  /** tsd.core.auto_create_metrics (default false, as OpenTSDB) */
  autoCreateMetrics?: boolean;
  /** tsd.core.auto_create_tagks / tagvs (default true) */
  autoCreateTagks?: boolean;
  autoCreateTagvs?: boolean;
  /** tsd.http.request.enable_chunked (default false) */
  enableChunked?: boolean;
  /** tsd.http.request.max_chunk (default 4096) */
  maxChunk?: number;
  /** tsd.storage.max_tags (default 8; only listed in /api/config when given, like a real config file) */
  maxTags?: number;
  /** "version" of /api/version (default "2.4.1"; note the Maven Central 2.4.1 jar really says "BuildData") */
  version?: string;
  /** tsd.mode=ro: /api/put, /api/uid, ... answer 404 */
  readOnly?: boolean;
  /** tsd.mode (overrides readOnly): rw, ro or wo */
  mode?: 'rw' | 'ro' | 'wo';
  /**
   * More series than this in one /api/query answer fail like the real serializer callback chain
   * (async 1.4.0 Deferred: at most 16383 callbacks; OpenTSDB #839/#1791). Default 16383.
   */
  maxSeriesPerQuery?: number;
  /**
   * How the overflow shows: 'error' answers 500 with the CallbackOverflowError text (default);
   * 'hang' never answers (what 2.4.1 most likely does: the Error escapes the Deferred chain).
   */
  seriesLimitBehavior?: 'error' | 'hang';
  /** tsd.storage.fix_duplicates (default false) */
  fixDuplicates?: boolean;
  /** tsd.query.skip_unresolved_tagvs (default false) */
  skipUnresolvedTagvs?: boolean;
  /** tsd.core.tag.allow_specialchars (default none) */
  allowSpecialChars?: string;
  /** tsd.http.show_stack_trace (default true: error bodies carry a "trace") */
  showStackTrace?: boolean;
  /** tsd.query.filter.expansion_limit (default 4096) */
  filterExpansionLimit?: number;
  /** tsd.core.meta.enable_tsuid_tracking: lets /api/search/lookup with useMeta=true find series (default false: empty) */
  metaTracking?: boolean;
  /**
   * Java Double.toString flavour of the TSD's JVM: 'jdk8-18' (default; OpenTSDB 2.4.1 on JDK 8 or
   * 17) or 'jdk19+' (shortest digits, e.g. 2.82879384806159E17 instead of 2.82879384806159008E17).
   */
  doubleFormat?: 'jdk8-18' | 'jdk19+';
  /** clock for "now", "1h-ago", missing end times and compaction age (default Date.now) */
  now?: () => number;
  /** fault hook: (req) => undefined | {status, body} | 'reset' */
  faults?: FaultInjector;
  /** tsd.storage.hbase.uid_table / data_table (names appear in some error texts) */
  uidTable?: string;
  dataTable?: string;
  /** extra key/values reported by /api/config */
  extraConfig?: Record<string, string>;
  /** port to listen on (default 0 = random) */
  port?: number;
}

export interface ResolvedOptions {
  autoCreateMetrics: boolean;
  autoCreateTagks: boolean;
  autoCreateTagvs: boolean;
  enableChunked: boolean;
  maxChunk: number;
  maxTags: number;
  maxTagsExplicit: boolean;
  version: string;
  mode: 'rw' | 'ro' | 'wo';
  maxSeriesPerQuery: number;
  seriesLimitBehavior: 'error' | 'hang';
  fixDuplicates: boolean;
  skipUnresolvedTagvs: boolean;
  allowSpecialChars: string;
  showStackTrace: boolean;
  filterExpansionLimit: number;
  metaTracking: boolean;
  now: () => number;
  faults: FaultInjector | undefined;
  extraConfig: Record<string, string>;
  port: number;
  uidTable: string;
  dataTable: string;
  doubleFormat: 'jdk8-18' | 'jdk19+';
}

export function resolveOptions(o: FakeTsdOptions = {}): ResolvedOptions {
  return {
    autoCreateMetrics: o.autoCreateMetrics ?? false,
    autoCreateTagks: o.autoCreateTagks ?? true,
    autoCreateTagvs: o.autoCreateTagvs ?? true,
    enableChunked: o.enableChunked ?? false,
    maxChunk: o.maxChunk ?? 4096,
    maxTags: o.maxTags ?? 8,
    maxTagsExplicit: o.maxTags !== undefined,
    version: o.version ?? '2.4.1',
    mode: o.mode ?? (o.readOnly ? 'ro' : 'rw'),
    maxSeriesPerQuery: o.maxSeriesPerQuery ?? 16383,
    seriesLimitBehavior: o.seriesLimitBehavior ?? 'error',
    fixDuplicates: o.fixDuplicates ?? false,
    skipUnresolvedTagvs: o.skipUnresolvedTagvs ?? false,
    allowSpecialChars: o.allowSpecialChars ?? '',
    showStackTrace: o.showStackTrace ?? true,
    filterExpansionLimit: o.filterExpansionLimit ?? 4096,
    metaTracking: o.metaTracking ?? false,
    now: o.now ?? Date.now,
    faults: o.faults,
    extraConfig: o.extraConfig ?? {},
    port: o.port ?? 0,
    uidTable: o.uidTable ?? 'tsdb-uid',
    dataTable: o.dataTable ?? 'tsdb',
    doubleFormat: o.doubleFormat ?? 'jdk8-18',
  };
}

/** Config.setDefaults (2.4.1) as strings. */
const DEFAULTS: Record<string, string> = {
  'tsd.mode': 'rw',
  'tsd.no_diediedie': 'false',
  'tsd.network.bind': '0.0.0.0',
  'tsd.network.worker_threads': '',
  'tsd.network.async_io': 'true',
  'tsd.network.tcp_no_delay': 'true',
  'tsd.network.keep_alive': 'true',
  'tsd.network.reuse_address': 'true',
  'tsd.core.authentication.enable': 'false',
  'tsd.core.authentication.plugin': '',
  'tsd.core.auto_create_metrics': 'false',
  'tsd.core.auto_create_tagks': 'true',
  'tsd.core.auto_create_tagvs': 'true',
  'tsd.core.connections.limit': '0',
  'tsd.core.enable_api': 'true',
  'tsd.core.enable_ui': 'true',
  'tsd.core.meta.enable_realtime_ts': 'false',
  'tsd.core.meta.enable_realtime_uid': 'false',
  'tsd.core.meta.enable_tsuid_incrementing': 'false',
  'tsd.core.meta.enable_tsuid_tracking': 'false',
  'tsd.core.meta.cache.enable': 'false',
  'tsd.core.plugin_path': '',
  'tsd.core.socket.timeout': '0',
  'tsd.core.tree.enable_processing': 'false',
  'tsd.core.preload_uid_cache': 'false',
  'tsd.core.preload_uid_cache.max_entries': '300000',
  'tsd.core.storage_exception_handler.enable': 'false',
  'tsd.core.uid.random_metrics': 'false',
  'tsd.core.bulk.allow_out_of_order_timestamps': 'false',
  'tsd.query.filter.expansion_limit': '4096',
  'tsd.query.skip_unresolved_tagvs': 'false',
  'tsd.query.allow_simultaneous_duplicates': 'true',
  'tsd.query.enable_fuzzy_filter': 'true',
  'tsd.query.limits.bytes.default': '0',
  'tsd.query.limits.bytes.allow_override': 'false',
  'tsd.query.limits.data_points.default': '0',
  'tsd.query.limits.data_points.allow_override': 'false',
  'tsd.query.limits.overrides.interval': '60000',
  'tsd.query.multi_get.enable': 'false',
  'tsd.query.multi_get.limit': '131072',
  'tsd.query.multi_get.batch_size': '1024',
  'tsd.query.multi_get.concurrent': '20',
  'tsd.query.multi_get.get_all_salts': 'false',
  'tsd.rpc.telnet.return_errors': 'true',
  'tsd.rollups.enable': 'false',
  'tsd.rollups.tag_raw': 'false',
  'tsd.rollups.agg_tag_key': '_aggregate',
  'tsd.rollups.raw_agg_tag_value': 'RAW',
  'tsd.rollups.block_derived': 'true',
  'tsd.rollups.split_query.enable': 'false',
  'tsd.rtpublisher.enable': 'false',
  'tsd.rtpublisher.plugin': '',
  'tsd.search.enable': 'false',
  'tsd.search.plugin': '',
  'tsd.stats.canonical': 'false',
  'tsd.startup.enable': 'false',
  'tsd.startup.plugin': '',
  'tsd.storage.hbase.scanner.maxNumRows': '128',
  'tsd.storage.fix_duplicates': 'false',
  'tsd.storage.flush_interval': '1000',
  'tsd.storage.hbase.data_table': 'tsdb',
  'tsd.storage.hbase.uid_table': 'tsdb-uid',
  'tsd.storage.hbase.tree_table': 'tsdb-tree',
  'tsd.storage.hbase.meta_table': 'tsdb-meta',
  'tsd.storage.hbase.zk_quorum': 'localhost',
  'tsd.storage.hbase.zk_basedir': '/hbase',
  'tsd.storage.hbase.prefetch_meta': 'false',
  'tsd.storage.enable_appends': 'false',
  'tsd.storage.repair_appends': 'false',
  'tsd.storage.enable_compaction': 'true',
  'tsd.storage.compaction.flush_interval': '10',
  'tsd.storage.compaction.min_flush_threshold': '100',
  'tsd.storage.compaction.max_concurrent_flushes': '10000',
  'tsd.storage.compaction.flush_speed': '2',
  'tsd.timeseriesfilter.enable': 'false',
  'tsd.uid.use_mode': 'false',
  'tsd.uid.lru.enable': 'false',
  'tsd.uid.lru.name.size': '5000000',
  'tsd.uid.lru.id.size': '5000000',
  'tsd.uidfilter.enable': 'false',
  'tsd.core.stats_with_port': 'false',
  'tsd.http.show_stack_trace': 'true',
  'tsd.http.query.allow_delete': 'false',
  'tsd.http.header_tag': '',
  'tsd.http.request.enable_chunked': 'false',
  'tsd.http.request.max_chunk': '4096',
  'tsd.http.request.cors_domains': '',
  'tsd.http.request.cors_headers':
    'Authorization, Content-Type, Accept, Origin, User-Agent, DNT, Cache-Control, X-Mx-ReqToken, Keep-Alive, X-Requested-With, If-Modified-Since',
  'tsd.query.timeout': '0',
  'tsd.storage.use_otsdb_timestamp': 'false',
  'tsd.storage.use_max_value': 'true',
  'tsd.storage.get_date_tiered_compaction_start': '0',
};

/** The map /api/config answers (ShowConfig: TreeMap of every property, values as strings). */
export function configMap(o: ResolvedOptions, port: number): Record<string, string> {
  const m: Record<string, string> = { ...DEFAULTS };
  m['tsd.mode'] = o.mode;
  m['tsd.core.auto_create_metrics'] = String(o.autoCreateMetrics);
  m['tsd.core.auto_create_tagks'] = String(o.autoCreateTagks);
  m['tsd.core.auto_create_tagvs'] = String(o.autoCreateTagvs);
  m['tsd.http.request.enable_chunked'] = String(o.enableChunked);
  m['tsd.http.request.max_chunk'] = String(o.maxChunk);
  m['tsd.storage.fix_duplicates'] = String(o.fixDuplicates);
  m['tsd.query.skip_unresolved_tagvs'] = String(o.skipUnresolvedTagvs);
  m['tsd.http.show_stack_trace'] = String(o.showStackTrace);
  m['tsd.query.filter.expansion_limit'] = String(o.filterExpansionLimit);
  m['tsd.core.meta.enable_tsuid_tracking'] = String(o.metaTracking);
  m['tsd.storage.hbase.uid_table'] = o.uidTable;
  m['tsd.storage.hbase.data_table'] = o.dataTable;
  if (o.maxTagsExplicit) m['tsd.storage.max_tags'] = String(o.maxTags);
  if (o.allowSpecialChars) m['tsd.core.tag.allow_specialchars'] = o.allowSpecialChars;
  // set from the command line of a TSD started as `tsdb tsd --port=... --staticroot=... --cachedir=...`
  m['tsd.network.port'] = String(port);
  m['tsd.http.staticroot'] = '/tmp/fake-tsd/static';
  m['tsd.http.cachedir'] = '/tmp/fake-tsd/cache';
  Object.assign(m, o.extraConfig);
  return m;
}
