// Progress is reported by the core through this interface; the CLI decides how to show it
// (a spinner on a TTY, periodic lines under cron, JSON events with --json).

export type ProgressEvent =
  | { type: 'phase'; phase: string; detail?: string }
  | { type: 'plan'; metrics: number; chunks?: number; points?: number }
  | { type: 'chunk'; metric: string; points: number; bytes: number; series: number }
  | { type: 'written'; metric: string; points: number; failed: number }
  | { type: 'metric-done'; metric: string; points: number }
  | { type: 'retry'; message: string }
  | { type: 'warning'; message: string };

export type ProgressReporter = (event: ProgressEvent) => void;

export const silentProgress: ProgressReporter = () => undefined;
