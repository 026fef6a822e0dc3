// How a millisecond time is written in a query so that OpenTSDB 2.4.1 reads it as that time.
// DateTime.parseDateTimeString reads any number of 10 characters or fewer as seconds, so a plain ms
// time before 1970-04-26T17:46:40Z (below 1e10) would be multiplied by 1000. Its dotted form
// "SSSSSSSSSS.mmm" (exactly 10 digits, a dot, 3 digits) is read as milliseconds whatever its value
// (the dot is removed and the 13 digits parsed; longer than 10 characters, so no x1000): checked in
// the 2.4.1 jar and on the real TSD. It is kept to those small times: larger ones stay plain numbers,
// as every TSD version reads 11+ digit numbers as ms.

const SECONDS_LIMIT_MS = 10_000_000_000;

export function queryTime(ms: number): number | string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`cannot send the time ${ms} to OpenTSDB: not a non-negative integer of milliseconds`);
  if (ms >= SECONDS_LIMIT_MS) return ms;
  const seconds = Math.floor(ms / 1000);
  return `${String(seconds).padStart(10, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}
