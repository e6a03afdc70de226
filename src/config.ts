/**
 * Runtime configuration, read from environment variables (the names operators expect).
 * Defaults work on a laptop: SQLite in ./data/parley.db, port 8080.
 */
import path from 'node:path';

export type DatabaseConfig =
  { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  database: DatabaseConfig;
  logLevel: string;
  /** `PARLEY_LOG_FORMAT`: JSON lines or a line per request in words; unset, the command decides. */
  logFormat: 'json' | 'pretty' | undefined;
  /** Seconds after posting during which an author may edit a comment (site default). */
  editWindowSeconds: number;
  /** Deepest nesting shown; deeper replies are flattened at this depth. */
  maxDepth: number;
  maxCommentLength: number;
  /** Writes per user (or per IP when anonymous) per minute. */
  writeRateLimit: number;
  /** Sign-up and log-in attempts per IP per minute. */
  authRateLimit: number;
  /** Reads per IP per minute (generous: many readers can share one address). */
  readRateLimit: number;
  /** Fetch the article page to read its title, author, image (off in tests that need no network). */
  scrapeMetadata: boolean;
  /**
   * Whether this process hands comment changes to notifications, alerts and webhooks (the
   * dispatcher; on by default wherever jobs run). Any number of processes may dispatch.
   */
  dispatch: boolean;
  /** Background jobs a process runs at once (mail, webhooks' neighbours, digests…). */
  jobConcurrency: number;
  /** Score comments with the shipped classifier (models/), in the pipeline and for /v1alpha1. */
  classifier: boolean;
  /** How long a signed-in user is served from memory (changes through another process show after it). */
  sessionCacheMs: number;
  /**
   * Which proxies' X-Forwarded-For to believe: false (none), a hop count, or a list of proxy
   * addresses and CIDR ranges. Never "all": a stranger could then choose their own address and
   * slip every per-address limit.
   */
  trustProxy: false | number | string[];
  /** How long thread pages are served from memory at most (0 turns the cache off). */
  threadCacheTtlMs: number;
  /** Memory budget of the thread page cache, in bytes. */
  threadCacheMaxBytes: number;
  /** Redis for the live bus across processes (`REDIS_URL`); null: one process, in memory. */
  redisUrl: string | null;
  /** Open live event streams per process (`PARLEY_MAX_SSE`). */
  maxSse: number;
  /** Open live event streams per client address (`PARLEY_MAX_SSE_PER_IP`). */
  maxSsePerIp: number;
  /** Live stream connections per client address per minute. */
  sseConnectRateLimit: number;
  /** How long live events are kept for replay after a reconnect, in seconds. */
  liveRetentionSeconds: number;
  /** A story without live events for this long stops holding streams (0: never). */
  liveQuietMinutes: number;
  /** SMTP server for account mail (`SMTP_URL`, e.g. smtps://user:pass@host:465); null: mail is
   * kept in the outbox for admins to read in the dashboard. Never logged. */
  smtpUrl: string | null;
  /** The From address of account mail (`MAIL_FROM`). */
  mailFrom: string;
  /** The hour (UTC, 0–23) readers' daily notification digests go out (`PARLEY_DIGEST_HOUR`). */
  digestHour: number;
  /** Hours between a reader asking to delete their account and its erasure (cancellable). */
  deletionGraceHours: number;
  /** Days a comment's or session's client address and user agent are kept (`PARLEY_IP_RETENTION_DAYS`). */
  ipRetentionDays: number;
  /**
   * The bearer token `/metrics` asks for (`PARLEY_METRICS_TOKEN`); null: anyone who reaches it may
   * read it (keep it from the public at the proxy then). Never logged.
   */
  metricsToken: string | null;
  /** How long a client may take to send a request's headers, in ms (`PARLEY_HEADERS_TIMEOUT_MS`). */
  headersTimeoutMs: number;
  /** How long it may take to send a whole request, body included, in ms (0: no limit). */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests, in ms. */
  keepAliveTimeoutMs: number;
  /** Requests over one connection before it is closed (0: no limit). */
  maxRequestsPerSocket: number;
  /** A connection that sends and receives nothing for this long is closed, in ms (0: never). */
  idleTimeoutMs: number;
  /** Connections one client address may hold open at once, its live streams apart (0: no cap). */
  maxConnectionsPerIp: number;
  /** Sites' own layers over the classifier, learned from their moderators (docs/site-models.md). */
  siteModels: SiteModelConfig;
  /** The largest file an admin may upload to import from the dashboard, in bytes. */
  importMaxBytes: number;
  /** Publishers' webhooks (docs/webhooks.md). */
  webhooks: WebhookConfig;
}

