// A series' timestamps are stored in seconds when every one of them is a whole second (the common case).

export const UNIT_MS = 0;
export const UNIT_SECONDS = 1;

export function unitOf(timestamps: readonly number[]): typeof UNIT_MS | typeof UNIT_SECONDS {
  // floor and multiply: far cheaper than a floating-point remainder on 13-digit numbers.
  for (const t of timestamps) if (Math.floor(t / 1000) * 1000 !== t) return UNIT_MS;
  return UNIT_SECONDS;
}

export function unitMs(unit: number): number {
  if (unit === UNIT_SECONDS) return 1000;
  if (unit === UNIT_MS) return 1;
  throw new Error(`unknown timestamp unit ${unit}`);
}
