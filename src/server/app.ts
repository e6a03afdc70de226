/**
 * Builds the Parley HTTP server: the JSON API under /api/v1 (with its OpenAPI document at
 * /api/docs), the widget and demo pages, health and metrics. Tests build it in process.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import { ParleyError } from '../domain/errors.ts';
import { STORY_METADATA_JOB, storyMetadataJob } from '../jobs/story-metadata.ts';
import { startWorker, type Worker } from '../jobs/worker.ts';
import { SiteDirectory } from '../services/site-directory.ts';
import { estimateBytes, ThreadCache } from '../services/thread-cache.ts';
import { openStore, type Store } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { installViewer, SessionCache } from './auth.ts';
import type { SharedPage } from './context.ts';
import {
  capConnections,
  clientErrorHandler,
  serverTimeouts,
  uncappedPeers,
} from './connections.ts';
import { installErrorHandling } from './errors.ts';
import { installJsonParser } from './json-body.ts';
import { installMetrics } from './metrics.ts';
import { adminRoutes } from './routes/admin/index.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { ApiKeyCache, perspectiveRoutes } from './routes/perspective.ts';
import type { Classifier } from '../domain/moderation/phases/classifier.ts';
import { loadModel } from '../classifier/index.ts';
import { authRoutes } from './routes/auth.ts';
import { commentRoutes } from './routes/comments.ts';
import { dsaRoutes } from './routes/dsa.ts';
import { siteRoutes } from './routes/sites.ts';
import { storyRoutes } from './routes/stories.ts';
import { installSecurityHeaders } from './security-headers.ts';
import { OneLinePerRequest, prettyStream, type LogOutput } from './logging.ts';
import { installDemoPage } from './demo-page.ts';
import { installStatic } from './static.ts';
import { installAdminPage } from './admin-page.ts';
import type { PhaseDependencies } from '../domain/moderation/phases/index.ts';
import { CommentModerator } from '../services/moderation.ts';
import { createExternalModerator } from '../services/external-moderation.ts';
import { validatorCompiler } from './validation.ts';
import { redisRateLimitStore } from './redis-rate-limit.ts';
import { MemoryBus, type Bus } from '../live/bus.ts';
import { LiveHub } from './live/hub.ts';
import type { HubOptions } from './live/options.ts';
import { attachBus, detachBus } from '../live/record.ts';
import { RedisBus } from '../live/redis-bus.ts';
import { eventRoutes } from './routes/events.ts';
import { accountRoutes } from './routes/account.ts';
import { federatedRoutes } from './routes/federated.ts';
import { adminMailRoutes } from './routes/admin-mail.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { installAccountPages } from './account-pages.ts';
import { mailJobs } from '../mail/sender.ts';
import { notificationMailJobs, scheduleDigests } from '../notify/mail.ts';
import { brandingRoutes } from './routes/branding.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { privacyJobs, scheduleRetention } from '../services/privacy.ts';
import { canRepresent, SiteModels } from '../services/site-models.ts';
import { scheduleSiteModelCheck, siteModelJobs } from '../services/site-model-jobs.ts';
import { siteModelRoutes } from './routes/site-models.ts';
import { importRoutes } from './routes/imports.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { Dispatcher, type DispatcherOptions } from '../notify/dispatcher.ts';
import { notificationConsumer } from '../notify/notifications.ts';
import { qaConsumer } from '../notify/qa.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import {
  startWebhookDelivery,
  type DeliveryOptions,
  type WebhookDelivery,
} from '../webhooks/delivery.ts';
import { webhookConsumer } from '../webhooks/events.ts';
import { alertConsumer, alertJobs, scheduleAlerts } from '../notify/alerts.ts';
import { alertRoutes } from './routes/alerts.ts';
import { feedRoutes } from './routes/feeds.ts';
import { qaRoutes } from './routes/qa.ts';
import { viewRoutes } from './routes/views.ts';
import { ViewCounter } from '../services/views.ts';
import { renderedRoutes } from './routes/rendered.ts';
import { profileRoutes } from './routes/profiles.ts';
import { installProfilePage } from './profile-page.ts';

export interface BuildOptions {
  /** Use this store instead of opening the configured database (the caller closes it). */
  store?: Store;
  /** Serve the demo newsroom at `/`. */
  demo?: boolean;
  /** Log (default true); a stream receives the JSON log lines instead of stdout (tests read them). */
  logger?: boolean | { stream: NodeJS.WritableStream };
  /** The log's format and how requests are logged (src/server/logging.ts); default: production's. */
  log?: LogOutput;
  /** Run background jobs in this process (default true). */
  runJobs?: boolean;
  /** What the moderation pipeline may call out to (a classifier, a publisher's service). */
  moderation?: PhaseDependencies;
  /**
   * The classifier behind the analysis endpoint and the pipeline's classifier phase (unless
   * `moderation.classifier` names another). Default: the shipped model, unless the configuration
   * turns it off (`PARLEY_CLASSIFIER=0`).
   */
  classifier?: Classifier;
  /** Live streams: the hub's limits and timings (tests shorten them), the Redis channel prefix. */
  live?: Partial<HubOptions> & { redisPrefix?: string };
  /** Cap this host's own (loopback) connections too, as tests of the cap do from 127.0.0.x. */
  capLoopback?: boolean;
  /** The dispatcher's timings (tests run it by hand with `dispatcher.drain()`). */
  dispatcher?: Partial<DispatcherOptions>;
  /** Webhook delivery: timings and retry schedule (tests shorten them; docs/webhooks.md). */
  webhooks?: Partial<DeliveryOptions>;
}