/** How webhook deliveries are sent. */
export interface WebhookConfig {
  /**
   * Also deliver to loopback and private addresses (`PARLEY_WEBHOOK_ALLOW_PRIVATE=1`), for
   * publishers whose receivers are on their own network; off, only public addresses are reached.
   */
  allowPrivate: boolean;
  /** The time limit of one delivery attempt, in ms (`PARLEY_WEBHOOK_TIMEOUT_MS`). */
  timeoutMs: number;
  /** Hours an endpoint may fail every attempt before it is disabled (`PARLEY_WEBHOOK_DISABLE_AFTER_HOURS`). */
  disableAfterHours: number;
  /** Deliveries each process sends at once (`PARLEY_WEBHOOK_CONCURRENCY`). */
  concurrency: number;
  /** Days finished deliveries stay in the delivery log (`PARLEY_WEBHOOK_LOG_DAYS`). */
  logDays: number;
}

/** When a site's layer is trained, and how it must measure before it is used. */
export interface SiteModelConfig {
  /** Learn and use sites' layers at all (`PARLEY_SITE_MODELS`; a site may also turn it off). */
  enabled: boolean;
  /** Fewest decided comments before a first training (`PARLEY_SITE_MODEL_MIN_DECISIONS`). */
  minDecisions: number;
  /** Fewest approvals, and fewest rejections, among them (`PARLEY_SITE_MODEL_MIN_EACH`). */
  minEach: number;
  /** New decisions since the last training that call for another (`PARLEY_SITE_MODEL_RETRAIN_AFTER`). */
  retrainAfter: number;
  /** How much higher the adapted rule's held-out macro-F1 must be (`PARLEY_SITE_MODEL_MARGIN`). */
  margin: number;
  /** Most recent decided comments a training reads at most (`PARLEY_SITE_MODEL_MAX_DECISIONS`). */
  maxDecisions: number;
  /** Share of the decisions, the most recent, held out to measure on (fixed: 0.2). */
  heldOutFraction: number;
  /** Minutes between the checks for sites due a training (`PARLEY_SITE_MODEL_CHECK_MINUTES`). */
  checkMinutes: number;
}

type Env = Record<string, string | undefined>;

export function databaseFromUrl(value: string | undefined): DatabaseConfig {
  if (!value) return { engine: 'sqlite', file: path.resolve('data/parley.db') };
  if (/^postgres(ql)?:\/\//i.test(value)) return { engine: 'postgres', url: value };
  const file = value.replace(/^sqlite:(\/\/)?/i, '');
  return { engine: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
}

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  }
  return value;
}

function hourOfDay(env: Env, name: string, fallback: number): number {
  const hour = integer(env, name, fallback);
  if (hour > 23) throw new Error(`${name} must be an hour from 0 to 23, got "${env[name]}"`);
  return hour;
}

function logFormat(raw: string | undefined): 'json' | 'pretty' | undefined {
  const value = raw?.trim().toLowerCase() ?? '';
  if (value === '') return undefined;
  if (value === 'json' || value === 'pretty') return value;
  throw new Error(`PARLEY_LOG_FORMAT must be json or pretty, got "${raw}"`);
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return /^(1|true|yes|on)$/i.test(raw);
}

