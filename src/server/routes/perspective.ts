/**
 * `POST /v1alpha1/comments:analyze?key=…`: Perspective API's analysis call, answered in process by
 * Parley's classifier, so that Coral and other Perspective clients switch by changing the base
 * URL. Requests, responses and errors follow Perspective's shapes (see domain/perspective).
 *
 * Keys come from admins (routes/api-keys.ts), in the `key` query parameter or the
 * `X-Goog-Api-Key` header, and each has its own rate limit. Parley never stores or logs the text
 * it is sent, whatever `doNotStore` says: only a per-key request count is kept (flushed every few
 * seconds rather than written per request).
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  buildAnalyzeResponse,
  parseAnalyzeRequest,
  parseSuggestScoreRequest,
  PerspectiveError,
  sentenceSpans,
  type Spans,
} from '../../domain/perspective/analyze.ts';
import type { Classifier } from '../../domain/moderation/phases/classifier.ts';
import { API_KEY_FORMAT, tokenDigest } from '../../credentials/tokens.ts';
import { ApiKeyUsage } from '../../services/api-keys.ts';
import type { Store } from '../../store/db.ts';
import { findLiveApiKey, type ApiKey } from '../../store/api-keys.ts';
import { toParleyError } from '../errors.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The analysis API key presented with the request, when valid. */
    apiKey: ApiKey | null;
  }
}

/** Requests per minute per address while presenting no valid key (slows guessing). */
const KEYLESS_PER_MINUTE = 30;
const KEY_CACHE_MS = 30_000;
const USAGE_FLUSH_MS = 5_000;

/** Live keys by hash, cached briefly so a busy client does not cost a database read per call. */
export class ApiKeyCache {
  private readonly entries = new Map<string, { key: ApiKey | null; at: number }>();

  constructor(private readonly store: Store) {}

  async find(hash: string): Promise<ApiKey | null> {
    const cached = this.entries.get(hash);
    if (cached && Date.now() - cached.at < KEY_CACHE_MS) return cached.key;
    const key = (await findLiveApiKey(this.store.db, hash)) ?? null;
    if (this.entries.size > 10_000) this.entries.clear();
    this.entries.set(hash, { key, at: Date.now() });
    return key;
  }

  /** Forget everything (a key was created or revoked through this process). */
  clear(): void {
    this.entries.clear();
  }
}

function presentedKey(request: FastifyRequest): string | null {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = typeof query?.key === 'string' ? query.key : null;
  const header = request.headers['x-goog-api-key'];
  const fromHeader = typeof header === 'string' ? header : null;
  const key = fromQuery ?? fromHeader;
  return key && key.length <= 200 ? key : null;
}

/** Any failure in this plugin, in Google's error shape. */
function asPerspectiveError(error: unknown): PerspectiveError {
  if (error instanceof PerspectiveError) return error;
  const known = toParleyError(error);
  if (known?.code === 'RATE_LIMITED') {
    return new PerspectiveError(429, 'RESOURCE_EXHAUSTED', known.message);
  }
  if (known && known.status < 500) {
    const message =
      known.code === 'MALFORMED_JSON'
        ? 'Invalid JSON payload received.'
        : known.code === 'BODY_TOO_LARGE'
          ? 'Request payload size exceeds the limit.'
          : known.message;
    return new PerspectiveError(400, 'INVALID_ARGUMENT', message);
  }
  return new PerspectiveError(500, 'INTERNAL', 'Internal error encountered.');
}

