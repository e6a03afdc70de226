/**
 * A story's URL as Parley keys it: absolute http(s), without the fragment or credentials, and
 * short enough to index. The widget's page address and an import's story links are read the same
 * way, so both find the same story.
 */
import { ParleyError } from './errors.ts';

export const MAX_STORY_URL_LENGTH = 2000;

export function normaliseStoryUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ParleyError('INVALID_URL', 'The story URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ParleyError('INVALID_URL', 'The story URL must be http or https.');
  }
  url.hash = '';
  url.username = '';
  url.password = '';
  // Normalising can lengthen a URL (punycode, percent-encoding); keep it indexable.
  if (url.href.length > MAX_STORY_URL_LENGTH) {
    throw new ParleyError(
      'INVALID_URL',
      `The story URL is longer than ${MAX_STORY_URL_LENGTH} characters.`,
    );
  }
  return url;
}
