/**
 * Parley's own pages for identity, on Parley's origin (docs/identity.md, "Sessions in an embedded
 * widget" and "Your account"): the sign-in popup (`/auth/popup`), the pages mailed links open
 * (`/account/verify`, `/account/reset`, `/account/email`) and "your account" (`/account`). The
 * page that ends an OIDC sign-in in the popup is the callback's own (routes/federated.ts).
 *
 * Each page is a small HTML shell: the language and direction are decided here, and what the page
 * needs to know (which page, the site, the publisher's origin, the methods offered) travels in
 * data attributes, escaped; the browser bundle from web/account (one file per language, named by
 * a hash of its contents, listed in build/web/account/manifest.json) does the rest. The pages keep
 * the strict Content-Security-Policy of Parley's other pages (no inline script), are never cached
 * (they carry tokens and sessions) and are served with `Cross-Origin-Opener-Policy: unsafe-none`
 * so that a popup keeps its `opener`, the only way back to the widget that opened it.
 *
 * The publisher's origin a page would post to is checked here, before any script is sent: a page
 * asked for with an origin that is not one of the site's allowed origins answers 400 with a page
 * that carries no script at all.
 *
 * A page that knows its site (`?siteId=`: the popup and the account page from the widget, the
 * mailed links of an action done for a site) carries the publisher's brand, written here from the
 * site's stored branding: its logo (https only, as branding.ts keeps it) or its name above the
 * page, and its accent colour for the main buttons when white text on it stays readable (contrast
 * 4.5:1 or more), handed to the script in a data attribute since the policy allows no inline
 * style. The article a reader signed up from (`?article=`) is kept only when it is on one of the
 * site's origins (src/domain/article-link.ts): the verify page links back to it, nothing else.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { articleLink } from '../domain/article-link.ts';
import { offeredMethods } from '../domain/auth-settings.ts';
import { readableAccent } from '../domain/contrast.ts';
import { ParleyError } from '../domain/errors.ts';
import { escapeHtml } from '../domain/html.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import { originOf } from '../domain/origin.ts';
import { INTERFACE_LANGUAGES, type InterfaceLanguage } from '../domain/vocabulary.ts';
import type { Site } from '../store/rows.ts';
import { HashedFiles } from './assets.ts';
import { brandHtml, pageDocument } from './page-html.ts';
import { limitPerIp, type RouteContext } from './context.ts';
import { ROOT } from './static.ts';

export const ACCOUNT_DIR = path.join(ROOT, 'build/web/account');
export const ACCOUNT_MANIFEST = path.join(ACCOUNT_DIR, 'manifest.json');

type PageLanguage = InterfaceLanguage;

/** What scripts/build-web.ts writes beside the files: which file serves which language. */
export interface AccountManifest {
  readonly css: string;
  readonly scripts: Readonly<Record<PageLanguage, string>>;
}

type PageKind = 'popup' | 'account' | 'verify' | 'reset' | 'email';

/** The headers every one of these pages carries, on top of the global security headers. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // Opened by a publisher's page with window.open: keep the opener (see security-headers.ts).
  'cross-origin-opener-policy': 'unsafe-none',
  // Mailed links carry their token in the query string: never send it on as a referrer.
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
} as const;

/** The few words the server writes itself: refusals, shown when no script is sent. */
const REFUSALS: Record<PageLanguage, { origin: string; site: string; noScript: string }> = {
  en: {
    origin:
      'This page was opened from an address this site does not allow, so it does nothing. Go back to the comments and try again.',
    site: 'This page was opened for a site that does not exist.',
    noScript: 'This page needs JavaScript.',
  },
  ar: {
    origin:
      'فُتحت هذه الصفحة من عنوان لا يسمح به هذا الموقع، لذا لن تفعل شيئًا. عُد إلى التعليقات وحاول مجددًا.',
    site: 'فُتحت هذه الصفحة لموقع غير موجود.',
    noScript: 'تحتاج هذه الصفحة إلى JavaScript.',
  },
  he: {
    origin: 'הדף נפתח מכתובת שהאתר אינו מתיר, ולכן אינו עושה דבר. חזרו לתגובות ונסו שוב.',
    site: 'הדף נפתח עבור אתר שאינו קיים.',
    noScript: 'דף זה דורש JavaScript.',
  },
  zh: {
    origin: '此页面是从本网站不允许的地址打开的，因此不会执行任何操作。请返回评论区重试。',
    site: '此页面对应的网站不存在。',
    noScript: '此页面需要 JavaScript。',
  },
  fr: {
    origin:
      'Cette page a été ouverte depuis une adresse que ce site n’autorise pas : elle ne fait donc rien. Revenez aux commentaires et réessayez.',
    site: 'Cette page a été ouverte pour un site qui n’existe pas.',
    noScript: 'Cette page a besoin de JavaScript.',
  },
  es: {
    origin:
      'Esta página se abrió desde una dirección que este sitio no permite, así que no hace nada. Vuelve a los comentarios e inténtalo de nuevo.',
    site: 'Esta página se abrió para un sitio que no existe.',
    noScript: 'Esta página necesita JavaScript.',
  },
};

