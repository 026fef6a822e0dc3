// Whether a process of this host still runs: signal 0 checks without signalling (EPERM: it runs, as
// another user).

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
