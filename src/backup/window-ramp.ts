// How many points a backup's windows aim for as it goes. An interrupted backup loses the windows in
// flight (about --concurrency x 2 of them: each metric's current window and the one read ahead), and
// at full size (--target-points, 150,000) those can be most of a small backup. So windows start small
// and grow with what the run has stored, as TCP's slow start grows with what was acknowledged: the
// points in flight stay a small share of the points already stored, and a kill costs little more
// than that share. Past a few tens of millions of points stored, windows are at full size.

/** Windows aim for at least this many points (or --target-points, when that is smaller). */
export const RAMP_FLOOR_POINTS = 5_000;
/** A window aims for at most this share of the points stored so far. */
export const RAMP_SHARE = 0.005;

export class WindowRamp {
  constructor(
    private readonly fullTarget: number,
    private stored = 0,
  ) {}

  /** Points stored (and recorded) since the run began, or by the run it resumes. */
  add(points: number): void {
    this.stored += points;
  }

  target(): number {
    return Math.min(this.fullTarget, Math.max(RAMP_FLOOR_POINTS, Math.floor(this.stored * RAMP_SHARE)));
  }
}
