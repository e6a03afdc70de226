/**
 * Request and response schemas (TypeBox). They validate requests, serialise responses and generate
 * the OpenAPI document, so the three cannot disagree.
 */
import {
  Type,
  type Static,
  type TLiteral,
  type TSchema,
  type TSchemaOptions,
  type TUnion,
} from 'typebox';
import { ID_PATTERN } from '../domain/ids.ts';
import { SORTS } from '../domain/thread.ts';
import { INTERFACE_LANGUAGES, REPORT_REASONS, ROLES } from '../domain/vocabulary.ts';

export const Id = Type.String({ pattern: ID_PATTERN, description: 'An opaque 26-character id' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * One of a list of words (`anyOf` of `const`s, as Type.Union of literals writes it), typed as the
 * list's words: Type.Union given a mapped array would type it as `never`.
 */
export const OneOf = <const Words extends readonly string[]>(
  words: Words,
  options?: TSchemaOptions,
) =>
  Type.Union(
    words.map((word) => Type.Literal(word)),
    options,
  ) as unknown as TUnion<{ -readonly [K in keyof Words]: TLiteral<Words[K]> }>;
const Time = Type.String({ format: 'date-time' });

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code' }),
      message: Type.String(),
    }),
  },
  { description: 'Every error has this shape' },
);

export const Role = OneOf(ROLES);

export const PublicUser = Type.Object({ id: Id, displayName: Type.String(), role: Role });
export const Viewer = Type.Object({
  id: Id,
  displayName: Type.String(),
  role: Role,
  email: Type.String(),
  warning: Nullable(
    Type.Object(
      { message: Type.String() },
      {
        description:
          "A moderator's warning the viewer has not acknowledged yet; they cannot post until " +
          'they do (POST /auth/me/warning/acknowledge)',
      },
    ),
  ),
  emailVerified: Type.Boolean({
    description: 'The address is confirmed (sites that require it refuse comments until then)',
  }),
  avatarUrl: Nullable(Type.String()),
  badges: Type.Array(Type.String(), { description: 'Labels a publisher gives the reader (SSO)' }),
  identity: Type.Union([Type.Literal('local'), Type.Literal('sso'), Type.Literal('oidc')], {
    description: 'How the account signs in: its own password, a publisher SSO, or OpenID Connect',
  }),
  locale: Nullable(Type.String({ description: 'Interface language (mail is written in it)' })),
  deletionDueAt: Nullable(
    Type.String({ format: 'date-time', description: 'When a pending deletion happens' }),
  ),
});

export const Session = Type.Object({
  token: Type.String({ description: 'Access token: send it as `Authorization: Bearer <token>`' }),
  refreshToken: Type.String({
    description: 'Single use: POST /auth/refresh trades it for a new session (and a new one)',
  }),
  expiresIn: Type.Integer({ description: 'Seconds the access token is good for' }),
  user: Viewer,
});

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Password = Type.String({ minLength: 8, maxLength: 256 });
export const DisplayName = Type.String({ minLength: 1, maxLength: 200 });

export const Locale = OneOf(INTERFACE_LANGUAGES, { description: 'Interface language' });

/** The site an account action happens for (its mail is branded), and the article to go back to. */
export const ForSite = {
  siteId: Type.Optional(Id),
  article: Type.Optional(
    Type.String({ maxLength: 2000, description: 'The article the reader came from (a URL)' }),
  ),
};
export const SignupBody = Type.Object(
  {
    displayName: DisplayName,
    email: Email,
    password: Password,
    locale: Type.Optional(Locale),
    ...ForSite,
    /** SHA-256 (hex) of the secret the signing-up browser keeps (docs/identity.md, "Local accounts"). */
    binding: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description:
          'SHA-256 (lowercase hex) of a random secret the browser keeps; the confirmation opens ' +
          'a session only when sent with that secret.',
      }),
    ),
  },
  { additionalProperties: false },
);
// Log-in takes any address an account may have (the first admin's is admin@localhost).
export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

// Checked by the route (src/server/routes/sites.ts), whose message says how to write one.
const Origin = Type.String({
  minLength: 1,
  maxLength: 300,
  description: 'An origin: scheme and host (and port), like https://www.example.com',
});

