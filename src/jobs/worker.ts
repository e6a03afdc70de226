/**
 * Runs queued jobs in the server process: polls for due jobs, hands each to the handler for its
 * kind, and records success or failure. Stops cleanly, waiting for the job in hand.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/db.ts';
import { claimJob, completeJob, failJob, type Job } from './queue.ts';

export type JobHandler = (payload: unknown, job: Job) => Promise<void>;

export interface Worker {
  /** Runs due jobs until none is left (used by tests and at shutdown). */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

export function startWorker(
  store: Store,
  handlers: Record<string, JobHandler>,
  log: FastifyBaseLogger,
  options: {
    pollMs?: number;
    lockMs?: number;
    autoStart?: boolean;
    /**
     * Jobs run at once by the polling loop (each claims its own; a job waiting on the network,
     * such as a mail to an SMTP server, no longer holds up the others). `drain` runs one at a time.
     */
    concurrency?: number;
  } = {},
): Worker {
  const pollMs = options.pollMs ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const lockMs = options.lockMs ?? 60_000;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;

  async function runOne(): Promise<boolean> {
    const job = await claimJob(store.db, store.engine, lockMs);
    if (!job) return false;
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind "${job.kind}"`);
      await handler(job.payload, job);
      await completeJob(store.db, job.id);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.warn(
        { jobId: job.id, kind: job.kind, attempt: job.attempts, err: message },
        'job failed',
      );
      await failJob(store.db, job, message);
    }
    return true;
  }

  async function runDue(): Promise<number> {
    let count = 0;
    while (!stopped && (await runOne())) count++;
    return count;
  }

  async function runDueTogether(): Promise<number> {
    const counts = await Promise.all(Array.from({ length: concurrency }, runDue));
    return counts.reduce((sum, n) => sum + n, 0);
  }

  function tick(): void {
    running = running
      .then(runDueTogether)
      .catch((error: unknown) => {
        log.error({ err: error }, 'job worker poll failed');
        return 0;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  }

  if (options.autoStart !== false) timer = setTimeout(tick, pollMs);

  return {
    drain: () => {
      running = running.then(runDue);
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => 0);
    },
  };
}