export interface ParleyApp {
  app: FastifyInstance;
  /** The classifier in use and how long loading it took (null: none). */
  classifier: { model: string; loadMs: number } | null;
  store: Store;
  worker: Worker;
  /** Hands comment changes to notifications, alerts and webhooks (src/notify/dispatcher.ts). */
  dispatcher: Dispatcher;
  /** Sends publishers' webhook deliveries (src/webhooks/delivery.ts). */
  webhooks: WebhookDelivery;
  sites: SiteDirectory;
  /** The live event streams of this process and the bus they share with other processes. */
  live: LiveHub;
  bus: Bus;
  /** Sites' own layers over the classifier, learned from their moderators. */
  siteModels: SiteModels;
  /** Readers' views of comments, written in batches (src/services/views.ts; tests flush it). */
  views: ViewCounter;
  close(): Promise<void>;
}

export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Requests as logged: secrets in the query string (an analysis API key, a session token given to
 * a live stream, a mailed link's token, an OIDC authorization code and state) are masked.
 */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: request.url.replace(/([?&](?:key|token|code|state)=)[^&]*/gi, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Where the log goes: the given stream or stdout, through the pretty printer if asked for. */
function logStream(options: BuildOptions): { stream?: NodeJS.WritableStream } {
  const given = typeof options.logger === 'object' ? options.logger.stream : undefined;
  if (options.log?.format === 'pretty') return { stream: prettyStream(given ?? process.stdout) };
  return given ? { stream: given } : {};
}

/** Warns of connections refused over the per-address cap, at most once a minute. */
function refusalLog(app: FastifyInstance): (address: string) => void {
  let refused = 0;
  let warnedAt = 0;
  return (address) => {
    refused++;
    if (Date.now() - warnedAt < 60_000) return;
    app.log.warn(
      `refused ${refused} connection(s) over PARLEY_MAX_CONNECTIONS_PER_IP, the latest from ${address}`,
    );
    refused = 0;
    warnedAt = Date.now();
  };
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<ParleyApp> {
  const ownsStore = !options.store;
  const store = options.store ?? openStore(config.database);
  // What the set-up has opened, closed again (newest first) when a later step fails: a process
  // that cannot start must be left with nothing that keeps it running.
  const opened: (() => Promise<unknown>)[] = ownsStore ? [() => store.close()] : [];
  try {
    return await assembleApp(config, options, store, opened);
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => undefined);
    throw error;
  }
}

async function assembleApp(
  config: Config,
  options: BuildOptions,
  store: Store,
  opened: (() => Promise<unknown>)[],
): Promise<ParleyApp> {
  const ownsStore = !options.store;
  try {
    await migrate(store);
  } catch (error) {
    throw new Error(`the database could not be migrated: ${(error as Error).message}`, {
      cause: error,
    });
  }

  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'req.headers["x-goog-api-key"]',
            ],
            serializers: { req: serializeRequest },
            ...logStream(options),
          },
    ...(options.log &&
      options.log.requests !== 'fastify' && {
        logController: new OneLinePerRequest(options.log.requests),
      }),
    bodyLimit: BODY_LIMIT_BYTES,
    // A hop count becomes proxy-addr's "trust the nearest n" rule (Fastify's types omit numbers).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (_address: string, hop: number) => hop < (config.trustProxy as number)
        : config.trustProxy,
    return503OnClosing: true,
    ...serverTimeouts(config),
    clientErrorHandler,
    routerOptions: { maxParamLength: 200 },
    // Errors raised before routing (an over-long path parameter, broken percent-encoding) get the
    // same JSON shape as every other error.
    frameworkErrors: (error, _request, reply) => {
      void (reply as FastifyReply)
        .status(400)
        .send(new ParleyError('VALIDATION_FAILED', error.message).toJSON());
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  opened.push(() => app.close());
  app.setValidatorCompiler(validatorCompiler);
  installJsonParser(app);
  installErrorHandling(app);

  const sites = new SiteDirectory(store, config.publicUrl);
  await sites.refresh();

  installSecurityHeaders(app, config.publicUrl);
  await app.register(cors, {
    origin: (origin, callback) => {
      if (!origin) return callback(null, false);
      sites.isAllowed(origin).then(
        (allowed) => callback(null, allowed),
        (error: Error) => callback(error, false),
      );
    },
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  });
  const sessions = new SessionCache(config.sessionCacheMs);
  installViewer(app, store, sessions);
  const { redisPrefix, ...hubOptions } = options.live ?? {};
  const bus: Bus = config.redisUrl
    ? await RedisBus.connect({
        url: config.redisUrl,
        ...(redisPrefix !== undefined && { prefix: redisPrefix }),
        onError: (error) => app.log.warn(`redis: ${error.message}`),
      })
    : new MemoryBus();
  opened.push(() => bus.close());
  await app.register(rateLimit, {
    global: false,
    // With Redis, every process counts against the same limits; if Redis fails, let requests by.
    ...(bus instanceof RedisBus && {
      store: redisRateLimitStore(bus.commands, `${redisPrefix ?? 'parley:'}ratelimit:`),
      skipOnError: true,
    }),
    errorResponseBuilder: (_request, context) =>
      new ParleyError(
        'RATE_LIMITED',
        `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`,
      ),
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Parley API',
        version: '1',
        description:
          'Self-hosted comments for news publishers. Errors are `{ error: { code, message } }`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  const apiKeys = new ApiKeyCache(store);
  attachBus(store, bus);
  const live = new LiveHub(
    store,
    bus,
    {
      maxConnections: config.maxSse,
      maxPerIp: config.maxSsePerIp,
      retentionMs: config.liveRetentionSeconds * 1000,
      quietStoryMs: config.liveQuietMinutes * 60_000,
      ...hubOptions,
    },
    { warn: (message) => app.log.warn(message) },
  );
  opened.push(() => live.close());
  // Open streams would keep the server from closing: end them first (clients reconnect elsewhere).
  app.addHook('preClose', async () => {
    await live.close();
  });
  capConnections(app.server, {
    maxPerAddress: config.maxConnectionsPerIp,
    uncapped: uncappedPeers(config.trustProxy, options.capLoopback),
    streamsOf: (address) => live.streamsFrom(address),
    refused: refusalLog(app),
  });
  let classifier = options.classifier;
  let classifierInfo: ParleyApp['classifier'] = null;
  if (!classifier && config.classifier) {
    const loaded = loadModel();
    classifier = loaded.classifier;
    classifierInfo = { model: loaded.header.id, loadMs: loaded.loadMs };
  }
  // Sites' own layers read what the pipeline's classifier makes of a comment (the shipped one).
  const pipelineClassifier = options.moderation?.classifier ?? classifier;
  const siteModels = new SiteModels(
    store,
    canRepresent(pipelineClassifier) ? pipelineClassifier : null,
    config.siteModels,
    { warn: (message) => app.log.warn(message) },
  );
  const context = {
    store,
    sessions,
    config,
    sites,
    // A site without an external service configured skips that phase; the client costs nothing.
    moderator: new CommentModerator(store, {
      external: createExternalModerator(),
      ...(classifier && { classifier }),
      ...(siteModels.available && { siteModel: siteModels }),
      ...options.moderation,
    }),
    threads: new ThreadCache<SharedPage>({
      ttlMs: config.threadCacheTtlMs,
      maxBytes: config.threadCacheMaxBytes,
      sizeOf: estimateBytes,
    }),
    live,
  };
  // Views counted here are written every few seconds and at shutdown; a flush that changes a
  // story's counts makes its cached pages stale (its Best order may have moved).
  const views = new ViewCounter(store, {
    flushed: (storyIds) => storyIds.forEach((id) => context.threads.storyChanged(id)),
    warn: (message) => app.log.warn(message),
  });
  opened.push(() => views.stop());
  // Publishers' webhooks go out from every process that runs jobs (src/webhooks/delivery.ts).
  const webhooks = startWebhookDelivery(
    store,
    {
      publicUrl: config.publicUrl,
      allowPrivateAddresses: config.webhooks.allowPrivate,
      timeoutMs: config.webhooks.timeoutMs,
      disableAfterMs: config.webhooks.disableAfterHours * 3_600_000,
      concurrency: config.webhooks.concurrency,
      logRetentionMs: config.webhooks.logDays * 24 * 3_600_000,
      autoStart: options.runJobs !== false,
      ...options.webhooks,
    },
    app.log,
  );
  opened.push(() => webhooks.stop());
  const rendered = renderedRoutes(context);
  await app.register(
    async (api) => {
      await api.register(authRoutes(context));
      await api.register(siteRoutes(context));
      await api.register(storyRoutes(context));
      await api.register(commentRoutes(context));
      await api.register(dsaRoutes(context));
      await api.register(adminRoutes(context));
      await api.register(apiKeyRoutes(context, apiKeys));
      await api.register(eventRoutes(context));
      await api.register(accountRoutes(context));
      await api.register(federatedRoutes(context));
      await api.register(adminMailRoutes(context));
      await api.register(brandingRoutes(context));
      await api.register(privacyRoutes(context));
      await api.register(siteModelRoutes(context, siteModels));
      await api.register(importRoutes(context));
      await api.register(notificationRoutes(context));
      await api.register(webhookRoutes(context, webhooks));
      await api.register(alertRoutes(context));
      await api.register(feedRoutes(context));
      await api.register(qaRoutes(context));
      await api.register(viewRoutes(context, views));
      await api.register(rendered.api);
      await api.register(profileRoutes(context));
    },
    { prefix: '/api/v1' },
  );
  if (classifier) {
    await app.register(perspectiveRoutes({ store, classifier, keys: apiKeys }));
  }

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await sql`select 1`.execute(store.db);
    return { ok: true };
  });
  installMetrics(app, { token: config.metricsToken });
  await installStatic(app, { demo: options.demo ?? false });
  if (options.demo) await installDemoPage(app, { sites, publicUrl: config.publicUrl });
  await installAdminPage(app);
  await installAccountPages(app, context);
  installProfilePage(app, context);
  // Server-rendered threads' own pages: /stories/{storyId} (no script) and the AMP page.
  await app.register(rendered.pages);
  // One-click unsubscribe from notification mail (at the root: the address a mail carries).
  await app.register(unsubscribeRoutes(context));

  const worker = startWorker(
    store,
    {
      [STORY_METADATA_JOB]: storyMetadataJob(store),
      ...mailJobs(store, config, app.log),
      ...notificationMailJobs(store, config, app.log),
      ...privacyJobs(context),
      ...siteModelJobs(store, siteModels, { info: (message) => app.log.info(message) }),
      ...alertJobs({
        store,
        config,
        log: { warn: (message) => app.log.warn(message), info: (message) => app.log.info(message) },
      }),
    },
    app.log,
    { autoStart: options.runJobs !== false, concurrency: config.jobConcurrency },
  );
  opened.push(() => worker.stop());
  // Comment changes reach readers' bells and mail, moderators' alerts and publishers' webhooks
  // through the dispatcher, which reads each story's event log after the change has committed.
  const dispatcher = new Dispatcher(
    store,
    [
      // Q&A first: it marks answers, which the readers' notifications then tell the asker of.
      qaConsumer({ store, storyChanged: (storyId) => context.threads.storyChanged(storyId) }),
      notificationConsumer({ bus }),
      webhookConsumer,
      alertConsumer,
    ],
    { warn: (message) => app.log.warn(message) },
    options.dispatcher,
  );
  if (options.runJobs !== false && config.dispatch) dispatcher.start();
  opened.push(() => dispatcher.stop());
  // The hourly retention sweep plans its own next run; a process that runs jobs makes sure this
  // hour's is queued (once across processes: the job id is the hour).
  if (options.runJobs !== false) await scheduleRetention(store);
  // Readers' hourly and daily digests plan their next runs the same way (src/notify/mail.ts).
  if (options.runJobs !== false) await scheduleDigests(store, config);
  // Moderators' digests (every minute) and spike checks (every 5 minutes) plan their next runs.
  if (options.runJobs !== false) await scheduleAlerts(store);
  if (options.runJobs !== false && siteModels.available) {
    await scheduleSiteModelCheck(store, config.siteModels.checkMinutes);
  }

  await app.ready();
  return {
    app,
    classifier: classifierInfo,
    store,
    worker,
    dispatcher,
    webhooks,
    sites,
    live,
    bus,
    siteModels,
    views,
    async close() {
      await views.stop();
      await dispatcher.stop();
      await webhooks.stop();
      await worker.stop();
      await app.close();
      detachBus(store, bus);
      await bus.close();
      if (ownsStore) await store.close();
    },
  };
}
