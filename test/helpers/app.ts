/**
 * A Parley app built in process on a fresh database, with helpers to call its API the way a
 * browser on a publisher's page would (JSON, bearer token, Origin header).
 */
import type { InjectOptions } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { checkDisplayName } from '../../src/domain/display-name.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import type { PhaseDependencies } from '../../src/domain/moderation/phases/index.ts';
import type { Classifier } from '../../src/domain/moderation/phases/classifier.ts';
import type { ModerationSettings } from '../../src/domain/moderation/types.ts';
import { createTestDatabase, type EngineName } from './engines.ts';

export const SITE_ORIGIN = 'https://news.example';

export interface TestApp extends ParleyApp {
  engine: EngineName;
  config: Config;
  site: Site;
  request(options: RequestOptions): Promise<ApiResponse>;
  signup(name?: string): Promise<{ token: string; id: string; email: string }>;
  admin(): Promise<string>;
  story(externalId?: string): Promise<string>;
  post(storyId: string, token: string, body: string, parentId?: string): Promise<ApiResponse>;
}

export interface RequestOptions {
  method: InjectOptions['method'];
  url: string;
  body?: unknown;
  token?: string;
  origin?: string | null;
  headers?: Record<string, string>;
  /** Send this exact payload (string or bytes) instead of JSON-encoding `body`. */
  raw?: string | Buffer;
}

export interface ApiResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
}

let counter = 0;

/** Readers made by signup() share one password; its (slow) Argon2 hash is computed once. */
export const READER_PASSWORD = 'a long enough password';
let readerHash: Promise<string> | undefined;
const readerPasswordHash = () => (readerHash ??= hashPassword(READER_PASSWORD));

export interface TestAppOptions {
  /**
   * The test site's moderation settings. By default the flood guards (repeat posting, posting
   * rate) are off, since most suites post many comments from one account in a second; suites
   * about moderation pass what they test.
   */
  moderation?: Partial<ModerationSettings>;
  /** What the pipeline may call out to (a test classifier, an external service). */
  phases?: PhaseDependencies;
  /** The classifier behind the analysis endpoint (and the pipeline, unless `phases` says). */
  classifier?: Classifier;
  /** Cap connections from 127.0.0.x by address, like a remote client's (see BuildOptions). */
  capLoopback?: boolean;
}

export const RELAXED_MODERATION: Partial<ModerationSettings> = {
  repeatWindowSeconds: 0,
  maxPostsPerMinute: 100_000,
};

export async function createTestApp(
  engine: EngineName,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await createTestDatabase(engine);
  const config: Config = {
    // The shipped classifier is off unless a suite asks for it (PARLEY_CLASSIFIER: '1'): suites
    // about other things should not change when the model is retrained.
    // Suites change users' roles and restrictions in the database directly, so signed-in users
    // are not kept in memory unless a suite asks (PARLEY_SESSION_CACHE_MS).
    ...loadConfig({
      PUBLIC_URL: 'http://parley.test',
      PARLEY_CLASSIFIER: '0',
      PARLEY_SESSION_CACHE_MS: '0',
      ...env,
    }),
    database: database.config,
    scrapeMetadata: env.PARLEY_SCRAPE_METADATA === '1',
  };
  const parley = await buildApp(config, {
    logger: false,
    runJobs: false,
    ...(options.phases && { moderation: options.phases }),
    ...(options.classifier && { classifier: options.classifier }),
    ...(options.capLoopback && { capLoopback: true }),
  });
  const site = await insertSite(parley.store.db, {
    name: 'Test News',
    allowedOrigins: [SITE_ORIGIN],
    editWindowSeconds: config.editWindowSeconds,
    maxDepth: config.maxDepth,
    moderation: options.moderation ?? RELAXED_MODERATION,
  });
  await parley.sites.refresh();

  async function request(options: RequestOptions): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.origin !== null) headers.origin = options.origin ?? SITE_ORIGIN;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | Buffer | undefined = options.raw;
    if (payload === undefined && options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await parley.app.inject({
      method: options.method,
      url: options.url,
      headers,
      ...(payload !== undefined && { payload }),
    });
    let json: unknown = undefined;
    try {
      json = response.body ? JSON.parse(response.body) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, headers: response.headers, text: response.body };
  }

  const app: TestApp = {
    ...parley,
    engine,
    config,
    site,
    request,
    // A reader with a confirmed address, signed in (the sign-up route itself only mails a link;
    // test/server/accounts.test.ts goes through it).
    async signup(name = 'Reader') {
      const email = `reader${++counter}.${Date.now()}@example.com`;
      const user = await insertUser(parley.store.db, {
        email,
        displayName: checkDisplayName(name),
        passwordHash: await readerPasswordHash(),
        role: 'commenter',
      });
      if (!user) throw new Error(`signup failed: ${email} is taken`);
      const { token } = await issueSession(parley.store, user.id, { method: 'password' });
      return { token, id: user.id, email };
    },
    async admin() {
      const email = `admin${++counter}@example.com`;
      await insertUser(parley.store.db, {
        email,
        displayName: 'Admin',
        passwordHash: await hashPassword('admin password 1'),
        role: 'admin',
      });
      const response = await request({
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { email, password: 'admin password 1' },
      });
      return response.json.token as string;
    },
    async story(externalId = `story-${++counter}`) {
      const response = await request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        body: { url: `${SITE_ORIGIN}/news/${externalId}`, storyId: externalId },
      });
      if (response.status !== 200) throw new Error(`resolve failed: ${response.text}`);
      return response.json.story.id as string;
    },
    post(storyId, token, body, parentId) {
      return request({
        method: 'POST',
        url: `/api/v1/stories/${storyId}/comments`,
        token,
        body: parentId ? { body, parentId } : { body },
      });
    },
    async close() {
      await parley.close();
      await database.drop();
    },
  };
  return app;
}
