// The zstd level chunks are written at unless --zstd-level says otherwise (its own module: the CLI shows it
// in --help without loading the native zstd addon).
// Chosen by `npm run bench:codec` on the benchmark mix (1M points, chunk format 2): level 6 writes 1.751
// bytes/point and compresses in ~120 ms; level 15 writes 1.728 (1.3% less) for ~330 ms, level 19 1.729 for
// ~1 s. Byte planes leave little for the slower match finders to find.
export const DEFAULT_ZSTD_LEVEL = 6;