const isLanguage = (value: string): value is PageLanguage =>
  (INTERFACE_LANGUAGES as readonly string[]).includes(value);

/** `?lang=` when it names an interface language, else the browser's first one we have, else English. */
export function pickPageLanguage(
  requested: string | undefined,
  acceptLanguage: string | undefined,
): PageLanguage {
  const primary = (tag: string) => tag.trim().toLowerCase().split(/[-_;]/)[0] ?? '';
  if (requested && isLanguage(primary(requested))) return primary(requested) as PageLanguage;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const q = /;\s*q=([0-9.]+)/.exec(part);
      return { lang: primary(part), q: q ? Number(q[1]) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked.find((entry) => isLanguage(entry.lang))?.lang as PageLanguage) ?? 'en';
}

/** The built files, read again only when the manifest changes on disk (a new build). */
let manifest: { value: AccountManifest; mtimeMs: number } | undefined;

async function readManifest(): Promise<AccountManifest | undefined> {
  let stat;
  try {
    stat = await fs.stat(ACCOUNT_MANIFEST);
  } catch {
    return undefined;
  }
  if (!manifest || manifest.mtimeMs !== stat.mtimeMs) {
    const value = JSON.parse(await fs.readFile(ACCOUNT_MANIFEST, 'utf8')) as AccountManifest;
    manifest = { value, mtimeMs: stat.mtimeMs };
  }
  return manifest.value;
}

/** What the script needs of the brand: the name (for the window's title) and a readable accent. */
function brandData(site: Site | undefined): Record<string, string> {
  if (!site) return {};
  const accent = readableAccent(site.branding.accentColor);
  return { 'brand-name': site.name, ...(accent && { accent }) };
}

/** A page the bundle brings to life; `data` becomes data-* attributes of its root element. */
async function sendPage(
  reply: FastifyReply,
  lang: PageLanguage,
  page: PageKind,
  data: Record<string, string> = {},
  site?: Site,
): Promise<FastifyReply> {
  const files = await readManifest();
  if (!files) {
    return reply
      .status(503)
      .headers(PAGE_HEADERS)
      .send(
        pageDocument(
          lang,
          'Parley',
          '',
          '<p>Parley’s account pages are not built yet: run `npm run build:web`.</p>',
        ),
      );
  }
  const attributes = Object.entries({ page, ...data, ...brandData(site) })
    .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
    .join('');
  const head =
    `<link rel="stylesheet" href="/account/assets/${escapeHtml(files.css)}">\n` +
    `<script src="/account/assets/${escapeHtml(files.scripts[lang])}" defer></script>`;
  const body = `${brandHtml(site)}<main id="parley-account"${attributes}><noscript><p>${escapeHtml(REFUSALS[lang].noScript)}</p></noscript></main>`;
  return reply
    .status(200)
    .headers(PAGE_HEADERS)
    .send(pageDocument(lang, 'Parley', head, body));
}

/** The 400 page for a refused origin or site: words only, no script that could post anything. */
async function sendRefusal(
  reply: FastifyReply,
  lang: PageLanguage,
  reason: 'origin' | 'site',
): Promise<FastifyReply> {
  const files = await readManifest();
  const head = files
    ? `<link rel="stylesheet" href="/account/assets/${escapeHtml(files.css)}">`
    : '';
  const body = `<main class="page refused"><h1>Parley</h1><p role="alert">${escapeHtml(REFUSALS[lang][reason])}</p></main>`;
  return reply
    .status(400)
    .headers(PAGE_HEADERS)
    .send(pageDocument(lang, 'Parley', head, body));
}

const ID = new RegExp(ID_PATTERN);

/**
 * The site a page is for and the publisher's origin it may post to: the origin must be written
 * exactly as a browser writes `location.origin` (http or https, no path) and be one of the site's
 * allowed origins, or Parley's own (its demo page; the OIDC start accepts it too). Without a site
 * id, any site's allowed origin will do (the widget always names its site; this is for links
 * written by hand).
 */
