// replicate's events in --json (docs/JSON.md): one line per event with the names every command uses.

import type { ReplicationEvent } from '../replicate/replicate.js';
import { switchJson } from './switch-json.js';

export function replicationEventJson(e: ReplicationEvent, reportedAt: string): { type: string } & Record<string, unknown> {
  switch (e.type) {
    case 'cycle': {
      const { until, checkpoint, ...rest } = e;
      return { ...rest, end: until, ...(checkpoint === undefined ? {} : { checkpoint }), reportedAt };
    }
    case 'cycle-failed': {
      const { retryInMs, ...rest } = e;
      return { ...rest, retryInDurationMs: retryInMs, reportedAt };
    }
    case 'primary-down': {
      const { since, ...rest } = e;
      return { ...rest, downAt: since, reportedAt };
    }
    case 'primary-up': {
      const { downForMs, ...rest } = e;
      return { ...rest, downDurationMs: downForMs, reportedAt };
    }
    case 'failover':
      return { type: 'failover', ...switchJson(e.result), reportedAt };
    default:
      return { ...e, reportedAt };
  }
}
