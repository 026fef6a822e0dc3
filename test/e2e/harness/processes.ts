// Child JVMs of the harness: each in its own process group (detached), output to a log file plus
// a ring buffer of the last lines for error messages, and killed with the group on stop, on
// process exit and on SIGINT/SIGTERM/SIGHUP of this Node process.
// Every JVM runs under tsdbbackup.harness.Watchdog, which exits when our stdin pipe closes:
// that covers the one case no handler can, Node itself being SIGKILLed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';

const TAIL_LINES = 200;
const live = new Set<JvmProcess>();

/** Flags every harness JVM gets. */
export const COMMON_JVM = ['-XX:+UseSerialGC', '-XX:-UsePerfData', '-Djava.net.preferIPv4Stack=true'];

export interface JvmSpec {
  name: string;
  java: string;
  jvmArgs: string[];
  classpath: string;
  mainClass: string;
  args: string[];
  cwd: string;
  logFile: string;
}

export class JvmProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  readonly startedAt = Date.now();
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly child: ChildProcess;
  private readonly log: WriteStream;
  private readonly tail: string[] = [];
  private partial = '';
  private readonly lineListeners = new Set<(line: string) => void>();
  private readonly exitListeners = new Set<() => void>();
  private exited = false;

  constructor(spec: JvmSpec) {
    this.name = spec.name;
    this.logFile = spec.logFile;
    this.log = createWriteStream(spec.logFile, { flags: 'a' });
    installCleanupHooks();
    this.child = spawn(spec.java, [...spec.jvmArgs, '-cp', spec.classpath, 'tsdbbackup.harness.Watchdog', spec.mainClass, ...spec.args], {
      cwd: spec.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) {
      throw new Error(`could not spawn ${spec.java} for ${spec.name}`);
    }
    this.pid = this.child.pid;
    live.add(this);
    this.log.write(
      `# ${new Date().toISOString()} ${spec.name} pid=${this.pid}\n# ${spec.java} ${spec.jvmArgs.join(' ')} -cp <classpath> ${spec.mainClass} ${spec.args.join(' ')}\n`,
    );
    this.child.stdin?.on('error', () => undefined);
    this.child.stdout?.on('data', (d: Buffer) => this.onData(d));
    this.child.stderr?.on('data', (d: Buffer) => this.onData(d));
    this.child.on('error', (err) => this.onData(Buffer.from(`spawn error: ${String(err)}\n`)));
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      this.exitCode = code;
      this.exitSignal = signal;
      live.delete(this);
      this.log.write(`# exited code=${code} signal=${signal}\n`);
      for (const l of this.exitListeners) l();
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  private onData(d: Buffer): void {
    this.log.write(d);
    const text = this.partial + d.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.tail.push(line);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
      for (const l of this.lineListeners) l(line);
    }
  }

  lastLines(n = 40): string {
    return [...this.tail, this.partial]
      .filter((l) => l !== '')
      .slice(-n)
      .join('\n');
  }

  describeExit(): string {
    return this.exitSignal ? `killed by ${this.exitSignal}` : `exited with code ${this.exitCode}`;
  }

  /** Resolves with the first output line matching `re`; rejects on exit, `fail` line or timeout. */
  waitForLine(re: RegExp, timeoutMs: number, fail?: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.lineListeners.delete(onLine);
        this.exitListeners.delete(onExit);
      };
      const onLine = (line: string): void => {
        if (re.test(line)) {
          done();
          resolve(line);
        } else if (fail?.test(line)) {
          done();
          // let the stack trace that follows reach the tail
          setTimeout(() => reject(this.failure(`reported: ${line}`)), 300);
        }
      };
      const onExit = (): void => {
        done();
        reject(this.failure(this.describeExit()));
      };
      const timer = setTimeout(() => {
        done();
        reject(this.failure(`did not get ready within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      if (this.exited) return onExit();
      this.lineListeners.add(onLine);
      this.exitListeners.add(onExit);
    });
  }

  /** An Error carrying the last lines of this process's log. */
  failure(what: string): Error {
    return new Error(`${this.name} (pid ${this.pid}) ${what}. Log: ${this.logFile}\n--- last lines ---\n${this.lastLines()}`);
  }

  /** Resident and peak resident memory in KiB, from /proc (Linux); undefined when gone. */
  memory(): { rssKb: number; peakKb: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+)/.exec(status)?.[1];
      const hwm = /VmHWM:\s+(\d+)/.exec(status)?.[1];
      if (!rss || !hwm) return undefined;
      return { rssKb: Number(rss), peakKb: Number(hwm) };
    } catch {
      return undefined;
    }
  }

  private signalGroup(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      // group already gone
    }
  }

  /** true while any process of the group exists. */
  groupAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGTERM the group, SIGKILL it after graceMs; resolves when no process of the group is left. */
  stop(graceMs = 10_000): Promise<void> {
    return this.end('SIGTERM', graceMs);
  }

  /** SIGKILL the group at once (a crash: no shutdown hook runs); resolves when no process of it is left. */
  kill(): Promise<void> {
    return this.end('SIGKILL', 0);
  }

  private async end(first: NodeJS.Signals, graceMs: number): Promise<void> {
    if (!this.exited) {
      const exited = new Promise<void>((r) => this.exitListeners.add(r));
      this.signalGroup(first);
      const timer = first === 'SIGKILL' ? undefined : setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    // stragglers in the group (none expected: a JVM has no children here)
    for (let i = 0; i < 50 && this.groupAlive(); i++) {
      this.signalGroup('SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
    this.child.stdin?.destroy();
    await new Promise<void>((r) => this.log.end(r));
  }

  /** Synchronous last resort (process 'exit' handler). */
  killNow(): void {
    this.signalGroup('SIGKILL');
  }
}

let hooksInstalled = false;

function killAllNow(): void {
  for (const p of live) p.killNow();
}

function installCleanupHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const handler = (): void => {
      // Someone else (e.g. the sandbox) handles this signal and will call stop(); the 'exit'
      // hook above stays as the safety net.
      if (process.listenerCount(sig) > 1) return;
      killAllNow();
      process.removeListener(sig, handler);
      process.kill(process.pid, sig); // default action: terminate with the signal
    };
    process.on(sig, handler);
  }
}

/** Polls `url` until it answers with `okStatus`; fails fast if `proc` dies. */
export async function waitForHttp(proc: JvmProcess, url: string, okStatus: (status: number) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (!proc.running) throw proc.failure(`${proc.describeExit()} while waiting for ${url}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (okStatus(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String((err as Error).cause ?? err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw proc.failure(`not ready within ${Math.round(timeoutMs / 1000)} s (${url}: ${last})`);
}
