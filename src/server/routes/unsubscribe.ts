/**
 * The one-click unsubscribe of notification mail (RFC 8058; src/notify/unsubscribe.ts), at the
 * site root so that the address in a mail is short: `/unsubscribe?user=…&kind=…&token=…`.
 *
 * - `GET` shows a small page (in the reader's language) asking to confirm, with a button. It
 *   never unsubscribes: mail scanners and link previews follow every link they see.
 * - `POST` unsubscribes. Mail clients send it themselves from the List-Unsubscribe header, with
 *   the body `List-Unsubscribe=One-Click` (form-encoded or multipart); the page's button sends the
 *   same. The signed link is all it needs, so the body is read but not required. It answers 200: a
 *   page for a browser, JSON for anything else.
 *
 * A link that is not valid answers 400 (a page for a browser, the usual JSON error otherwise). The
 * pages carry Parley's Content-Security-Policy (no script at all, a same-origin stylesheet, a form
 * that posts to this address only), are never cached or indexed, and do not pass the link on as a
 * referrer. Both routes are rate limited per client address, generously: one-click requests come
 * from the few addresses of the large mail providers.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../../domain/errors.ts';
import { mailCopy, type ListKind, type MailCopy } from '../../mail/templates.ts';
import { UNSUBSCRIBE_PATH, type UnsubscribeLink } from '../../notify/unsubscribe.ts';
import {
  readUnsubscribeLink,
  unsubscribeByLink,
  type UnsubscribeQuery,
} from '../../services/notifications.ts';
import { getUser } from '../../store/users.ts';
import { pickPageLanguage } from '../account-pages.ts';
import { limitPerIp, type RouteContext } from '../context.ts';

const STYLESHEET_PATH = `${UNSUBSCRIBE_PATH}/style.css`;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  // The address carries the reader's token: never send it on.
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
} as const;

const STYLESHEET = `
body { margin: 0; background: #f3f3f0; color: #1b1b1b; font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "PingFang SC", "Microsoft YaHei", sans-serif; }
main { max-width: 32rem; margin: 4rem auto; padding: 2rem 1.75rem; background: #fff; border-radius: 6px; }
h1 { margin: 0 0 1rem; font-size: 1.4rem; }
p { margin: 0 0 1rem; }
.quiet { color: #5a5a5a; font-size: 0.9rem; }
button { padding: 0.7rem 1.4rem; border: 0; border-radius: 4px; background: #1c4f7c; color: #fff; font: inherit; font-weight: 600; cursor: pointer; }
button:focus-visible { outline: 3px solid #f0b429; outline-offset: 2px; }
a { color: #1c4f7c; }
`.trimStart();

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** A browser asking for a page (rather than a mail client or a script). */
const wantsPage = (request: FastifyRequest) => /\btext\/html\b/i.test(request.headers.accept ?? '');

function page(copy: MailCopy, lang: string, title: string, body: string): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}" dir="${copy.dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(title)}</title>`,
    `<link rel="stylesheet" href="${STYLESHEET_PATH}">`,
    '</head>',
    `<body><main>${body}</main></body>`,
    '</html>',
  ].join('\n');
}

export function unsubscribeRoutes(ctx: RouteContext): FastifyPluginAsync {
  const { store, config } = ctx;
  const limited = {
    schema: { hide: true },
    config: { rateLimit: limitPerIp(config.readRateLimit) },
  };

  /** The reader's language when the link is good and the account known; else the browser's. */
  async function languageOf(request: FastifyRequest, link: UnsubscribeLink | null) {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const asked = typeof query.lang === 'string' ? query.lang : undefined;
    if (link) {
      const user = await getUser(store.db, link.userId);
      if (user?.locale) return pickPageLanguage(user.locale, undefined);
    }
    return pickPageLanguage(asked, request.headers['accept-language']);
  }

  const linkQuery = (request: FastifyRequest) => (request.query ?? {}) as UnsubscribeQuery;

  async function refuse(request: FastifyRequest, reply: FastifyReply) {
    if (!wantsPage(request)) {
      throw new ParleyError('INVALID_TOKEN', 'This unsubscribe link is not valid.');
    }
    const lang = await languageOf(request, null);
    const copy = mailCopy(lang);
    const words = copy.unsubscribePage;
    const body =
      `<h1>${escapeHtml(words.title)}</h1>` +
      `<p role="alert">${escapeHtml(words.invalid)}</p>` +
      `<p><a href="/account">${escapeHtml(words.settings)}</a></p>`;
    return reply
      .status(400)
      .headers(PAGE_HEADERS)
      .send(page(copy, lang, words.title, body));
  }

  const listOf = (copy: MailCopy, kind: ListKind) => copy.lists[kind];

  return async (app) => {
    // The bodies mail clients send (form-encoded or multipart) and nothing large; the signed link
    // decides, so the body is not parsed further.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) =>
      done(null, body),
    );

    app.get(UNSUBSCRIBE_PATH, limited, async (request, reply) => {
      const link = await readUnsubscribeLink(store, linkQuery(request));
      if (!link) return refuse(request, reply);
      const lang = await languageOf(request, link);
      const copy = mailCopy(lang);
      const words = copy.unsubscribePage;
      // The form posts back to this very address (the link and its token in the query).
      const action = `${UNSUBSCRIBE_PATH}?${new URLSearchParams({
        user: link.userId,
        kind: link.kind,
        token: (request.query as Record<string, string>).token ?? '',
      }).toString()}`;
      const body =
        `<h1>${escapeHtml(words.title)}</h1>` +
        `<p>${escapeHtml(words.question(listOf(copy, link.kind)))}</p>` +
        `<form method="post" action="${escapeHtml(action)}">` +
        `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
        `<p><button type="submit">${escapeHtml(words.button)}</button></p>` +
        `</form>` +
        `<p class="quiet">${escapeHtml(words.undo)} <a href="/account">${escapeHtml(words.settings)}</a></p>`;
      return reply
        .status(200)
        .headers(PAGE_HEADERS)
        .send(page(copy, lang, words.title, body));
    });

    app.post(UNSUBSCRIBE_PATH, limited, async (request, reply) => {
      const done = await unsubscribeByLink(store, linkQuery(request));
      if (!done) return refuse(request, reply);
      const { link } = done;
      request.log.info({ kind: link.kind }, 'unsubscribed from notification mail');
      if (!wantsPage(request)) {
        return reply.status(200).send({ unsubscribed: true, kind: link.kind });
      }
      const lang = done.locale
        ? pickPageLanguage(done.locale, undefined)
        : await languageOf(request, null);
      const copy = mailCopy(lang);
      const words = copy.unsubscribePage;
      const body =
        `<h1>${escapeHtml(words.title)}</h1>` +
        `<p role="status">${escapeHtml(words.done(listOf(copy, link.kind)))}</p>` +
        `<p class="quiet">${escapeHtml(words.undo)} <a href="/account">${escapeHtml(words.settings)}</a></p>`;
      return reply
        .status(200)
        .headers(PAGE_HEADERS)
        .send(page(copy, lang, words.title, body));
    });

    app.get(STYLESHEET_PATH, limited, async (_request, reply) =>
      reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .send(STYLESHEET),
    );
  };
}
