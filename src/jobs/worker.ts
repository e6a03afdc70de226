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
     * Jobs run at once: as many loops, each claiming its own jobs and sleeping `pollMs` when it
     * finds none, so that a long job (a digest for thousands of readers) or one waiting on the
     * network (a mail to an SMTP server) holds up no other. `drain` runs one at a time.
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

  // Loops beside the first (which `tick` runs, and `drain` shares), each on its own.
  const loops: Promise<void>[] = [];
  const sleepers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timeout);
        sleepers.delete(wake);
        resolve();
      };
      const timeout = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  async function loop(): Promise<void> {
    await pause(pollMs);
    while (!stopped) {
      let ran = false;
      try {
        ran = await runOne();
      } catch (error) {
        log.error({ err: error }, 'job worker poll failed');
      }
      if (!ran && !stopped) await pause(pollMs);
    }
  }

  function tick(): void {
    running = running
      .then(runDue)
      .catch((error: unknown) => {
        log.error({ err: error }, 'job worker poll failed');
        return 0;
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, pollMs);
      });
  }

  if (options.autoStart !== false) {
    timer = setTimeout(tick, pollMs);
    for (let i = 1; i < concurrency; i++) loops.push(loop());
  }

  return {
    drain: () => {
      running = running.then(runDue);
      return running;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const wake of [...sleepers]) wake();
      await running.catch(() => 0);
      await Promise.all(loops);
    },
  };
}