/** A token set by the operator; too short to resist guessing is refused rather than used. */
function secret(env: Env, name: string, minLength: number): string | null {
  const value = env[name]?.trim() ?? '';
  if (value === '') return null;
  if (value.length < minLength) {
    throw new Error(`${name} must be at least ${minLength} characters long (a random string)`);
  }
  return value;
}

function trustedProxies(raw: string | undefined): false | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(0|false|no|off)$/i.test(value)) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (/^(true|yes|on)$/i.test(value)) {
    throw new Error(
      'PARLEY_TRUST_PROXY must say which proxies to trust: a hop count (1 behind one nginx) ' +
        'or a comma-separated list of proxy addresses or CIDR ranges, not "true".',
    );
  }
  const list = value.split(',').map((part) => part.trim());
  for (const part of list) {
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(part)) {
      throw new Error(`PARLEY_TRUST_PROXY: "${part}" is not an address or CIDR range`);
    }
  }
  return list;
}

export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8080);
  const host = env.HOST || '0.0.0.0';
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    publicUrl,
    database: databaseFromUrl(env.DATABASE_URL),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat: logFormat(env.PARLEY_LOG_FORMAT),
    editWindowSeconds: integer(env, 'PARLEY_EDIT_WINDOW_SECONDS', 300),
    maxDepth: integer(env, 'PARLEY_MAX_DEPTH', 3, 1),
    maxCommentLength: integer(env, 'PARLEY_MAX_COMMENT_LENGTH', 5000, 1),
    writeRateLimit: integer(env, 'PARLEY_WRITE_RATE_LIMIT', 30, 1),
    authRateLimit: integer(env, 'PARLEY_AUTH_RATE_LIMIT', 20, 1),
    readRateLimit: integer(env, 'PARLEY_READ_RATE_LIMIT', 1200, 1),
    scrapeMetadata: flag(env, 'PARLEY_SCRAPE_METADATA', true),
    dispatch: flag(env, 'PARLEY_DISPATCH', true),
    jobConcurrency: integer(env, 'PARLEY_JOB_CONCURRENCY', 4, 1),
    classifier: flag(env, 'PARLEY_CLASSIFIER', true),
    sessionCacheMs: integer(env, 'PARLEY_SESSION_CACHE_MS', 2000),
    trustProxy: trustedProxies(env.PARLEY_TRUST_PROXY),
    threadCacheTtlMs: integer(env, 'PARLEY_THREAD_CACHE_TTL_MS', 2000),
    threadCacheMaxBytes: integer(env, 'PARLEY_THREAD_CACHE_MB', 64, 1) * 1024 * 1024,
    redisUrl: env.REDIS_URL?.trim() || null,
    maxSse: integer(env, 'PARLEY_MAX_SSE', 10_000, 1),
    maxSsePerIp: integer(env, 'PARLEY_MAX_SSE_PER_IP', 20, 1),
    sseConnectRateLimit: integer(env, 'PARLEY_SSE_CONNECT_RATE_LIMIT', 120, 1),
    liveRetentionSeconds: integer(env, 'PARLEY_LIVE_RETENTION_SECONDS', 3600, 60),
    liveQuietMinutes: integer(env, 'PARLEY_LIVE_QUIET_MINUTES', 120),
    smtpUrl: env.SMTP_URL?.trim() || null,
    mailFrom: env.MAIL_FROM?.trim() || `Parley <no-reply@${new URL(publicUrl).hostname}>`,
    digestHour: hourOfDay(env, 'PARLEY_DIGEST_HOUR', 7),
    deletionGraceHours: integer(env, 'PARLEY_DELETION_GRACE_HOURS', 24),
    ipRetentionDays: integer(env, 'PARLEY_IP_RETENTION_DAYS', 30, 1),
    metricsToken: secret(env, 'PARLEY_METRICS_TOKEN', 16),
    ...connectionLimits(env),
    siteModels: siteModelConfig(env),
    importMaxBytes: integer(env, 'PARLEY_IMPORT_MAX_BYTES', 2 * 1024 ** 3, 1),
    webhooks: {
      allowPrivate: flag(env, 'PARLEY_WEBHOOK_ALLOW_PRIVATE', false),
      timeoutMs: integer(env, 'PARLEY_WEBHOOK_TIMEOUT_MS', 10_000, 100),
      disableAfterHours: integer(env, 'PARLEY_WEBHOOK_DISABLE_AFTER_HOURS', 72, 1),
      concurrency: integer(env, 'PARLEY_WEBHOOK_CONCURRENCY', 4, 1),
      logDays: integer(env, 'PARLEY_WEBHOOK_LOG_DAYS', 30, 1),
    },
  };
}

