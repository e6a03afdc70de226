/**
 * A reader's profile as a plain page on Parley's origin (docs/profiles.md): `/profiles/:siteId/
 * :userId`, server-rendered, no script at all, under the strict Content-Security-Policy of
 * Parley's pages (its stylesheet is a file: `/profiles/assets/profile.css`, and the site's accent
 * colour a one-rule file named by the colour). It carries the site's brand (logo or name), the
 * reader's language and direction (`?lang=`, else the browser's), light or dark as the reader's
 * system prefers, and the profile as a stranger sees it (src/services/profiles.ts): the page
 * cannot know who is reading, so a reader who keeps their history private sees it private here
 * too. Older comments are a link away (`?cursor=`).
 *
 * Escaping: every string is escaped here but the comments' HTML, which was sanitised when the
 * comment was written and is the one field rendered as markup (as in the widget). Names and
 * titles are isolated (`<bdi>`, `dir="auto"`) so that right-to-left text or a stray direction
 * override cannot turn the line around it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { initials } from '../domain/avatar.ts';
import { readableAccent } from '../domain/contrast.ts';
import { ParleyError } from '../domain/errors.ts';
import { escapeHtml } from '../domain/html.ts';
import { ID_PATTERN } from '../domain/ids.ts';
import type { InterfaceLanguage } from '../domain/vocabulary.ts';
import { readProfile, type Profile } from '../services/profiles.ts';
import type { Site } from '../store/rows.ts';
import { pickPageLanguage } from './account-pages.ts';
import { brandHtml, pageDocument } from './page-html.ts';
import { limitPerIp, type RouteContext } from './context.ts';

type Lang = InterfaceLanguage;

interface Words {
  title: (name: string, site: string) => string;
  memberSince: (date: string) => string;
  comments: string;
  count: (n: number) => string;
  private: string;
  none: string;
  older: string;
  newest: string;
  on: string;
  untitled: string;
  context: string;
  edited: string;
  staff: string;
  notFound: string;
  badInput: string;
  avatar: (name: string) => string;
}

const WORDS: Record<Lang, Words> = {
  en: {
    title: (name, site) => `${name} on ${site}`,
    memberSince: (date) => `Member since ${date}`,
    comments: 'Comments',
    count: (n) => (n === 1 ? '1 comment' : `${n} comments`),
    private: 'This reader keeps their comments private.',
    none: 'No comments yet.',
    older: 'Older comments',
    newest: 'Newest comments',
    on: 'On',
    untitled: 'an untitled story',
    context: 'Read it in the discussion',
    edited: 'edited',
    staff: 'Staff',
    notFound: 'There is no such reader on this site.',
    badInput: 'This address is not a profile’s.',
    avatar: (name) => `Picture of ${name}`,
  },
  ar: {
    title: (name, site) => `${name} على ${site}`,
    memberSince: (date) => `عضو منذ ${date}`,
    comments: 'التعليقات',
    count: (n) => `عدد التعليقات: ${n}`,
    private: 'يُبقي هذا القارئ تعليقاته خاصة.',
    none: 'لا توجد تعليقات بعد.',
    older: 'تعليقات أقدم',
    newest: 'أحدث التعليقات',
    on: 'على',
    untitled: 'قصة بلا عنوان',
    context: 'اقرأه في النقاش',
    edited: 'مُعدَّل',
    staff: 'فريق التحرير',
    notFound: 'لا يوجد قارئ بهذا الاسم على هذا الموقع.',
    badInput: 'هذا العنوان ليس عنوان ملف شخصي.',
    avatar: (name) => `صورة ${name}`,
  },
  he: {
    title: (name, site) => `${name} ב־${site}`,
    memberSince: (date) => `הצטרפות: ${date}`,
    comments: 'תגובות',
    count: (n) => (n === 1 ? 'תגובה אחת' : `${n} תגובות`),
    private: 'הקורא הזה שומר את התגובות שלו פרטיות.',
    none: 'אין עדיין תגובות.',
    older: 'תגובות ישנות יותר',
    newest: 'התגובות החדשות ביותר',
    on: 'על',
    untitled: 'כתבה ללא כותרת',
    context: 'לקריאה בדיון',
    edited: 'נערכה',
    staff: 'מערכת',
    notFound: 'אין קורא כזה באתר הזה.',
    badInput: 'הכתובת הזו אינה של פרופיל.',
    avatar: (name) => `התמונה של ${name}`,
  },
  zh: {
    title: (name, site) => `${name}（${site}）`,
    memberSince: (date) => `${date} 加入`,
    comments: '评论',
    count: (n) => `${n} 条评论`,
    private: '这位读者选择不公开自己的评论。',
    none: '还没有评论。',
    older: '更早的评论',
    newest: '最新评论',
    on: '评论于',
    untitled: '无标题文章',
    context: '在讨论中查看',
    edited: '已编辑',
    staff: '编辑部',
    notFound: '本网站没有这位读者。',
    badInput: '这不是个人主页的地址。',
    avatar: (name) => `${name} 的头像`,
  },
  fr: {
    title: (name, site) => `${name} sur ${site}`,
    memberSince: (date) => `Membre depuis le ${date}`,
    comments: 'Commentaires',
    count: (n) => (n <= 1 ? `${n} commentaire` : `${n} commentaires`),
    private: 'Ce lecteur garde ses commentaires privés.',
    none: 'Aucun commentaire pour l’instant.',
    older: 'Commentaires plus anciens',
    newest: 'Commentaires les plus récents',
    on: 'Sur',
    untitled: 'un article sans titre',
    context: 'Le lire dans la discussion',
    edited: 'modifié',
    staff: 'Rédaction',
    notFound: 'Ce lecteur n’existe pas sur ce site.',
    badInput: 'Cette adresse n’est pas celle d’un profil.',
    avatar: (name) => `Photo de ${name}`,
  },
  es: {
    title: (name, site) => `${name} en ${site}`,
    memberSince: (date) => `Miembro desde el ${date}`,
    comments: 'Comentarios',
    count: (n) => (n === 1 ? '1 comentario' : `${n} comentarios`),
    private: 'Este lector mantiene sus comentarios en privado.',
    none: 'Todavía no hay comentarios.',
    older: 'Comentarios anteriores',
    newest: 'Comentarios más recientes',
    on: 'En',
    untitled: 'un artículo sin título',
    context: 'Leerlo en la conversación',
    edited: 'editado',
    staff: 'Redacción',
    notFound: 'No existe ese lector en este sitio.',
    badInput: 'Esta dirección no es la de un perfil.',
    avatar: (name) => `Foto de ${name}`,
  },
};

const ID = new RegExp(ID_PATTERN);
const PAGE_SIZE = 20;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The reader may make their history private at any moment: never served from a cache.
  'cache-control': 'no-store',
  // Readers' pages are not for search engines (docs/profiles.md).
  'x-robots-tag': 'noindex, nofollow',
} as const;

const formatDate = (iso: string, lang: Lang) =>
  new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

/** A page in the profile's stylesheet (and the site's accent, when readable with white text). */
function documentHtml(lang: Lang, title: string, accent: string | null, body: string): string {
  const accentSheet = accent
    ? `\n<link rel="stylesheet" href="/profiles/assets/accent-${accent.slice(1)}.css">`
    : '';
  const head =
    '<meta name="color-scheme" content="light dark">\n' +
    `<link rel="stylesheet" href="/profiles/assets/profile.css">${accentSheet}`;
  return pageDocument(lang, title, head, body);
}

