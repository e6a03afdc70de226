/**
 * Finding the story a widget is embedded under, creating it the first time it is seen on one of a
 * site's allowed origins, and asking for its metadata to be read in the background.
 */
import { ParleyError } from '../domain/errors.ts';
import { normaliseStoryUrl } from '../domain/story-url.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { STORY_METADATA_JOB } from '../jobs/story-metadata.ts';
import type { Store } from '../store/db.ts';
import type { Site, Story } from '../store/rows.ts';
import { findOrInsertStory, findStory } from '../store/stories.ts';
import { isQaSection } from '../store/qa.ts';
import { announceStory } from '../webhooks/events.ts';
import type { SiteDirectory } from './site-directory.ts';

async function chooseSite(
  sites: SiteDirectory,
  pageOrigin: string,
  siteId: string | undefined,
): Promise<Site> {
  if (siteId) {
    const site = await sites.get(siteId);
    if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    if (!site.allowedOrigins.includes(pageOrigin)) {
      throw new ParleyError(
        'ORIGIN_NOT_ALLOWED',
        `${pageOrigin} is not an allowed origin of this site.`,
      );
    }
    return site;
  }
  const [only, ...others] = await sites.sitesFor(pageOrigin);
  if (!only) {
    throw new ParleyError('ORIGIN_NOT_ALLOWED', `No site allows comments on ${pageOrigin}.`);
  }
  if (others.length > 0) {
    throw new ParleyError('VALIDATION_FAILED', 'Several sites use this origin; pass siteId.');
  }
  return only;
}

export async function resolveStory(
  store: Store,
  sites: SiteDirectory,
  input: {
    requestOrigin: string | undefined;
    url: string;
    storyId?: string;
    siteId?: string;
    title?: string;
    /** The page's section: a new story in one of the site's Q&A sections starts as a Q&A. */
    section?: string;
    fetchMetadata: boolean;
  },
): Promise<{ story: Story; site: Site }> {
  const url = normaliseStoryUrl(input.url);
  if (
    input.requestOrigin &&
    input.requestOrigin !== url.origin &&
    !sites.isOwn(input.requestOrigin)
  ) {
    throw new ParleyError(
      'ORIGIN_NOT_ALLOWED',
      'The story URL must be on the page that embeds it.',
    );
  }
  const site = await chooseSite(sites, url.origin, input.siteId);
  const key = { externalId: input.storyId ?? null, url: url.href };
  const found = await findStory(store.db, site.id, key);
  // A story really inserted is announced to the site's webhooks in the insert's transaction.
  const { story, created } = found
    ? { story: found, created: false }
    : await store.db.transaction().execute(async (trx) => {
        const section = input.section?.trim().slice(0, 100) || null;
        const qa = section !== null && (await isQaSection(trx, site.id, section));
        const made = await findOrInsertStory(trx, site.id, key, {
          title: input.title ?? null,
          section,
          ...(qa && { mode: 'qa' as const }),
        });
        if (made.created) await announceStory(trx, made.story);
        return made;
      });
  if (created && input.fetchMetadata) {
    await enqueueJob(store.db, STORY_METADATA_JOB, { storyId: story.id }, { maxAttempts: 3 });
  }
  return { story, site };
}
