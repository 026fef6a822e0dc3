// The Kubernetes examples in deploy/kubernetes/ are parsed, and the command line each pod runs is
// given to the CLI: every option must be accepted (the run then fails only where it reaches out).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { closedPort } from '../support/closed-port.js';
import { initRepo } from '../support/init-repo.js';
import { cli } from '../support/run-cli-in-process.js';
import { useTempDir } from '../support/temp-dir.js';
import { parseYamlSubset } from '../support/yaml-subset.js';

const DIR = path.resolve(import.meta.dirname, '../../deploy/kubernetes');
type Obj = Record<string, unknown>;
const load = async (file: string) => parseYamlSubset(await readFile(path.join(DIR, file), 'utf8')) as Obj;
const at = (o: unknown, ...keys: string[]): unknown => keys.reduce((x, k) => (x as Obj)[k], o);

describe('deploy/kubernetes examples', () => {
  const tempDir = useTempDir('tsdb-backup-k8s-');
  it('the YAML subset reader refuses what it does not understand, naming the line', () => {
    expect(() => parseYamlSubset('a: 1\n  b: 2\n')).toThrow(/line 2/);
    expect(() => parseYamlSubset('a: {b: 1}\n')).toThrow(/line 1: unsupported/);
    expect(() => parseYamlSubset('a: 1\na: 2\n')).toThrow(/duplicate key/);
    expect(parseYamlSubset('a:\n  - x: "1"\n    y: [\"p\", \"q\"]\n  - z # c\n')).toEqual({ a: [{ x: '1', y: ['p', 'q'] }, 'z'] });
  });

  for (const [file, kind, podPath] of [
    ['indexed-job.yaml', 'Job', ['spec']],
    ['cronjob.yaml', 'CronJob', ['spec', 'jobTemplate', 'spec']],
  ] as const) {
    it(`${file}: an Indexed Job whose n pods run shards 0..n-1 of one set, and whose command line the CLI accepts`, async () => {
      const doc = await load(file);
      expect(doc).toMatchObject({ apiVersion: 'batch/v1', kind });
      const job = at(doc, ...podPath) as Obj;
      expect(job).toMatchObject({ completionMode: 'Indexed' });
      const n = Number(job.completions);
      expect(Number(job.parallelism)).toBe(n);
      const container = (at(job, 'template', 'spec', 'containers') as Obj[])[0]!;
      const args = container.args as string[];
      expect(container.command).toEqual(['tsdb-backup']);
      expect(args[args.indexOf('--shard') + 1]).toBe(`$(JOB_COMPLETION_INDEX)/${n}`);
      expect(args[args.indexOf('--set') + 1]).toBe('$(JOB_NAME)');
      const env = container.env as Obj[];
      expect(env.find((e) => e.name === 'JOB_NAME')).toMatchObject({
        valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } },
      });
      for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'TSDB_BACKUP_PASSWORD']) {
        expect(
          env.find((e) => e.name === name),
          name,
        ).toMatchObject({ valueFrom: { secretKeyRef: { name: 'tsdb-backup' } } });
      }
      expect(args[args.indexOf('--repo') + 1]).toMatch(/^s3:\/\//);

      // As Kubernetes expands $(VAR), with the S3 repository swapped for a local one and a TSD that is down:
      // every option parses (no exit 2), and the run stops at the source (exit 12).
      {
        const repo = path.join(tempDir(), file);
        await initRepo(repo, { password: 'kubernetes-example' });
        const port = await closedPort();
        // the last index: the one that must still be below n
        for (const i of [n - 1]) {
          const vars: Record<string, string> = { JOB_COMPLETION_INDEX: String(i), JOB_NAME: 'tsdb-backup-prod-29412345', TSD_URL: `http://127.0.0.1:${port}` };
          const expanded = args.map((a) => a.replace(/\$\(([A-Z_]+)\)/g, (_, v: string) => vars[v] ?? `$(${v})`));
          const local: string[] = [];
          for (let j = 0; j < expanded.length; j++) {
            if (expanded[j] === '--repo') {
              local.push('--repo', repo);
              j++;
            } else if (expanded[j] === '--s3-region') j++;
            else local.push(expanded[j]!);
          }
          const r = await cli(local, { env: { TSDB_BACKUP_PASSWORD: 'kubernetes-example' } });
          expect(r.code, r.stderr).toBe(EXIT.UNREACHABLE);
        }
      }
    }, 60_000);
  }

  it('secret.example.yaml holds the keys the examples read', async () => {
    const secret = await load('secret.example.yaml');
    expect(Object.keys(at(secret, 'stringData') as Obj).sort()).toEqual(['aws-access-key-id', 'aws-secret-access-key', 'repository-password']);
  });
});
