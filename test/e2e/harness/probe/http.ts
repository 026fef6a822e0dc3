// Raw HTTP for the probes: exact status, headers and body text, full control of the request body
// (Content-Length vs chunked, gzip). No JSON parsing: number tokens are shown as the TSD wrote them.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function http(
  method: string,
  url: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  opts: { chunked?: boolean } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const buf = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
    const h: Record<string, string> = { ...headers };
    if (buf && !opts.chunked) h['Content-Length'] = String(buf.length);
    if (buf && !h['Content-Type']) h['Content-Type'] = 'application/json';
    const req = request(url, { method, headers: h }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (buf) req.write(buf);
    req.end();
  });
}