function siteModelConfig(env: Env): SiteModelConfig {
  const raw = env.PARLEY_SITE_MODEL_MARGIN;
  const margin = raw === undefined || raw === '' ? 0.02 : Number(raw);
  if (!Number.isFinite(margin) || margin < 0 || margin >= 1) {
    throw new Error(
      `PARLEY_SITE_MODEL_MARGIN must be a number from 0 to 1 (exclusive), got "${raw}"`,
    );
  }
  return {
    enabled: flag(env, 'PARLEY_SITE_MODELS', true),
    minDecisions: integer(env, 'PARLEY_SITE_MODEL_MIN_DECISIONS', 200, 10),
    minEach: integer(env, 'PARLEY_SITE_MODEL_MIN_EACH', 30, 5),
    retrainAfter: integer(env, 'PARLEY_SITE_MODEL_RETRAIN_AFTER', 100, 1),
    margin,
    maxDecisions: integer(env, 'PARLEY_SITE_MODEL_MAX_DECISIONS', 20_000, 50),
    heldOutFraction: 0.2,
    checkMinutes: integer(env, 'PARLEY_SITE_MODEL_CHECK_MINUTES', 60, 1),
  };
}

/**
 * How long a client may take over a request and how much it may hold open: slow senders (a
 * request's headers or body a byte at a time) and greedy ones (many idle connections) would
 * otherwise keep the server's sockets for as long as they like.
 */
function connectionLimits(env: Env) {
  const headersTimeoutMs = integer(env, 'PARLEY_HEADERS_TIMEOUT_MS', 10_000, 1);
  const requestTimeoutMs = integer(env, 'PARLEY_REQUEST_TIMEOUT_MS', 30_000);
  if (requestTimeoutMs > 0 && requestTimeoutMs < headersTimeoutMs) {
    throw new Error(
      `PARLEY_REQUEST_TIMEOUT_MS (${requestTimeoutMs}) covers the headers too: it must be at ` +
        `least PARLEY_HEADERS_TIMEOUT_MS (${headersTimeoutMs}), or 0`,
    );
  }
  // Live streams write a heartbeat every 25 s: a shorter idle timeout would cut them all.
  const idleTimeoutMs = integer(env, 'PARLEY_IDLE_TIMEOUT_MS', 60_000);
  if (idleTimeoutMs > 0 && idleTimeoutMs < 30_000) {
    throw new Error(`PARLEY_IDLE_TIMEOUT_MS must be 0 or at least 30000 (live streams' heartbeat)`);
  }
  return {
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: integer(env, 'PARLEY_KEEP_ALIVE_TIMEOUT_MS', 5000, 1),
    maxRequestsPerSocket: integer(env, 'PARLEY_MAX_REQUESTS_PER_SOCKET', 1000),
    idleTimeoutMs,
    maxConnectionsPerIp: integer(env, 'PARLEY_MAX_CONNECTIONS_PER_IP', 100),
  };
}
