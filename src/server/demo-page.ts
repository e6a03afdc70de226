/**
 * The demo newsroom's article (`/` under `parley start --demo`), served as a publisher's template
 * would serve it (docs/server-rendering.md, "A fetch in a Node template"): the page's comment
 * container is filled with the server-rendered thread, asked of Parley's own route, so the
 * comments are on the page before any script runs and the widget takes them over. Without a
 * fragment (the site's rendering switched off, no demo site), the container stays empty and the
 * widget loads the thread itself, as on any page.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SiteDirectory } from '../services/site-directory.ts';
import { ROOT } from './static.ts';

/** The demo article's story, as its container names it (web/demo/index.html). */
const DEMO_STORY = 'beijing-unity-talks';
const CONTAINER = `<div id="parley-comments" data-story-id="${DEMO_STORY}"></div>`;

export async function installDemoPage(
  app: FastifyInstance,
  options: { sites: SiteDirectory; publicUrl: string },
): Promise<void> {
  const template = await readFile(path.join(ROOT, 'web/demo/index.html'), 'utf8');
  if (!template.includes(CONTAINER)) throw new Error(`web/demo/index.html lost ${CONTAINER}`);
  const origin = new URL(options.publicUrl).origin;

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const [site] = await options.sites.sitesFor(origin);
    let page = template;
    if (site) {
      const fragment = await app.inject({
        method: 'GET',
        url: `/api/v1/sites/${encodeURIComponent(site.id)}/rendered?storyIdentifier=${DEMO_STORY}`,
      });
      if (fragment.statusCode === 200) {
        const filled = CONTAINER.replace('></div>', `>${fragment.body}</div>`);
        page = template.replace(CONTAINER, () => filled);
      }
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  });
}
