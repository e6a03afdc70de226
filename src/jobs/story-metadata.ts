/**
 * Background job: fetch a story's article page (time-limited, size-capped, only from the site's
 * allowed origins) and store its title, author, description, image and publication time.
 * A page that cannot be fetched leaves the story as it is: usable, just without those details.
 */
import { parsePageMetadata } from '../domain/metadata.ts';
import type { Store } from '../store/db.ts';
import { getSite } from '../store/sites.ts';
import { getStory, markMetadataAttempted, setStoryMetadata } from '../store/stories.ts';
import type { JobHandler } from './worker.ts';

export const STORY_METADATA_JOB = 'story.metadata';

export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
}

const DEFAULT_LIMITS: FetchLimits = { timeoutMs: 5000, maxBytes: 512 * 1024, maxRedirects: 3 };

/** Reads at most `maxBytes` of the body, stopping early once </head> has arrived. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value.subarray(0, maxBytes - bytes);
    bytes += chunk.byteLength;
    text += decoder.decode(chunk, { stream: true });
    if (bytes >= maxBytes || /<\/head>/i.test(text)) {
      await reader.cancel();
      break;
    }
  }
  return text;
}

export async function fetchPage(
  url: string,
  allowedOrigins: string[],
  limits: FetchLimits = DEFAULT_LIMITS,
): Promise<string> {
  let current = url;
  const signal = AbortSignal.timeout(limits.timeoutMs);
  for (let hop = 0; hop <= limits.maxRedirects; hop++) {
    if (!allowedOrigins.includes(new URL(current).origin)) {
      throw new Error(`refusing to fetch ${current}: not on an allowed origin`);
    }
    const response = await fetch(current, {
      redirect: 'manual',
      signal,
      headers: { accept: 'text/html', 'user-agent': 'Parley metadata reader' },
    });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`fetching ${current} answered ${response.status}`);
    }
    return readCapped(response, limits.maxBytes);
  }
  throw new Error(`too many redirects from ${url}`);
}

export function storyMetadataJob(store: Store, limits: FetchLimits = DEFAULT_LIMITS): JobHandler {
  return async (payload, job) => {
    const { storyId } = payload as { storyId: string };
    const story = await getStory(store.db, storyId);
    if (!story) return;
    const site = await getSite(store.db, story.siteId);
    if (!site) return;
    try {
      const html = await fetchPage(story.url, site.allowedOrigins, limits);
      const meta = parsePageMetadata(html, story.url);
      await setStoryMetadata(store.db, story.id, meta);
    } catch (error) {
      if (job.attempts >= job.maxAttempts) await markMetadataAttempted(store.db, story.id);
      throw error;
    }
  };
}