/** The reader's profile as a page. */
export function profileHtml(
  profile: Profile,
  site: Site,
  lang: Lang,
  page: { cursor: string | null; self: string },
): string {
  const t = WORDS[lang];
  const { user } = profile;
  const name = escapeHtml(user.displayName);
  const avatar =
    user.avatarUrl && user.avatarUrl.startsWith('https://')
      ? `<img class="avatar" src="${escapeHtml(user.avatarUrl)}" alt="${escapeHtml(t.avatar(user.displayName))}" referrerpolicy="no-referrer">`
      : `<span class="avatar initials" aria-hidden="true">${escapeHtml(initials(user.displayName) || '?')}</span>`;
  const badges = [
    ...(user.role !== 'commenter' ? [t.staff] : []),
    ...user.badges.filter((badge) => badge.toLowerCase() !== 'staff' || user.role === 'commenter'),
  ]
    .map((badge) => `<li class="badge"><bdi>${escapeHtml(badge)}</bdi></li>`)
    .join('');
  const since = `<p class="since">${escapeHtml(t.memberSince(formatDate(user.memberSince, lang)))}</p>`;
  const head =
    `<section class="owner">${avatar}<div><h1><bdi>${name}</bdi></h1>` +
    (badges ? `<ul class="badges">${badges}</ul>` : '') +
    `${since}</div></section>`;

  let history: string;
  if (profile.private && !profile.own) {
    history = `<p class="private">${escapeHtml(t.private)}</p>`;
  } else if (profile.comments.length === 0) {
    history = `<p class="none">${escapeHtml(t.none)}</p>`;
  } else {
    const items = profile.comments
      .map((comment) => {
        const title = escapeHtml(comment.story.title ?? t.untitled);
        const storyLink = comment.link
          ? `<a href="${escapeHtml(comment.link)}" rel="nofollow ugc"><bdi>${title}</bdi></a>`
          : `<bdi>${title}</bdi>`;
        const time = `<time datetime="${escapeHtml(comment.createdAt)}">${escapeHtml(formatDate(comment.createdAt, lang))}</time>`;
        const edited = comment.editedAt ? ` · ${escapeHtml(t.edited)}` : '';
        const context = comment.link
          ? `<p class="context"><a href="${escapeHtml(comment.link)}" rel="nofollow ugc">${escapeHtml(t.context)}</a></p>`
          : '';
        return (
          `<li><article class="comment" id="comment-${escapeHtml(comment.id)}">` +
          `<p class="story">${escapeHtml(t.on)} ${storyLink} · ${time}${edited}</p>` +
          // Sanitised when the comment was written (src/domain/markdown.ts): not again.
          `<div class="body" dir="auto">${comment.html}</div>${context}</article></li>`
        );
      })
      .join('');
    history = `<ol class="comments">${items}</ol>`;
  }
  const count =
    profile.commentCount !== null && !(profile.private && !profile.own)
      ? ` <span class="count">(${escapeHtml(t.count(profile.commentCount))})</span>`
      : '';
  const nav: string[] = [];
  if (page.cursor) nav.push(`<a href="${escapeHtml(page.self)}">${escapeHtml(t.newest)}</a>`);
  if (profile.nextCursor) {
    const next = `${page.self}${page.self.includes('?') ? '&' : '?'}cursor=${profile.nextCursor}`;
    nav.push(`<a href="${escapeHtml(next)}" rel="next">${escapeHtml(t.older)}</a>`);
  }
  const navHtml = nav.length ? `<nav class="pages">${nav.join('')}</nav>` : '';
  return documentHtml(
    lang,
    t.title(user.displayName, site.name),
    readableAccent(site.branding.accentColor),
    `${brandHtml(site)}<main class="page">${head}<section class="history"><h2>${escapeHtml(t.comments)}${count}</h2>${history}${navHtml}</section></main>`,
  );
}

