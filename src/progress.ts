// Progress is reported by the core through this interface; the CLI decides how to show it
// (a spinner on a TTY, periodic lines under cron, JSON events with --json).

export type ProgressEvent =
  | { type: 'phase'; phase: string; detail?: string }
  | { type: 'plan'; metrics: number; chunks?: number; points?: number }
  /** Work on a metric's time window started (start/end: epoch ms). */
  | { type: 'window'; metric: string; start: number; end: number }
  | { type: 'chunk'; metric: string; points: number; bytes: number; series: number }
  | { type: 'written'; metric: string; points: number; failed: number }
  | { type: 'metric-done'; metric: string; points: number }
  | { type: 'retry'; message: string }
  | { type: 'warning'; message: string }
  /** Advice that changes nothing about the outcome (e.g. a target setting that caps the speed); --quiet hides it. */
  | { type: 'notice'; message: string }
  /** Another run holds the repository's lock; this one waits (--wait-lock) up to waitMs. */
  | { type: 'lock-wait'; holder: string; waitedMs: number; waitMs: number };

export type ProgressReporter = (event: ProgressEvent) => void;

export const silentProgress: ProgressReporter = () => undefined;
