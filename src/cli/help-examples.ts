// One to three real command lines per command, shown after its --help. Keyed by the command's path
// ("key add"); a command added later gets its examples by adding a line here.

import type { Command } from 'commander';

const EXAMPLES: Record<string, string[]> = {
  init: [
    'tsdb-backup init --repo /backups/tsdb                  # encrypted: asks for a password (or TSDB_BACKUP_PASSWORD)',
    'tsdb-backup init --repo s3://my-bucket/tsdb --insecure-no-encryption',
  ],
  'key list': ['tsdb-backup key list --repo /backups/tsdb'],
  'key add': ['tsdb-backup key add --repo /backups/tsdb --new-password-file /etc/tsdb-backup/ops-password'],
  'key remove': ['tsdb-backup key remove --repo /backups/tsdb 3f9a1c'],
  'key passwd': ['tsdb-backup key passwd --repo /backups/tsdb'],
  full: [
    'tsdb-backup full --source http://tsd:4242 --repo /backups/tsdb --start 30d-ago',
    "tsdb-backup full --source http://tsd:4242 --name prod-eu --metric 'sys.*' --start 2026-01-01",
    'tsdb-backup full --source http://tsd:4242 --repo s3://my-bucket/tsdb --shard $JOB_COMPLETION_INDEX/4 --set $JOB_NAME   # one of 4 pods (deploy/kubernetes)',
  ],
  incremental: ['tsdb-backup incremental --source http://tsd:4242 --repo /backups/tsdb --full-if-missing'],
  list: ['tsdb-backup list --repo /backups/tsdb', 'TSDB_BACKUP_REPOSITORY=s3://my-bucket/tsdb tsdb-backup list --json'],
  show: ['tsdb-backup show --repo /backups/tsdb', 'tsdb-backup show --repo /backups/tsdb 20261124T043500Z-1a2b3c --json'],
  diff: ['tsdb-backup diff --repo /backups/tsdb 20261123T043500Z-aaaaaa 20261124T043500Z-1a2b3c'],
  compare: [
    'tsdb-backup compare --repo /backups/tsdb --source http://tsd:4242',
    "tsdb-backup compare --repo /backups/tsdb --source http://tsd:4242 --metric 'sys.cpu.*' --start 7d-ago",
    'tsdb-backup compare --repo /backups/tsdb --source http://tsd:4242 --json | jq -c \'select(.type == "metric" and .inBackup == false)\'   # metrics the backup lacks',
  ],
  verify: ['tsdb-backup verify --repo /backups/tsdb', 'tsdb-backup verify --config /etc/tsdb-backup/config.json'],
  restore: [
    'tsdb-backup restore --repo /backups/tsdb --target http://standby:4242',
    'tsdb-backup restore nightly-29412345 --repo /backups/tsdb --target http://big:4242 --shard 0/4   # a backup set, restore 1 of 4',
    "tsdb-backup restore --repo /backups/tsdb --target http://tsd:4242 --metric 'sys.cpu.*' --start 2026-11-01 --dry-run",
  ],
  export: [
    'tsdb-backup export --repo /backups/tsdb | gzip > tsdb.txt.gz      # then on any cluster: tsdb import --auto-metric tsdb.txt.gz',
    "tsdb-backup export --repo /backups/tsdb --format jsonl --metric 'sys.*' --start 7d-ago > points.jsonl   # exact, for /api/put",
  ],
  prune: ['tsdb-backup prune --repo /backups/tsdb --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --dry-run'],
  schedule: ['tsdb-backup schedule --config /etc/tsdb-backup/schedule.json --print 5', 'tsdb-backup schedule --config /etc/tsdb-backup/schedule.json'],
  unlock: ['tsdb-backup unlock --repo /backups/tsdb --dry-run'],
  replicate: ['tsdb-backup replicate --source http://primary:4242 --target http://standby:4242 --state /var/lib/tsdb-backup/replica.json --start 7d-ago'],
  failover: ['tsdb-backup failover --from http://primary:4242 --to http://standby:4242 --state /var/lib/tsdb-backup/replica.json'],
  failback: ['tsdb-backup failback --from http://standby:4242 --to http://primary:4242 --state /var/lib/tsdb-backup/replica.json'],
  health: ['tsdb-backup health --tsd http://tsd1:4242 --tsd http://tsd2:4242', 'tsdb-backup health --tsd http://tsd:4242 --nagios'],
};

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds the examples of this command (if it has any) after its help. */
export function addHelpExamples(cmd: Command): void {
  const lines = EXAMPLES[commandPath(cmd)];
  if (lines) cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
}