function refusal(lang: Lang, message: string): string {
  return documentHtml(
    lang,
    'Parley',
    null,
    `<main class="page"><h1>Parley</h1><p role="alert">${escapeHtml(message)}</p></main>`,
  );
}

const STYLE = `/* A reader's profile (src/server/profile-page.ts): the account pages' colours, light or dark. */
:root{--accent:#9e1b1f;--brand-accent:var(--accent);--text:#1a1a1a;--muted:#5a5a5a;--line:#d8d6d0;--soft:#f6f4ef;--focus:#0b57d0;--bg:#fff;--link:var(--brand-accent);--serif:Georgia,'Times New Roman',serif;color-scheme:light}
@media (prefers-color-scheme:dark){:root{--text:#ebe9e4;--muted:#b5b1a9;--line:#3d3b37;--soft:#27282b;--focus:#8ab4f8;--bg:#17181a;--link:#f28b82;color-scheme:dark}}
*{box-sizing:border-box}
body{margin:0;color:var(--text);background:var(--bg);font:16px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;overflow-wrap:break-word}
a{color:var(--link)}
:focus-visible{outline:2px solid var(--focus);outline-offset:2px}
.brand{display:flex;justify-content:center;padding:1rem 1.25rem;border-block-end:3px solid var(--brand-accent);background:var(--soft)}
.brand-logo{max-height:2.5rem;max-width:12rem}
.brand-name{font:700 1.3rem/1.2 var(--serif)}
.page{max-width:42rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}
.owner{display:flex;gap:1rem;align-items:center;margin-block-end:1.5rem}
.avatar{flex:none;width:4rem;height:4rem;border-radius:50%;object-fit:cover}
.initials{display:flex;align-items:center;justify-content:center;background:var(--brand-accent);color:#fff;font:700 1.6rem/1 var(--serif)}
h1{margin:0;font:700 1.6rem/1.2 var(--serif)}
h2{font:700 1.15rem/1.3 var(--serif);border-block-end:1px solid var(--line);padding-block-end:.4rem}
.count{font:400 .95rem/1 system-ui,sans-serif;color:var(--muted)}
.badges{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;margin:.35rem 0;padding:0}
.badge{font-size:.8rem;font-weight:600;padding:.05rem .5rem;border:1px solid var(--line);border-radius:1rem;background:var(--soft)}
.since,.story,.context{color:var(--muted);font-size:.9rem;margin:.25rem 0}
.comments{list-style:none;margin:0;padding:0}
.comment{padding:1rem 0;border-block-end:1px solid var(--line)}
.comment .body{margin:.35rem 0}
.comment .body p{margin:.4rem 0}
.comment .body blockquote{margin:.4rem 0;padding-inline-start:.8rem;border-inline-start:3px solid var(--line);color:var(--muted)}
.private,.none{padding:1rem;background:var(--soft);border-radius:.5rem}
.pages{display:flex;justify-content:space-between;gap:1rem;margin-block-start:1.25rem}
.pages a[rel=next]{margin-inline-start:auto}
`;

