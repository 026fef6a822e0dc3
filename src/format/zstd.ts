// zstd-napi, loaded at the first compression or decompression: its native addon and modules cost ~15 ms of
// start-up CPU that a command which compresses nothing (--version, a no-op incremental, list) need not pay
// (issue 12). It is CommonJS, so a require() at first use keeps compress and decompress synchronous.

import { createRequire } from 'node:module';

type Zstd = typeof import('zstd-napi');

let zstd: Zstd | undefined;
const load = (): Zstd => (zstd ??= createRequire(import.meta.url)('zstd-napi') as Zstd);

export const compress: Zstd['compress'] = (data, parameters) => load().compress(data, parameters);
export const decompress: Zstd['decompress'] = (data, parameters) => load().decompress(data, parameters);
