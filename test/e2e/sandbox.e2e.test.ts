// `npm run sandbox` as a new user runs it: it keeps writing live points, and killing its npm process
// (SIGTERM, SIGINT, SIGHUP) leaves none of its processes behind (HBase, TSDs, S3Proxy, the writer).

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A block of ports of its own, away from the e2e harness of this run (TSDB_E2E_BASE_PORT).
const SANDBOX_PORT = String(Number(process.env.TSDB_E2E_BASE_PORT ?? 14242) + 20);

/** The processes whose command line names the sandbox's work dir (its JVMs), and the sandbox's own node. */
function processesOf(workDir: string, sandboxPid?: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      continue;
    }
    if (cmd.includes(workDir) || Number(pid) === sandboxPid) found.push(`${pid} ${cmd.slice(0, 120)}`);
  }
  return found;
}

function startSandbox(): { npm: ChildProcess; up: Promise<{ workDir: string; sourceUrl: string; sandboxPid: number }> } {
  const npm = spawn('npm', ['run', 'sandbox'], { cwd: ROOT, env: { ...process.env, TSDB_E2E_BASE_PORT: SANDBOX_PORT }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const up = new Promise<{ workDir: string; sourceUrl: string; sandboxPid: number }>((resolve, reject) => {
    const check = (): void => {
      const source = /source TSD[^:]*: (http:\/\/\S+)/.exec(out);
      const work = /work dir (\S+);/.exec(err);
      if (source && work && out.includes('sandbox is up')) {
        // the sandbox's node: the process whose command line runs sandbox.ts under this npm
        const pid = readdirSync('/proc')
          .filter((d) => /^\d+$/.test(d))
          .find((d) => {
            try {
              const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
              return (
                /^(\S*\/)?node\0/.test(cmd) &&
                cmd.includes('test/e2e/harness/sandbox.ts') &&
                readFileSync(`/proc/${d}/environ`, 'utf8').includes(`TSDB_E2E_BASE_PORT=${SANDBOX_PORT}`)
              );
            } catch {
              return false;
            }
          });
        resolve({ workDir: work[1]!, sourceUrl: source[1]!, sandboxPid: Number(pid) });
      }
    };
    npm.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    npm.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      check();
    });
    npm.once('exit', (code) => reject(new Error(`npm run sandbox exited (${code}) before it was up:\n${err.slice(-2000)}`)));
  });
  return { npm, up };
}

async function livePoints(sourceUrl: string, start: string): Promise<number> {
  const res = await fetch(`${sourceUrl}/api/query?start=${start}&m=none:sys.cpu.user&m=none:net.bytes.in`);
  if (res.status !== 200) return 0;
  const body = (await res.json()) as Array<{ dps: Record<string, number> }>;
  return body.reduce((n, s) => n + Object.keys(s.dps).length, 0);
}

async function gone(workDir: string, sandboxPid: number, withinMs: number): Promise<string[]> {
  const until = Date.now() + withinMs;
  let left = processesOf(workDir, sandboxPid);
  while (left.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 1000));
    left = processesOf(workDir, sandboxPid);
  }
  return left;
}

describe.skipIf(inject('e2eSkipped'))('npm run sandbox', () => {
  // SIGINT to the npm process alone (not its process group, as a terminal's Ctrl-C sends): npm forwards it to
  // the script's shell, and a shell waiting for its command keeps a SIGINT to itself until the command ends,
  // so the sandbox never heard it and nothing stopped. The script `exec`s node, so npm's SIGINT reaches it.
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    'writes live points and stops every process when its npm process gets %s',
    async (signal) => {
      const { npm, up } = startSandbox();
      let sandbox: { workDir: string; sourceUrl: string; sandboxPid: number } | undefined;
      try {
        sandbox = await up;
        expect(sandbox.sandboxPid).toBeGreaterThan(0);
        expect(processesOf(sandbox.workDir).length).toBeGreaterThanOrEqual(3);
        // the last 2 hours were written at start, and a new tick lands every 10 s
        const since = String(Date.now() - 30 * 60_000); // a fixed start, so that the count can only grow
        const before = await livePoints(sandbox.sourceUrl, since);
        expect(before).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, 12_000));
        expect(await livePoints(sandbox.sourceUrl, since)).toBeGreaterThan(before);

        npm.kill(signal);
        expect(await gone(sandbox.workDir, sandbox.sandboxPid, 90_000)).toEqual([]);
      } finally {
        // never leave a sandbox behind, whatever failed above
        if (npm.exitCode === null) npm.kill('SIGKILL');
        if (sandbox) for (const line of processesOf(sandbox.workDir, sandbox.sandboxPid)) process.kill(Number(line.split(' ')[0]), 'SIGKILL');
      }
    },
    600_000,
  );
});
