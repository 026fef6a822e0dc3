/**
 * The HTTP layer: Netty 3.10.6's HttpRequestDecoder / HttpChunkAggregator / HttpContentDecompressor
 * / HttpContentCompressor pipeline as OpenTSDB 2.4.1 builds it (PipelineFactory), then RpcHandler
 * routing (RpcManager, HttpQuery.getQueryBaseRoute).
 *
 * Body limits, exactly as that pipeline behaves:
 * - a body is "chunked" when Transfer-Encoding is chunked, Content-Length > 8192 (the decoder's
 *   maxChunkSize) or "Expect: 100-continue" is sent; the size is that of the body on the wire,
 *   i.e. BEFORE Content-Encoding (gzip/deflate) is undone;
 * - tsd.http.request.enable_chunked=false: a chunked request gets 400 "Chunked request not
 *   supported." -- as an HTML error page, because the check runs before the API version is known
 *   (a "?json" query parameter gives {"err":"Chunked request not supported."} instead);
 * - enable_chunked=true: chunked bodies are aggregated up to tsd.http.request.max_chunk bytes;
 *   a larger one makes the aggregator throw TooLongFrameException and ConnectionManager closes the
 *   connection without an answer. Bodies sent with Content-Length <= 8192 never pass the
 *   aggregator, so max_chunk below 8192 does not limit them;
 * - a request line over 4096 bytes or headers over ~8192 bytes: connection closed (TooLongFrame);
 * - a Content-Encoding body that does not decompress: connection closed (CodecEmbedderException).
 * Answers are gzip/deflate compressed when Accept-Encoding asks for it (HttpContentCompressor).
 */
import { handleAnnotation } from './rpc-annotation.js';
import http from 'node:http';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import { ENDPOINT_NOT_FOUND, BadRequest, formatBadRequest, formatInternalError, InternalError } from './errors.js';
import { javaHashMapOrder } from './java-hashmap.js';
import { pairs, writeJson } from './json.js';
import type { ResolvedOptions } from './options.js';
import { handlePut } from './rpc-put.js';
import { handleQuery } from './rpc-query.js';
import { handleSuggest } from './rpc-suggest.js';
import { handleUid } from './rpc-uid.js';
import { handleSearch } from './rpc-search.js';
import { handleAggregators, handleConfig, handleVersion } from './rpc-misc.js';
import { getParam, hasParam, type TsdCore, type TsdRequest, type TsdResponse } from './core.js';

const MAX_CHUNK_SIZE = 8192;
const MAX_INITIAL_LINE = 4096;
const MAX_HEADER_SIZE = 8192;
const JSON_TYPE = 'application/json; charset=UTF-8';
const HTML_TYPE = 'text/html; charset=UTF-8';

/** HttpQuery.makePage. */
export function makePage(title: string, subtitle: string, body: string): string {
  return (
    '<!DOCTYPE html><html><head><meta http-equiv=content-type content="text/html;charset=utf-8"><title>' +
    title +
    '</title>\n<style><!--\nbody{font-family:arial,sans-serif;margin-left:2em}A.l:link{color:#6f6f6f}A.u:link{color:green}.fwf{font-family:monospace;white-space:pre-wrap}//--></style>' +
    '</head>\n<body text=#000000 bgcolor=#ffffff><table border=0 cellpadding=2 cellspacing=0 width=100%><tr><td rowspan=3 width=1% nowrap><img src=s/opentsdb_header.jpg><td>&nbsp;</td></tr><tr><td><font color=#507e9b><b>' +
    subtitle +
    '</b></td></tr><tr><td>&nbsp;</td></tr></table>' +
    body +
    '<table width=100% cellpadding=0 cellspacing=0><tr><td class=subg><img alt="" width=1 height=6></td></tr></table></body></html>'
  );
}

const PAGE_NOT_FOUND = makePage(
  'Page Not Found',
  'Error 404',
  '<blockquote><h1>Page Not Found</h1>The requested URL was not found on this server.</blockquote>',
);

