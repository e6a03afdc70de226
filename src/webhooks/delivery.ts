/**
 * Sends queued webhook deliveries (docs/webhooks.md): a loop in every process that runs jobs,
 * claiming due deliveries from the database (src/store/webhooks.ts: the head of each lane only, so
 * one story's events arrive in order; several processes never claim the same one), signing and
 * POSTing each to public addresses only (src/notify/outbound.ts), and recording every attempt.
 *
 * - A 2xx answer delivers. Anything else (another status, a refused address, no answer within the
 *   time limit, an answer cut off) is tried again after an exponential backoff with jitter, until
 *   three days after the delivery was queued; the last try falls on that deadline, then it fails.
 * - An endpoint none of whose attempts has succeeded for PARLEY_WEBHOOK_DISABLE_AFTER_HOURS is
 *   disabled and the admins are mailed; 410 Gone disables it at once. Its pending deliveries wait
 *   for it to be enabled again.
 * - Finished deliveries stay in the delivery log for PARLEY_WEBHOOK_LOG_DAYS (30), then go.
 * - Neither secrets nor payloads are logged.
 */
import type { Store } from '../store/db.ts';
import { queueMail } from '../mail/outbox.ts';
import { maskUrl, postJson } from '../notify/outbound.ts';
import { getSite } from '../store/sites.ts';
import {
  anyDeliveryDue,
  claimDelivery,
  disableEndpoint,
  disableFailingEndpoints,
  getEndpoint,
  lastAttemptError,
  mailableAdmins,
  pruneDeliveries,
  recordAttempt,
  releaseDelivery,
  type ClaimedDelivery,
  type WebhookEndpoint,
} from '../store/webhooks.ts';
import type { Db } from '../notify/events.ts';
import { liveSecrets, signedHeaders } from './signing.ts';

export interface DeliveryOptions {
  /** How often to look for due deliveries when idle. */
  pollMs: number;
  /** Deliveries sent at once by this process. */
  concurrency: number;
  /** The time limit of one POST (connecting, sending, the whole answer). */
  timeoutMs: number;
  /** How much of an answer is read (the first part is kept in the delivery log). */
  maxResponseBytes: number;
  /** Also deliver to loopback and private addresses (PARLEY_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivateAddresses: boolean;
  /** The first retry's delay; each next one doubles, up to retryMaxMs (then ±25% jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** How long after it was queued a delivery is given up. */
  giveUpAfterMs: number;
  /** How long an endpoint may fail every attempt before it is disabled. */
  disableAfterMs: number;
  /** How long finished deliveries and their attempts stay in the log. */
  logRetentionMs: number;
  /** Where the dashboard is, for the mail that says an endpoint was disabled. */
  publicUrl: string;
  /** Start polling now (default true); otherwise only drain() sends. */
  autoStart: boolean;
}

export const DEFAULT_DELIVERY_OPTIONS: Omit<DeliveryOptions, 'publicUrl'> = {
  pollMs: 1000,
  concurrency: 4,
  timeoutMs: 10_000,
  maxResponseBytes: 4096,
  allowPrivateAddresses: false,
  retryBaseMs: 5_000,
  retryMaxMs: 6 * 3_600_000,
  giveUpAfterMs: 3 * 24 * 3_600_000,
  disableAfterMs: 72 * 3_600_000,
  logRetentionMs: 30 * 24 * 3_600_000,
  autoStart: true,
};

/** How much of a receiver's answer the delivery log keeps. */
export const KEPT_RESPONSE_CHARS = 1000;

