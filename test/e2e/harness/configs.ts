// Configuration files written into the harness work dir for HBase, the TSDs and S3Proxy.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Ports {
  source: number;
  target: number;
  zookeeper: number;
  hbaseMaster: number;
  hbaseRegionServer: number;
  s3: number;
}

export function portsFrom(base: number): Ports {
  return {
    source: base,
    target: base + 1,
    zookeeper: base + 2,
    hbaseMaster: base + 3,
    hbaseRegionServer: base + 4,
    s3: base + 5,
  };
}

export interface TsdTables {
  data: string;
  uid: string;
  tree: string;
  meta: string;
}

export function tablesFor(prefix: string): TsdTables {
  return { data: prefix, uid: `${prefix}-uid`, tree: `${prefix}-tree`, meta: `${prefix}-meta` };
}

/** "name=family,family" specs for HBaseStandalone. */
export function tableSpecs(t: TsdTables): string[] {
  return [`${t.data}=t`, `${t.uid}=id,name`, `${t.tree}=t`, `${t.meta}=name`];
}

function xmlProps(props: Record<string, string | number | boolean>): string {
  const body = Object.entries(props)
    .map(([k, v]) => `  <property><name>${k}</name><value>${String(v)}</value></property>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<configuration>\n${body}\n</configuration>\n`;
}

/** Writes <dir>/conf/hbase-site.xml (first on the HBase classpath); returns the conf dir. */
export function writeHBaseConfig(dir: string, ports: Ports): string {
  const conf = join(dir, 'conf');
  mkdirSync(conf, { recursive: true });
  writeFileSync(
    join(conf, 'hbase-site.xml'),
    xmlProps({
      'hbase.cluster.distributed': false,
      'hbase.rootdir': `file://${join(dir, 'root')}`,
      'hbase.tmp.dir': join(dir, 'tmp'),
      'hbase.zookeeper.property.dataDir': join(dir, 'zookeeper'),
      'hbase.zookeeper.quorum': '127.0.0.1',
      'hbase.zookeeper.property.clientPort': ports.zookeeper,
      'hbase.master.port': ports.hbaseMaster,
      'hbase.master.info.port': -1,
      'hbase.master.hostname': 'localhost',
      'hbase.master.ipc.address': '127.0.0.1',
      'hbase.regionserver.port': ports.hbaseRegionServer,
      'hbase.regionserver.info.port': -1,
      'hbase.regionserver.hostname': 'localhost',
      'hbase.regionserver.ipc.address': '127.0.0.1',
      // local filesystem has no hflush/hsync capability flags
      'hbase.unsafe.stream.capability.enforce': false,
      // start as soon as the one region server reported, instead of waiting 4.5 s
      'hbase.master.wait.on.regionservers.mintostart': 1,
      'hbase.master.wait.on.regionservers.maxtostart': 1,
      // region server retries reportForDuty every msginterval; default 3 s
      'hbase.regionserver.msginterval': 500,
      'hbase.regionserver.handler.count': 10,
      // One region per table is plenty for tests; a split takes the region offline, and the TSD then
      // fails writes with "RPCs waiting ... to come back online" (seen seeding the 5M-point benchmark).
      'hbase.regionserver.region.split.policy': 'org.apache.hadoop.hbase.regionserver.DisabledRegionSplitPolicy',
      'hbase.hregion.memstore.block.multiplier': 8,
      'hbase.master.handler.count': 10,
    }),
  );
  return conf;
}

/** opentsdb.conf settings: key = value. */
export type TsdSettings = Record<string, string | number | boolean>;

export interface TsdConfig {
  /** for the header comment: source, target, or an extra TSD's name */
  name: string;
  port: number;
  zkPort: number;
  tables: TsdTables;
  /** extra opentsdb.conf settings (the source's production-like ones, a test's overrides). */
  settings: TsdSettings;
}

/** Source: configured like a typical production TSD. */
export const SOURCE_SETTINGS: TsdSettings = {
  'tsd.core.auto_create_metrics': true,
  'tsd.http.request.enable_chunked': true,
  'tsd.http.request.max_chunk': 1048576,
};

/** Target: OpenTSDB's defaults (no metric auto-creation, no chunked requests). */
export const TARGET_SETTINGS: TsdSettings = {};

/** Writes <dir>/{opentsdb.conf,logback.xml,static/,cache/}; returns the conf file path. */
export function writeTsdConfig(dir: string, c: TsdConfig): string {
  mkdirSync(join(dir, 'static'), { recursive: true });
  mkdirSync(join(dir, 'cache'), { recursive: true });
  const lines: Record<string, string | number | boolean> = {
    'tsd.network.port': c.port,
    'tsd.network.bind': '127.0.0.1',
    'tsd.http.staticroot': join(dir, 'static'),
    'tsd.http.cachedir': join(dir, 'cache'),
    'tsd.storage.hbase.zk_quorum': `127.0.0.1:${c.zkPort}`,
    'tsd.storage.hbase.data_table': c.tables.data,
    'tsd.storage.hbase.uid_table': c.tables.uid,
    'tsd.storage.hbase.tree_table': c.tables.tree,
    'tsd.storage.hbase.meta_table': c.tables.meta,
    // Tests delete time ranges (test/support/delete-range.ts) to make data loss real.
    'tsd.http.query.allow_delete': true,
    ...c.settings,
  };
  const file = join(dir, 'opentsdb.conf');
  writeFileSync(
    file,
    `# ${c.name} TSD, written by the e2e harness\n` +
      Object.entries(lines)
        .map(([k, v]) => `${k} = ${String(v)}`)
        .join('\n') +
      '\n',
  );
  writeFileSync(
    join(dir, 'logback.xml'),
    logback({ 'org.hbase.async': 'WARN', 'org.apache.zookeeper': 'WARN', 'net.opentsdb.tsd.ConnectionManager': 'WARN' }, 'INFO'),
  );
  return file;
}

export function logback(loggers: Record<string, string>, root: string): string {
  const ls = Object.entries(loggers)
    .map(([name, level]) => `  <logger name="${name}" level="${level}"/>`)
    .join('\n');
  return `<configuration>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0}: %msg%n</pattern></encoder>
  </appender>
${ls}
  <root level="${root}"><appender-ref ref="STDOUT"/></root>
</configuration>
`;
}

export interface S3Info {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/** Writes <dir>/{s3proxy.properties,logback.xml} and creates the bucket directory. */
export function writeS3Config(dir: string, port: number): { file: string; info: S3Info } {
  const info: S3Info = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'tsdb-backup-e2e',
    accessKeyId: 'e2e-access-key',
    secretAccessKey: 'e2e-secret-key',
    region: 'us-east-1',
  };
  const data = join(dir, 'data');
  // With the filesystem backend a bucket is a directory under basedir. Not filesystem-nio2: under
  // concurrent writes its listings miss objects whose PUT had already completed (measured: 200 misses
  // in 200 rounds of six concurrent writers, each listing after its own PUT), which S3 itself never does and the repository lock relies on.
  // The classic backend lists consistently, plus a "folder" marker per directory, which S3Storage skips.
  mkdirSync(join(data, info.bucket), { recursive: true });
  const file = join(dir, 's3proxy.properties');
  writeFileSync(
    file,
    [
      `s3proxy.endpoint=${info.endpoint}`,
      's3proxy.authorization=aws-v2-or-v4',
      `s3proxy.identity=${info.accessKeyId}`,
      `s3proxy.credential=${info.secretAccessKey}`,
      'jclouds.provider=filesystem',
      `jclouds.filesystem.basedir=${data}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'logback.xml'), logback({}, 'WARN'));
  return { file, info };
}