function decodeComponent(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Netty 3 QueryStringDecoder: path decoded, params split on '&' and ';'. */
export function decodeUri(uri: string): { path: string; params: Map<string, string[]> } {
  const q = uri.indexOf('?');
  const path = decodeComponent(q < 0 ? uri : uri.slice(0, q));
  const params = new Map<string, string[]>();
  if (q >= 0) {
    for (const part of uri.slice(q + 1).split(/[&;]/)) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
      const value = eq < 0 ? '' : decodeComponent(part.slice(eq + 1));
      if (name === '') continue;
      params.set(name, [...(params.get(name) ?? []), value]);
    }
  }
  return { path, params };
}

function javaSplitPath(path: string): string[] {
  const parts = path.slice(1).split('/');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

type Route = (core: TsdCore, req: TsdRequest, port: number) => TsdResponse;

const ROUTES: Record<'rw' | 'ro' | 'wo', Record<string, Route>> = (() => {
  const common: Record<string, Route> = {
    'api/aggregators': handleAggregators,
    'api/config': handleConfig,
    'api/version': handleVersion,
    'api/dropcaches': dropCaches,
    'api/stats': () => ({ status: 200, body: '[]' }),
  };
  const read: Record<string, Route> = { 'api/query': handleQuery, 'api/search': handleSearch, 'api/suggest': handleSuggest };
  const write: Record<string, Route> = {
    'api/put': handlePut,
    'api/uid': handleUid,
    'api/annotation': handleAnnotation,
    'api/annotations': notImplemented,
    'api/rollup': notImplemented,
    'api/histogram': notImplemented,
    'api/tree': notImplemented,
  };
  return { rw: { ...common, ...read, ...write }, ro: { ...common, ...read }, wo: { ...common, ...write } };
})();

function notImplemented(_core: TsdCore, req: TsdRequest): TsdResponse {
  throw new BadRequest(501, `fake-tsd: ${req.path} is not implemented`);
}

function dropCaches(core: TsdCore, req: TsdRequest): TsdResponse {
  if (req.method !== 'GET' && req.method !== 'DELETE') {
    throw new BadRequest(405, 'Method not allowed', `The HTTP method [${req.method}] is not permitted for this endpoint`);
  }
  for (const t of Object.values(core.uids)) t.dropCaches();
  const m = new Map([
    ['status', '200'],
    ['message', 'Caches dropped'],
  ]);
  return { status: 200, body: writeJson(pairs(javaHashMapOrder([...m.keys()]).map((k) => [k, m.get(k)!]))) };
}

interface Answer {
  status: number;
  body: string | Buffer;
  contentType: string;
  extraHeaders?: Record<string, string>;
}

function charsetOf(contentType: string | undefined): BufferEncoding {
  const m = /charset=([^;]+)/i.exec(contentType ?? '');
  const cs = (m?.[1] ?? 'utf-8').trim().toLowerCase();
  if (cs === 'iso-8859-1' || cs === 'latin1') return 'latin1';
  if (cs === 'us-ascii' || cs === 'ascii') return 'ascii';
  if (cs === 'utf-16le') return 'utf16le';
  return 'utf8';
}

export class FakeTsdServer {
  readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<http.ServerResponse>();
  port = 0;

  constructor(
    readonly core: TsdCore,
    readonly opts: ResolvedOptions,
  ) {
    this.server = http.createServer({ maxHeaderSize: 1 << 20, requestTimeout: 0, keepAliveTimeout: 60_000 }, (req, res) => {
      void this.onRequest(req, res, false);
    });
    this.server.on('checkContinue', (req, res) => {
      void this.onRequest(req, res, true);
    });
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, '127.0.0.1', () => {
        const addr = this.server.address();
        this.port = typeof addr === 'object' && addr ? addr.port : 0;
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private reset(req: http.IncomingMessage): void {
    const s = req.socket as Socket & { resetAndDestroy?: () => void };
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy();
    else s.destroy();
  }

  private send(req: http.IncomingMessage, res: http.ServerResponse, a: Answer): void {
    let body = typeof a.body === 'string' ? Buffer.from(a.body, 'utf8') : a.body;
    const headers: Record<string, string> = { 'Content-Type': a.contentType, ...(a.extraHeaders ?? {}) };
    const enc = body.length > 0 && a.status !== 204 ? this.pickEncoding(String(req.headers['accept-encoding'] ?? '')) : null;
    if (enc === 'gzip') body = zlib.gzipSync(body);
    else if (enc === 'deflate') body = zlib.deflateSync(body);
    if (enc) headers['Content-Encoding'] = enc;
    if (a.status !== 204) headers['Content-Length'] = String(body.length);
    res.writeHead(a.status, headers);
    res.end(a.status === 204 ? undefined : body);
  }

  /** HttpContentCompressor.determineWrapper. */
  private pickEncoding(accept: string): 'gzip' | 'deflate' | null {
    let star = -1;
    let gzip = -1;
    let deflate = -1;
    for (const raw of accept.split(',')) {
      const e = raw;
      let q = 1;
      const eq = e.indexOf('=');
      if (eq !== -1) {
        const v = Number(e.slice(eq + 1));
        q = Number.isNaN(v) ? 0 : v;
      }
      if (e.includes('*')) star = q;
      else if (e.includes('gzip') && q > gzip) gzip = q;
      else if (e.includes('deflate') && q > deflate) deflate = q;
    }
    if (gzip > 0 || deflate > 0) return gzip >= deflate ? 'gzip' : 'deflate';
    if (star > 0) {
      if (gzip === -1) return 'gzip';
      if (deflate === -1) return 'deflate';
    }
    return null;
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse, expectContinue: boolean): Promise<void> {
    try {
      await this.handle(req, res, expectContinue);
    } catch (e) {
      if (!res.headersSent && !req.socket.destroyed) {
        this.send(req, res, {
          status: 500,
          body: formatInternalError((e as Error).message, 'java.lang.RuntimeException', this.opts.showStackTrace),
          contentType: JSON_TYPE,
        });
      }
    }
  }

  private readBody(req: http.IncomingMessage, limit: number | null): Promise<Buffer | 'too-long'> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLong = false;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (limit !== null && size > limit) {
          tooLong = true;
          resolve('too-long');
          return;
        }
        if (!tooLong) chunks.push(c);
      });
      req.on('end', () => {
        if (!tooLong) resolve(Buffer.concat(chunks));
      });
      req.on('error', reject);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse, expectContinue: boolean): Promise<void> {
    const uri = req.url ?? '/';
    const method = req.method ?? 'GET';
    // HttpRequestDecoder limits
    if (`${method} ${uri} HTTP/${req.httpVersion}`.length > MAX_INITIAL_LINE) return this.reset(req);
    let headerBytes = 0;
    for (let i = 0; i < req.rawHeaders.length; i += 2) headerBytes += req.rawHeaders[i]!.length + 2 + req.rawHeaders[i + 1]!.length + 2;
    if (headerBytes >= MAX_HEADER_SIZE) return this.reset(req);

    const te = String(req.headers['transfer-encoding'] ?? '').toLowerCase();
    const contentLength = req.headers['content-length'] !== undefined ? Number(req.headers['content-length']) : -1;
    const chunked = te.includes('chunked') || contentLength > MAX_CHUNK_SIZE || expectContinue;

    let raw: Buffer;
    if (chunked && this.opts.enableChunked) {
      if (expectContinue) res.writeContinue();
      const r = await this.readBody(req, this.opts.maxChunk);
      if (r === 'too-long') return this.reset(req);
      raw = r;
    } else if (chunked) {
      req.resume();
      raw = Buffer.alloc(0);
    } else {
      const r = await this.readBody(req, null);
      raw = r as Buffer;
    }

    this.core.stats.requests.push({
      method,
      path: uri,
      bytes: chunked && !this.opts.enableChunked ? Math.max(contentLength, 0) : raw.length,
      acceptEncoding: req.headers['accept-encoding'],
    });

    if (this.opts.faults) {
      const f = await this.opts.faults({ method, path: uri, body: raw });
      if (f === 'reset') return this.reset(req);
      if (f) {
        const body = f.body === undefined ? '' : typeof f.body === 'string' ? f.body : JSON.stringify(f.body);
        return this.send(req, res, { status: f.status, body, contentType: JSON_TYPE, extraHeaders: f.headers });
      }
    }

    const { path, params } = decodeUri(uri);
    if (chunked && !this.opts.enableChunked) {
      // RpcHandler: checked before the route (api_version still 0): HTML page or {"err":...}
      const msg = 'Chunked request not supported.';
      if (params.has('json')) return this.send(req, res, { status: 400, body: `{"err":"${msg}"}`, contentType: JSON_TYPE });
      const page = makePage(
        'Bad Request',
        "Looks like it's your fault this time",
        `<blockquote><h1>Bad Request</h1>Sorry but your request was rejected as being invalid.<br/><br/>The reason provided was:<blockquote>${msg}</blockquote></blockquote>`,
      );
      return this.send(req, res, { status: 400, body: page, contentType: HTML_TYPE });
    }

    // HttpContentDecompressor
    const ce = String(req.headers['content-encoding'] ?? '')
      .trim()
      .toLowerCase();
    let body = raw;
    if (raw.length > 0 && ce !== '' && ce !== 'identity') {
      try {
        if (ce === 'gzip' || ce === 'x-gzip') body = zlib.gunzipSync(raw);
        else if (ce === 'deflate' || ce === 'x-deflate') {
          try {
            body = zlib.inflateSync(raw);
          } catch {
            body = zlib.inflateRawSync(raw);
          }
        }
      } catch {
        return this.reset(req);
      }
    }

    const tsdReq: TsdRequest = {
      method,
      uri,
      path,
      params,
      content: body.toString(charsetOf(req.headers['content-type'])),
      pathParts: javaSplitPath(path),
      apiVersion: 0,
      acceptEncoding: String(req.headers['accept-encoding'] ?? ''),
    };
    const answer = this.route(tsdReq);
    if (answer === 'hang') {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    this.send(req, res, answer);
  }

  private route(req: TsdRequest): Answer | 'hang' {
    const show = this.opts.showStackTrace;
    try {
      const parts = req.pathParts;
      if (parts[0]!.toLowerCase() !== 'api') {
        if (hasParam(req, 'json')) return { status: 404, body: '{"err":"Page Not Found"}', contentType: JSON_TYPE };
        return { status: 404, body: PAGE_NOT_FOUND, contentType: HTML_TYPE };
      }
      req.apiVersion = 1;
      let endpoint: string;
      if (parts.length < 2) endpoint = 'api';
      else if (/^v\d/i.test(parts[1]!)) {
        const vText = parts[1]!.slice(1);
        if (!/^\d+$/.test(vText)) {
          throw new BadRequest(400, 'Invalid API version format supplied', `API version [${vText}] cannot be parsed to an integer`);
        }
        const version = Number(vText);
        if (version > 1) {
          throw new BadRequest(501, 'Requested API version is greater than the max implemented', `API version [${version}] is greater than the max [1]`);
        }
        req.apiVersion = version;
        endpoint = parts.length < 3 ? 'api' : 'api/' + parts[2]!.toLowerCase();
      } else {
        endpoint = 'api/' + parts[1]!.toLowerCase();
      }
      const serializer = getParam(req, 'serializer');
      if (serializer !== null && serializer !== 'json') {
        throw new BadRequest(400, 'Requested serializer was not found', 'Could not find a serializer with the name: ' + serializer);
      }
      const handler = ROUTES[this.opts.mode][endpoint];
      if (!handler) return { status: 404, body: ENDPOINT_NOT_FOUND, contentType: JSON_TYPE };
      const r = handler(this.core, req, this.port);
      if (r.hang) return 'hang';
      return { status: r.status, body: r.body, contentType: JSON_TYPE };
    } catch (e) {
      if (e instanceof BadRequest) return { status: e.status, body: formatBadRequest(e, show), contentType: JSON_TYPE };
      if (e instanceof InternalError) return { status: 500, body: formatInternalError(e.message, e.javaClass, show), contentType: JSON_TYPE };
      return { status: 500, body: formatInternalError((e as Error).message, 'java.lang.RuntimeException', show), contentType: JSON_TYPE };
    }
  }
}