export const Site = Type.Object({
  id: Id,
  name: Type.String(),
  allowedOrigins: Type.Array(Type.String()),
  editWindowSeconds: Type.Integer(),
  maxDepth: Type.Integer(),
  locale: Nullable(Type.String()),
  createdAt: Time,
  rendering: Type.Boolean({
    description:
      'Serves server-rendered threads: the HTML fragment, the plain and AMP pages ' +
      '(docs/server-rendering.md)',
  }),
  defaultSort: Type.String({
    description: 'The thread order readers get unless they choose one (docs/sorting.md)',
  }),
  pinNewsroom: Type.Boolean({
    description:
      "Featured and newsroom comments lead the default order's first page (docs/sorting.md)",
  }),
});

export const SiteCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    allowedOrigins: Type.Array(Origin, { minItems: 1, maxItems: 50 }),
    editWindowSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    locale: Type.Optional(Nullable(Type.String({ pattern: '^[a-z]{2}(-[A-Za-z]{2,4})?$' }))),
    rendering: Type.Optional(
      Type.Boolean({ description: 'Serve server-rendered threads (default true)' }),
    ),
    defaultSort: Type.Optional(
      OneOf(SORTS, { description: 'The thread order readers get unless they choose (newest)' }),
    ),
    pinNewsroom: Type.Optional(
      Type.Boolean({
        description: 'Pin featured and newsroom comments above the default order (false)',
      }),
    ),
  },
  { additionalProperties: false },
);
export const SitePatchBody = Type.Partial(SiteCreateBody, { additionalProperties: false });

export const SiteSettings = Type.Object({
  id: Id,
  name: Type.String(),
  editWindowSeconds: Type.Integer(),
  maxDepth: Type.Integer(),
  locale: Nullable(Type.String()),
  defaultSort: Type.Optional(
    Type.String({ description: 'The order the widget shows unless the page says data-sort' }),
  ),
});

/**
 * A publisher's brand as readers see it (the widget, the sign-in popup, account pages): public,
 * unlike the rest of the branding (mail sender and sign-off stay in the dashboard).
 */
export const Brand = Type.Object(
  {
    siteId: Id,
    name: Type.String({ description: 'The site’s name' }),
    logoUrl: Nullable(Type.String({ description: 'An https image' })),
    accentColor: Nullable(Type.String({ description: '#rrggbb, lower case' })),
    guidelinesUrl: Nullable(Type.String({ description: 'The community guidelines (https)' })),
  },
  { description: 'The publisher’s brand (GET /sites/{siteId}/brand)' },
);

export const Story = Type.Object({
  id: Id,
  siteId: Id,
  externalId: Nullable(Type.String()),
  url: Type.String(),
  title: Nullable(Type.String()),
  author: Nullable(Type.String()),
  description: Nullable(Type.String()),
  publishedAt: Nullable(Time),
  imageUrl: Nullable(Type.String()),
  commentCount: Type.Integer(),
  closed: Type.Boolean(),
  brand: Type.Optional(Brand),
  mode: Type.Union([Type.Literal('comments'), Type.Literal('qa')], {
    description: "'qa': readers ask questions the story's experts answer (docs/qa.md)",
  }),
  qa: Type.Optional(
    Type.Object({
      open: Type.Boolean({ description: 'Takes questions and votes (closed: still readable)' }),
      experts: Type.Array(
        Type.Object({
          id: Id,
          displayName: Type.String(),
          avatarUrl: Nullable(Type.String()),
          title: Type.Optional(Type.String()),
        }),
      ),
    }),
  ),
});

export const ResolveStoryBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2000 }),
    storyId: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s]+$' })),
    siteId: Type.Optional(Id),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    section: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description:
          "The page's section (the widget's data-section); a new story in one of the site's Q&A " +
          'sections starts as a Q&A (docs/qa.md)',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A comment's author as readers see them: with the picture and labels their publisher gives. */
export const CommentAuthor = Type.Object({
  id: Id,
  displayName: Type.String(),
  role: Role,
  avatarUrl: Nullable(
    Type.String({ description: 'The publisher’s picture of the author (SSO/OIDC), if any' }),
  ),
  badges: Type.Array(Type.String(), {
    description: 'Labels the publisher gives the author (e.g. subscriber, verified), as text',
  }),
  expert: Type.Optional(
    Type.Boolean({ description: "On a Q&A answer: the author answers as the story's expert" }),
  ),
});

