/**
 * Links: a comment naming a denied domain is rejected, whether as a link or as bare text
 * ("www.shop.example", which spammers write to dodge link rules); when the site holds links, a
 * comment with a link outside the allowed domains waits for a moderator. Links are read from the
 * rendered HTML, so they are exactly the ones readers could follow.
 */
import type { ModerationInput, PhaseResult } from '../types.ts';

const HREF = /<a href="([^"]*)"/g;
const BARE_DOMAIN = /(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])/gi;

function hostsIn(html: string): string[] {
  const hosts: string[] = [];
  for (const match of html.matchAll(HREF)) {
    try {
      const href = (match[1] ?? '').replace(/&amp;/g, '&');
      hosts.push(new URL(href).hostname.toLowerCase().replace(/\.$/, ''));
    } catch {
      // mailto: and other non-URL links have no host to judge
    }
  }
  return hosts;
}

const within = (host: string, domains: string[]) =>
  domains.some((domain) => host === domain || host.endsWith(`.${domain}`));

export function links({
  body,
  html,
  settings,
}: Pick<ModerationInput, 'body' | 'html' | 'settings'>): PhaseResult | undefined {
  const hosts = hostsIn(html);
  const named = [...body.matchAll(BARE_DOMAIN)].map((m) => (m[1] ?? '').toLowerCase());
  const denied = [...new Set([...hosts, ...named])].filter((host) =>
    within(host, settings.links.denyDomains),
  );
  if (denied.length > 0) {
    return {
      decision: 'rejected',
      reasons: [
        { code: 'LINK_DENIED', message: `Links to ${denied.join(', ')} are not allowed here.` },
      ],
    };
  }
  const unknown = hosts.filter((host) => !within(host, settings.links.allowDomains));
  if (settings.links.holdLinks && unknown.length > 0) {
    return {
      decision: 'pending',
      reasons: [{ code: 'LINKS_HELD', message: `Comment links to ${unknown.join(', ')}.` }],
    };
  }
  return undefined;
}