export interface WebhookDelivery {
  /** Sends every due delivery until none is left (tests; and a nudge after a test event). */
  drain(): Promise<number>;
  /** Looks for due deliveries now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

interface Log {
  warn(object: object, message: string): void;
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * The delay before retry number `attempt` (1 after the first failure): base·2^(attempt−1), at most
 * `max`, times a random factor from 0.75 to 1.25 so that endpoints failing together do not retry
 * in step.
 */
export function retryDelayMs(
  attempt: number,
  options: Pick<DeliveryOptions, 'retryBaseMs' | 'retryMaxMs'>,
  random = Math.random,
): number {
  const exponential = options.retryBaseMs * 2 ** Math.min(attempt - 1, 40);
  return Math.round(Math.min(exponential, options.retryMaxMs) * (0.75 + random() * 0.5));
}

/** A URL as mail, logs and the audit log show it (see maskUrl: the path may hold a token). */
export const displayUrl = maskUrl;

export function startWebhookDelivery(
  store: Store,
  settings: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'publicUrl'>,
  log: Log,
): WebhookDelivery {
  const options: DeliveryOptions = { ...DEFAULT_DELIVERY_OPTIONS, ...settings };
  // A claim outlives the POST it covers; a process that dies mid-send frees it when it expires.
  const lockMs = options.timeoutMs + 30_000;
  let stopped = false;
  let running: Promise<number> = Promise.resolve(0);
  let timer: NodeJS.Timeout | undefined;
  let prunedAt = 0;

  async function deliver(claimed: ClaimedDelivery): Promise<void> {
    const endpoint = await getEndpoint(store.db, claimed.endpointId);
    const now = new Date();
    const secrets = endpoint ? liveSecrets(endpoint.secrets, now).map((s) => s.secret) : [];
    if (!endpoint || endpoint.disabledAt !== null || secrets.length === 0) {
      await releaseDelivery(store.db, claimed.id);
      return;
    }
    const timestamp = Math.floor(now.getTime() / 1000);
    const result = await postJson(endpoint.url, claimed.payload, {
      headers: signedHeaders(secrets, claimed.eventId, timestamp, claimed.payload),
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      allowPrivateAddresses: options.allowPrivateAddresses,
    });
    const delivered =
      result.status !== null && result.status >= 200 && result.status < 300 && !result.error;
    const attemptedAt = new Date();
    const error =
      result.error ?? (delivered ? null : `the receiver answered ${result.status ?? 'nothing'}`);
    const attempt = {
      attemptedAt,
      status: result.status,
      latencyMs: result.latencyMs,
      error,
      response: result.body ? result.body.slice(0, KEPT_RESPONSE_CHARS) : null,
    };
    const deadline = Date.parse(claimed.createdAt) + options.giveUpAfterMs;
    let retryAt: Date | null = null;
    if (!delivered && attemptedAt.getTime() < deadline) {
      const delay = retryDelayMs(claimed.attempts + 1, options);
      retryAt = new Date(Math.min(attemptedAt.getTime() + delay, deadline));
    }
    const gone = result.status === 410;
    await store.db.transaction().execute(async (trx) => {
      await recordAttempt(
        trx,
        { id: claimed.id, endpointId: endpoint.id },
        attempt,
        delivered ? { delivered: true } : { delivered: false, retryAt },
      );
      if (gone) {
        const disabled = await disableEndpoint(
          trx,
          endpoint.id,
          'The receiver answered 410 Gone: it asked for no more deliveries.',
          attemptedAt,
        );
        if (disabled) await tellAdmins(trx, disabled, attemptedAt.toISOString());
      }
    });
    if (!delivered) {
      log.warn(
        {
          webhookEndpoint: endpoint.id,
          delivery: claimed.id,
          eventType: claimed.eventType,
          attempt: claimed.attempts + 1,
          status: result.status,
          err: error,
          gaveUp: retryAt === null,
        },
        'webhook delivery failed',
      );
    }
  }

  /** Mails every admin that the endpoint was disabled, in the transaction that disabled it. */
  async function tellAdmins(db: Db, endpoint: WebhookEndpoint, since: string): Promise<void> {
    const site = await getSite(db, endpoint.siteId);
    const lastError = await lastAttemptError(db, endpoint.id);
    const why = endpoint.disabledReason ?? 'Every delivery failed.';
    const reason = lastError && !why.includes('410') ? `${why} The last: ${lastError}.` : why;
    log.warn(
      { webhookEndpoint: endpoint.id, site: endpoint.siteId, url: displayUrl(endpoint.url) },
      `webhook endpoint disabled: ${reason}`,
    );
    for (const admin of await mailableAdmins(db)) {
      await queueMail(db, {
        userId: admin.id,
        siteId: endpoint.siteId,
        to: admin.email,
        template: 'webhook-disabled',
        locale: admin.locale,
        params: {
          name: admin.name,
          siteName: site?.name ?? endpoint.siteId,
          url: displayUrl(endpoint.url),
          since,
          reason,
          link: `${options.publicUrl}/admin/webhooks`,
        },
      });
    }
  }

  /** Disables the endpoints that have failed for the whole window, and tells the admins. */
  async function disableFailing(): Promise<void> {
    const cutoff = new Date(Date.now() - options.disableAfterMs);
    const hours = Math.round((options.disableAfterMs / 3_600_000) * 10) / 10;
    await store.db.transaction().execute(async (trx) => {
      const disabled = await disableFailingEndpoints(
        trx,
        cutoff,
        () => `Every delivery failed for ${hours} hours.`,
      );
      for (const endpoint of disabled) {
        await tellAdmins(trx, endpoint, endpoint.failingSince ?? cutoff.toISOString());
      }
    });
  }

  async function runDue(): Promise<number> {
    let count = 0;
    const sender = async () => {
      while (!stopped) {
        const now = new Date();
        const claimed = await claimDelivery(
          store.db,
          store.engine,
          now,
          new Date(now.getTime() + lockMs),
        );
        if (!claimed) return;
        try {
          await deliver(claimed);
        } catch (error) {
          // The claim runs out and the delivery is tried again; the loop goes on.
          log.error(
            { delivery: claimed.id, err: error instanceof Error ? error.message : String(error) },
            'webhook delivery could not be recorded',
          );
        }
        count++;
      }
    };
    if (await anyDeliveryDue(store.db, new Date())) {
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, sender));
    }
    if (!stopped) await disableFailing();
    // The log is kept for logRetentionMs; looked at once an hour.
    if (!stopped && Date.now() - prunedAt > 3_600_000) {
      prunedAt = Date.now();
      await pruneDeliveries(store.db, new Date(prunedAt - options.logRetentionMs));
    }
    return count;
  }

  function schedule(delayMs: number): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    running = running
      .then(runDue)
      .catch((error: unknown) => {
        log.error(
          { err: error instanceof Error ? error.message : String(error) },
          'webhook delivery poll failed',
        );
        return 0;
      })
      .finally(() => {
        if (!timer) schedule(options.pollMs);
      });
  }

  if (options.autoStart) schedule(options.pollMs);

  return {
    drain: () => {
      running = running.then(runDue);
      return running;
    },
    wake: () => {
      if (options.autoStart) schedule(0);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => 0);
    },
  };
}