const CommentFields = {
  id: Id,
  storyId: Id,
  parentId: Nullable(Id),
  threadParentId: Nullable(Id),
  replyToName: Nullable(Type.String()),
  depth: Type.Integer(),
  author: Nullable(CommentAuthor),
  html: Type.String({ description: 'Sanitised HTML; the only field to render as markup' }),
  body: Type.Optional(
    Type.String({ description: "Markdown source; only on the viewer's own comments" }),
  ),
  status: Type.Union([
    Type.Literal('approved'),
    Type.Literal('pending'),
    Type.Literal('rejected'),
    Type.Literal('deleted'),
  ]),
  deleted: Type.Boolean(),
  createdAt: Time,
  editedAt: Nullable(Time),
  editableUntil: Nullable(Time),
  replyCount: Type.Integer(),
  reactionCount: Type.Integer(),
  featured: Type.Boolean(),
  rejection: Type.Optional(
    Nullable(
      Type.Object(
        { code: Type.String(), note: Nullable(Type.String()) },
        {
          description:
            "Why a moderator rejected it (the statement of reasons); only on the viewer's own comments",
        },
      ),
    ),
  ),
  held: Type.Optional(
    Type.Object(
      { reasons: Type.Array(Type.String()) },
      {
        description:
          "Why it waits for a moderator: the pipeline's reason codes (e.g. PREMOD_SITE, " +
          "LINKS_HELD); only on the viewer's own pending comments",
      },
    ),
  ),
  viewer: Type.Object({ reacted: Type.Boolean(), reported: Type.Boolean(), own: Type.Boolean() }),
};

export const Comment = Type.Object(CommentFields);
const repliesCursor = Nullable(
  Type.String({
    description:
      'Where the rest of its replies are read (GET /comments/{id}/replies?cursor=…); null when ' +
      'every reply is already here',
  }),
);
/** A reply as thread and reply pages list it: its own replies are read with its cursor. */
export const ReplyComment = Type.Object({ ...CommentFields, repliesCursor });
export const ThreadComment = Type.Object({
  ...CommentFields,
  replies: Type.Array(ReplyComment),
  repliesCursor,
  pinned: Type.Optional(
    Type.Literal(true, {
      description:
        "Pinned above the site's default order (its newsroom's or a featured comment); first " +
        'page only, and not listed again on later pages (docs/sorting.md)',
    }),
  ),
});

export const Sort = OneOf(SORTS);
/** A thread's orders, plus the story's featured comments (approved, newest first). */
export const ThreadSort = OneOf([...SORTS, 'featured'] as const);
export const Cursor = Type.String({ minLength: 1, maxLength: 200 });
export const Limit = Type.Integer({ minimum: 1, maximum: 100 });

export const ThreadQuery = Type.Object(
  { sort: Type.Optional(ThreadSort), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);
export const RepliesQuery = Type.Object(
  { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  { additionalProperties: false },
);

export const CommentBody = Type.Object(
  {
    body: Type.String({ maxLength: 100_000 }),
    parentId: Type.Optional(Id),
    postAnyway: Type.Optional(
      Type.Boolean({
        description:
          'Post even though the last attempt answered 422 REVISION_SUGGESTED (the comment is then held for a moderator).',
      }),
    ),
  },
  { additionalProperties: false },
);
export const EditBody = Type.Object(
  { body: Type.String({ maxLength: 100_000 }) },
  { additionalProperties: false },
);

export const ReportBody = Type.Object(
  {
    reason: OneOf(REPORT_REASONS),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    // Reason `illegal` only: required there, refused elsewhere (src/services/appeals.ts).
    legalGround: Type.Optional(
      Type.String({
        maxLength: 300,
        description: 'The law, or the kind of illegality (required for `illegal`)',
      }),
    ),
    explanation: Type.Optional(
      Type.String({
        maxLength: 5000,
        description: 'Why the comment is illegal (required for `illegal`)',
      }),
    ),
    reporterName: Type.Optional(Type.String({ maxLength: 100 })),
    reporterEmail: Type.Optional(Type.String({ maxLength: 254 })),
    goodFaith: Type.Optional(
      Type.Boolean({
        description: 'The statement that the notice is accurate and made in good faith (`illegal`)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CountsQuery = Type.Object(
  {
    storyIds: Type.Optional(Type.String({ maxLength: 4000 })),
    urls: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Id });
export const StoryParams = Type.Object({ storyId: Id });
export const SiteParams = Type.Object({ siteId: Id });

export type SignupBody = Static<typeof SignupBody>;
export type CommentJson = Static<typeof Comment>;
export type ThreadCommentJson = Static<typeof ThreadComment>;
export type StoryJson = Static<typeof Story>;
export type BrandJson = Static<typeof Brand>;
