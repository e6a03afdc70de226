/**
 * "Community guidelines": the publisher's page of rules (the site's brand, on the story), beside
 * the composer and in the suggestion to revise a draft. Nothing when the site has none, or when
 * the address is not https (the brand is the publisher's, but a link is no place for a script).
 */
import { useNotify } from '../shared.js';

export function Guidelines() {
  const { t, host } = useNotify();
  const story = host.store.story;
  const url = story && story.brand && story.brand.guidelinesUrl;
  if (!url || !/^https:\/\//i.test(url)) return null;
  return (
    <p class="guidelines">
      <a href={url} target="_blank" rel="noopener noreferrer">
        {t.guidelines}
      </a>
    </p>
  );
}