async function checkOrigin(
  ctx: RouteContext,
  siteId: string | undefined,
  origin: string | undefined,
): Promise<{ site: Site | undefined; origin: string } | 'origin' | 'site'> {
  if (!origin || originOf(origin) !== origin) return 'origin';
  if (siteId === undefined) {
    return (await ctx.sites.isAllowed(origin)) ? { site: undefined, origin } : 'origin';
  }
  const site = ID.test(siteId) ? await ctx.sites.get(siteId) : undefined;
  if (!site) return 'site';
  const allowed = site.allowedOrigins.includes(origin) || ctx.sites.isOwn(origin);
  return allowed ? { site, origin } : 'origin';
}

type PageQuery = { siteId?: string; origin?: string; article?: string; lang?: string };

const queryString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

function readQuery(request: FastifyRequest): PageQuery & { lang: PageLanguage } {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const siteId = queryString(query.siteId);
  const origin = queryString(query.origin);
  const article = queryString(query.article);
  return {
    ...(siteId !== undefined && { siteId }),
    ...(origin !== undefined && { origin }),
    ...(article !== undefined && { article }),
    lang: pickPageLanguage(queryString(query.lang), request.headers['accept-language']),
  };
}

/** The article to link back to, when it is one of the site's pages (or Parley's own demo's). */
function articleData(
  ctx: RouteContext,
  site: Site,
  article: string | undefined,
): Record<string, string> {
  const own = originOf(ctx.config.publicUrl);
  const link = articleLink(article, own ? [...site.allowedOrigins, own] : site.allowedOrigins);
  return link ? { article: link } : {};
}

/** The site a mailed link names, if it exists; a link without one (or a stale one) still works. */
async function linkedSite(
  ctx: RouteContext,
  siteId: string | undefined,
): Promise<Site | undefined> {
  return siteId !== undefined && ID.test(siteId) ? ctx.sites.get(siteId) : undefined;
}

export async function installAccountPages(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  // Anyone may open these pages: limited per client address like the public reads.
  const hidden = {
    schema: { hide: true },
    config: { rateLimit: limitPerIp(ctx.config.readRateLimit) },
  };

  app.get('/auth/popup', hidden, async (request, reply) => {
    const { siteId, origin, article, lang } = readQuery(request);
    if (siteId === undefined) return sendRefusal(reply, lang, 'site');
    const checked = await checkOrigin(ctx, siteId, origin);
    if (typeof checked === 'string') return sendRefusal(reply, lang, checked);
    const site = checked.site as Site;
    const methods = offeredMethods(site.auth);
    return sendPage(
      reply,
      lang,
      'popup',
      {
        'site-id': siteId,
        origin: checked.origin,
        methods: JSON.stringify(methods),
        ...articleData(ctx, site, article),
      },
      site,
    );
  });

  // Opened by the widget (with the publisher's origin to talk to) or from a mailed link (alone).
  app.get('/account', hidden, async (request, reply) => {
    const { siteId, origin, lang } = readQuery(request);
    if (origin === undefined && siteId === undefined) return sendPage(reply, lang, 'account');
    const checked = await checkOrigin(ctx, siteId, origin);
    if (typeof checked === 'string') return sendRefusal(reply, lang, checked);
    return sendPage(
      reply,
      lang,
      'account',
      { origin: checked.origin, ...(siteId !== undefined && { 'site-id': siteId }) },
      checked.site,
    );
  });

  // The mailed links: the page reads the token from its own address and sends it to the API. A
  // link mailed for a site names it (the brand) and, for a sign-up, the article to go back to.
  for (const page of ['verify', 'reset', 'email'] as const) {
    app.get(`/account/${page}`, hidden, async (request, reply) => {
      const { siteId, article, lang } = readQuery(request);
      const site = await linkedSite(ctx, siteId);
      if (!site) return sendPage(reply, lang, page);
      const data: Record<string, string> = {
        'site-id': site.id,
        ...(page === 'verify' && articleData(ctx, site, article)),
      };
      return sendPage(reply, lang, page, data, site);
    });
  }

  // Named by their contents' hash: cached for good, compressed as the browser accepts
  // (src/server/assets.ts). Only files the manifest lists are served.
  const assets = new HashedFiles(ACCOUNT_DIR);
  app.get<{ Params: { file: string } }>('/account/assets/:file', hidden, async (request, reply) => {
    const files = await readManifest();
    const { file } = request.params;
    const known = files && [files.css, ...Object.values(files.scripts)].includes(file);
    const sent = known ? await assets.send(request, reply, file) : false;
    if (!sent) throw new ParleyError('NOT_FOUND', 'No such file.');
    return reply;
  });
}
