/**
 * Background jobs of sites' own layers (docs/site-models.md):
 *
 * - `site-model.check`, every PARLEY_SITE_MODEL_CHECK_MINUTES (once across processes: the job id
 *   is the period), queues a training for each site that is due one (site-models.ts
 *   `dueSites`: enough decisions and none yet, or enough new ones since the last training).
 * - `site-model.train` `{ siteId }` trains, measures, and activates or rolls back (`train`);
 *   admins queue it too ("retrain now").
 */
import { enqueueJob } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { Store } from '../store/db.ts';
import type { SiteModels } from './site-models.ts';

export const SITE_MODEL_TRAIN_JOB = 'site-model.train';
export const SITE_MODEL_CHECK_JOB = 'site-model.check';

export interface JobLog {
  info(message: string): void;
}

const checkJobId = (periodStart: number) =>
  `${SITE_MODEL_CHECK_JOB}:${new Date(periodStart).toISOString()}`;

/** Makes sure the current period's check is queued (a process that runs jobs calls it at start). */
export async function scheduleSiteModelCheck(
  store: Store,
  minutes: number,
  now = new Date(),
): Promise<void> {
  const period = minutes * 60_000;
  const start = Math.floor(now.getTime() / period) * period;
  await enqueueJob(store.db, SITE_MODEL_CHECK_JOB, {}, { id: checkJobId(start) });
}

async function planNextCheck(store: Store, minutes: number, now: Date): Promise<void> {
  const period = minutes * 60_000;
  const next = (Math.floor(now.getTime() / period) + 1) * period;
  await enqueueJob(
    store.db,
    SITE_MODEL_CHECK_JOB,
    {},
    {
      id: checkJobId(next),
      runAt: new Date(next),
    },
  );
}

function siteIdOf(payload: unknown): string {
  const siteId = (payload as { siteId?: unknown } | null)?.siteId;
  if (typeof siteId !== 'string') throw new Error(`${SITE_MODEL_TRAIN_JOB} needs a siteId`);
  return siteId;
}

export function siteModelJobs(
  store: Store,
  models: SiteModels,
  log: JobLog,
): Record<string, JobHandler> {
  return {
    [SITE_MODEL_CHECK_JOB]: async () => {
      const now = new Date();
      // The next check is planned first, so that a failing one does not end the schedule.
      await planNextCheck(store, models.config.checkMinutes, now);
      for (const siteId of await models.dueSites()) {
        // A site deleted or turned off since is skipped; the others are still queued.
        await models.requestTraining(siteId, null).catch((error: unknown) => {
          log.info(`site model for site ${siteId} not queued: ${String(error)}`);
        });
      }
    },
    [SITE_MODEL_TRAIN_JOB]: async (payload) => {
      const siteId = siteIdOf(payload);
      const started = Date.now();
      const result = await models.train(siteId);
      const figures = result.comparison
        ? `; held-out macro-F1 ${result.comparison.base.macroF1} without the layer, ` +
          `${result.comparison.site.macroF1} with it`
        : '';
      log.info(
        `site model for site ${siteId}: ${result.outcome} (${result.decisions} decisions, ` +
          `${result.rejected} rejected${figures}` +
          `${result.rolledBack ? `; rolled back ${result.rolledBack}` : ''}) ` +
          `in ${Date.now() - started} ms`,
      );
    },
  };
}