const HEX6 = /^[0-9a-f]{6}$/;

export function installProfilePage(app: FastifyInstance, ctx: RouteContext): void {
  const limited = {
    schema: { hide: true },
    config: { rateLimit: limitPerIp(Math.max(1, Math.floor(ctx.config.readRateLimit / 4))) },
  };
  const assets = {
    schema: { hide: true },
    config: { rateLimit: limitPerIp(ctx.config.readRateLimit) },
  };

  app.get('/profiles/assets/profile.css', assets, async (_request, reply) =>
    reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(STYLE),
  );

  // The site's accent, as a file: the policy allows no inline style.
  app.get<{ Params: { file: string } }>(
    '/profiles/assets/accent-:file',
    assets,
    async (request, reply) => {
      const match = /^([0-9a-f]{6})\.css$/.exec(request.params.file);
      if (!match || !HEX6.test(match[1] as string)) {
        throw new ParleyError('NOT_FOUND', 'No such file.');
      }
      return reply
        .header('content-type', 'text/css; charset=utf-8')
        .header('cache-control', 'public, max-age=86400')
        .send(`:root{--brand-accent:#${match[1]}}\n`);
    },
  );

  app.get<{ Params: { siteId: string; userId: string } }>(
    '/profiles/:siteId/:userId',
    limited,
    async (
      request: FastifyRequest<{ Params: { siteId: string; userId: string } }>,
      reply: FastifyReply,
    ) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const requested = typeof query.lang === 'string' ? query.lang : undefined;
      const lang = pickPageLanguage(requested, request.headers['accept-language']);
      const { siteId, userId } = request.params;
      const cursor = typeof query.cursor === 'string' ? query.cursor : null;
      if (!ID.test(siteId) || !ID.test(userId) || (cursor !== null && !ID.test(cursor))) {
        return reply.status(400).headers(PAGE_HEADERS).send(refusal(lang, WORDS[lang].badInput));
      }
      const site = await ctx.sites.get(siteId);
      if (!site) {
        return reply.status(404).headers(PAGE_HEADERS).send(refusal(lang, WORDS[lang].notFound));
      }
      let profile: Profile;
      try {
        // The page cannot tell who reads it (no script, no token): a stranger's view.
        profile = await readProfile(ctx.store, {
          site,
          userId,
          viewer: null,
          cursor,
          limit: PAGE_SIZE,
        });
      } catch (error) {
        if (error instanceof ParleyError && error.status === 404) {
          return reply.status(404).headers(PAGE_HEADERS).send(refusal(lang, WORDS[lang].notFound));
        }
        throw error;
      }
      const self = `/profiles/${siteId}/${userId}${requested ? `?lang=${lang}` : ''}`;
      return reply
        .status(200)
        .headers(PAGE_HEADERS)
        .send(profileHtml(profile, site, lang, { cursor, self }));
    },
  );
}
