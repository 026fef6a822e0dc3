// A test file's own TSD process on the harness's HBase and the `source` or `target` tables (several
// TSDs on one table set is how OpenTSDB is deployed), so that a failure can be real: stopped
// (SIGTERM), killed (SIGKILL) and started again on the same port, while the shared source and target,
// which other test files rely on, stay up. A TSD takes several seconds to start: start one per file.
import { closedPort } from '../../support/closed-port.js';
import type { TsdSettings } from './configs.js';
import type { JvmProcess } from './processes.js';
import { spawnTsd, waitForTsd, type TsdLaunch, type TsdSide } from './tsd-process.js';

export interface ExtraTsdOptions {
  /** opentsdb.conf settings on top of the side's, e.g. { 'tsd.mode': 'ro' } */
  overrides?: TsdSettings;
  /** names its config dir and log in the work dir (default `<side>-extra-<port>`) */
  name?: string;
}

export class ExtraTsd {
  readonly url: string;
  private proc: JvmProcess | undefined;
  private overrides: TsdSettings;

  constructor(
    private readonly launch: TsdLaunch,
    readonly side: TsdSide,
    readonly port: number,
    readonly name: string,
    overrides: TsdSettings,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.overrides = overrides;
  }

  get running(): boolean {
    return this.proc?.running ?? false;
  }

  /** How the last process ended: `{ code: 143, signal: null }` after stop(), `{ code: null, signal: 'SIGKILL' }` after kill(). */
  get lastExit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.proc && !this.proc.running ? { code: this.proc.exitCode, signal: this.proc.exitSignal } : undefined;
  }

  /** The log file (appended to across restarts). */
  get logFile(): string | undefined {
    return this.proc?.logFile;
  }

  /**
   * Starts the TSD (again) on its port and resolves once it serves (a suggest answered from HBase);
   * `overrides` replace the settings given so far. Returns the start-up time in ms.
   */
  async start(overrides?: TsdSettings): Promise<number> {
    if (this.running) throw new Error(`${this.name} is already running`);
    if (overrides) this.overrides = overrides;
    const proc = spawnTsd(this.launch, { name: this.name, side: this.side, port: this.port, overrides: this.overrides });
    this.proc = proc;
    try {
      return await waitForTsd(proc, this.url);
    } catch (err) {
      await proc.kill();
      throw err;
    }
  }

  /** SIGTERM (OpenTSDB's shutdown hook flushes and closes its HBase client); SIGKILL after 10 s. */
  async stop(): Promise<void> {
    await this.proc?.stop(10_000);
  }

  /** SIGKILL: a crash, nothing flushed. */
  async kill(): Promise<void> {
    await this.proc?.kill();
  }
}

/** Starts an extra TSD on a free port with the config of `side` (plus overrides); resolves once it serves. */
export async function startExtraTsd(launch: TsdLaunch, side: TsdSide, opts: ExtraTsdOptions = {}): Promise<ExtraTsd> {
  const port = await closedPort();
  const tsd = new ExtraTsd(launch, side, port, opts.name ?? `${side}-extra-${port}`, opts.overrides ?? {});
  await tsd.start();
  return tsd;
}
