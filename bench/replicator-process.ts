// Runs `node bin/tsdb-backup.js replicate ... --json` (the built CLI in dist/, with the V8 flags of its
// shebang) as a child process, keeps every JSON event it prints with the time it arrived, and reads
// the child's CPU time and peak RSS from /proc before stopping it with SIGTERM.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.join(import.meta.dirname, '..');

export interface ReplicationEventLine {
  type: string;
  at: string;
  [k: string]: unknown;
}

export interface CycleEvent extends ReplicationEventLine {
  type: 'cycle';
  until: number;
  lagMs: number;
  durationMs: number;
  pointsRead: number;
  pointsWritten: number;
  metrics: number;
  failed: Array<{ metric: string; error: string }>;
}

export interface ProcessFigures {
  exitCode: number | null;
  cpuSeconds: number;
  peakRssMb: number;
}

export class ReplicatorProcess {
  readonly events: Array<{ t: number; e: ReplicationEventLine }> = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private waiters: Array<() => void> = [];

  constructor(args: string[], stderrLog: string) {
    const shebang = /^#!\/usr\/bin\/env -S node (.*)$/m.exec(readFileSync(path.join(root, 'bin/tsdb-backup.js'), 'utf8'))?.[1] ?? '';
    const flags = shebang.split(' ').filter(Boolean);
    this.child = spawn(process.execPath, [...flags, path.join(root, 'bin/tsdb-backup.js'), 'replicate', ...args, '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stderr!.pipe(createWriteStream(stderrLog));
    // The benchmark stopping for any reason must not leave a replicator running.
    const kill = (): void => void this.child.kill('SIGKILL');
    process.once('exit', kill);
    this.child.once('exit', () => process.off('exit', kill));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      let e: ReplicationEventLine;
      try {
        e = JSON.parse(line) as ReplicationEventLine;
      } catch {
        return;
      }
      this.events.push({ t: Date.now(), e });
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        for (const w of this.waiters.splice(0)) w();
        resolve(code);
      }),
    );
  }

  cycles(): Array<{ t: number; e: CycleEvent }> {
    return this.events.filter((x) => x.e.type === 'cycle') as Array<{ t: number; e: CycleEvent }>;
  }

  /** Resolves with the first event (arrived after `after`) that `match` accepts; rejects after `timeoutMs`. */
  async waitFor<E extends ReplicationEventLine = ReplicationEventLine>(
    match: (e: ReplicationEventLine) => boolean,
    after: number,
    timeoutMs: number,
  ): Promise<{ t: number; e: E }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.events.find((x) => x.t >= after && match(x.e));
      if (hit) return hit as { t: number; e: E };
      if (this.child.exitCode !== null) throw new Error(`the replicator exited (${this.child.exitCode}) before the awaited event`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no awaited replication event within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 1000));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private procFigures(): { cpuSeconds: number; peakRssMb: number } {
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1];
      return { cpuSeconds: ticks / 100, peakRssMb: Number(hwm ?? 0) / 1024 };
    } catch {
      return { cpuSeconds: NaN, peakRssMb: NaN };
    }
  }

  async stop(): Promise<ProcessFigures> {
    const figures = this.procFigures();
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 120_000);
    const exitCode = await this.exited;
    clearTimeout(timer);
    return { exitCode, ...figures };
  }
}