export function perspectiveRoutes(deps: {
  store: Store;
  classifier: Classifier;
  keys: ApiKeyCache;
}): FastifyPluginAsync {
  const { store, classifier, keys } = deps;
  return async (app: FastifyInstance) => {
    const usage = new ApiKeyUsage(store);
    const timer = setInterval(() => {
      usage
        .flush()
        .catch((error: Error) => app.log.warn(`api key usage not saved: ${error.message}`));
    }, USAGE_FLUSH_MS);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await usage.flush();
    });

    app.decorateRequest('apiKey', null);
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const answer = asPerspectiveError(error);
      if (answer.httpStatus >= 500) request.log.error({ err: error }, 'analysis failed');
      void reply.status(answer.httpStatus).send(answer.toJSON());
    });

    const rateLimit = {
      // The key (resolved here, once) decides both the bucket and its size.
      keyGenerator: async (request: FastifyRequest) => {
        const presented = presentedKey(request);
        // Only something shaped like a key costs a lookup.
        request.apiKey =
          presented && API_KEY_FORMAT.test(presented)
            ? await keys.find(tokenDigest(presented))
            : null;
        return request.apiKey ? `apikey:${request.apiKey.id}` : `apikey-none:${request.ip}`;
      },
      max: (request: FastifyRequest) => request.apiKey?.ratePerMinute ?? KEYLESS_PER_MINUTE,
      timeWindow: 60_000,
    };
    const querystring = {
      type: 'object',
      properties: { key: { type: 'string', maxLength: 200 } },
    };

    /** The request's valid key, counted; Perspective's errors for a missing or wrong one. */
    function requireKey(request: FastifyRequest): ApiKey {
      if (!request.apiKey) {
        throw presentedKey(request)
          ? new PerspectiveError(
              400,
              'INVALID_ARGUMENT',
              'API key not valid. Please pass a valid API key.',
              [
                {
                  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                  reason: 'API_KEY_INVALID',
                  domain: 'googleapis.com',
                },
              ],
            )
          : new PerspectiveError(
              403,
              'PERMISSION_DENIED',
              'The request is missing a valid API key.',
            );
      }
      return request.apiKey;
    }

    app.post(
      '/v1alpha1/comments::analyze',
      {
        config: { rateLimit },
        schema: {
          tags: ['analysis'],
          summary: 'Perspective-compatible comment analysis',
          description:
            'Takes Perspective API’s request body and answers in its format. Attributes: ' +
            'TOXICITY, SEVERE_TOXICITY, IDENTITY_ATTACK, INSULT, PROFANITY, THREAT, SPAM. ' +
            'Languages: en, ar, he, zh, fr, es, de, pt (`languages` chooses among them; else ' +
            'detected). `spanAnnotations`: the words that drove each attribute. The text is ' +
            'never stored or logged.',
          querystring,
        },
      },
      async (request) => {
        const key = requireKey(request);
        const analyze = parseAnalyzeRequest(request.body);
        const languages = analyze.languages ?? undefined;
        const whole =
          languages && classifier.classifyIn
            ? classifier.classifyIn(analyze.text, languages)
            : await classifier.classify(analyze.text);
        let spans: Spans | null = null;
        if (analyze.spanAnnotations && classifier.explain) {
          spans = { kind: 'words', words: classifier.explain(analyze.text, languages) };
        } else if (analyze.spanAnnotations) {
          spans = {
            kind: 'sentences',
            spans: await Promise.all(
              sentenceSpans(analyze.text).map(async ([begin, end]) => ({
                begin,
                end,
                scores: await classifier.classify(analyze.text.slice(begin, end)),
              })),
            ),
          };
        }
        usage.count(key.id);
        return buildAnalyzeResponse(analyze, whole, spans);
      },
    );

    app.post(
      '/v1alpha1/comments::suggestscore',
      {
        config: { rateLimit },
        schema: {
          tags: ['analysis'],
          summary: 'Perspective-compatible score suggestion (accepted, not kept)',
          description:
            'Perspective clients such as Coral send moderators’ verdicts here. Parley accepts ' +
            'the call so that they keep working, but keeps nothing a stranger sends: a ' +
            'publisher retrains on its own moderators’ decisions (`parley classifier export-labels`).',
          querystring,
        },
      },
      async (request) => {
        const key = requireKey(request);
        parseSuggestScoreRequest(request.body);
        usage.count(key.id);
        const token = (request.body as { clientToken?: unknown }).clientToken;
        return typeof token === 'string' ? { clientToken: token.slice(0, 200) } : {};
      },
    );
  };
}
