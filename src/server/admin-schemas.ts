/**
 * Schemas of the moderation API under /api/v1/admin (docs/moderation-api.md), and the presenters
 * that build its JSON from the moderation store's records.
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { ModerationRecord } from '../store/moderation/records.ts';
import type { ModeratedUser } from '../store/moderation/users.ts';
import type { AppealRecord, IllegalNotice } from '../store/appeals.ts';
import { AUDIT_ACTIONS } from '../domain/audit-actions.ts';
import { QUEUES, REJECTION_CODES } from '../domain/vocabulary.ts';
import { Id, OneOf, Role } from './schemas.ts';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Time = Type.String({ format: 'date-time' });
export const QueueName = OneOf(QUEUES);
export const RejectionCode = OneOf(REJECTION_CODES);
const Status = Type.Union([
  Type.Literal('approved'),
  Type.Literal('pending'),
  Type.Literal('rejected'),
  Type.Literal('deleted'),
]);
const Cursor = Type.String({ pattern: '^[0-9A-HJKMNP-TV-Z]{26}$' });
const Limit = Type.Integer({ minimum: 1, maximum: 100 });

export const ModerationUser = Type.Object({
  id: Id,
  name: Type.String(),
  role: Role,
  createdAt: Time,
  banned: Type.Boolean(),
  bannedSiteIds: Nullable(Type.Array(Type.String())),
  banReason: Nullable(Type.String()),
  suspendedUntil: Nullable(Time),
  suspendReason: Nullable(Type.String()),
  alwaysPremoderate: Type.Boolean(),
  warning: Nullable(Type.Object({ message: Type.String(), acknowledged: Type.Boolean() })),
  moderatorSiteIds: Nullable(Type.Array(Type.String())),
  counts: Type.Object({
    approved: Type.Integer(),
    pending: Type.Integer(),
    rejected: Type.Integer(),
  }),
  /** Shown to admins only. */
  email: Type.Optional(Type.String()),
});

/** An appeal's outcome, as a moderator gives it. */
export const AppealOutcome = Type.Union([Type.Literal('upheld'), Type.Literal('reversed')]);

/** An appeal as its author and the moderators see it (docs/dsa.md). */
export const Appeal = Type.Object({
  id: Id,
  commentId: Id,
  text: Type.String(),
  createdAt: Time,
  state: Type.Union([Type.Literal('open'), AppealOutcome, Type.Literal('moot')], {
    description: 'moot: closed undecided, the decision appealed no longer standing',
  }),
  reviewedAt: Nullable(Time),
  reviewNote: Nullable(Type.String()),
});

export const presentAppeal = (appeal: AppealRecord): Static<typeof Appeal> => ({
  id: appeal.id,
  commentId: appeal.commentId,
  text: appeal.text,
  createdAt: appeal.createdAt,
  state: appeal.state,
  reviewedAt: appeal.reviewedAt,
  reviewNote: appeal.reviewNote,
});

/**
 * A notice of illegal content. The notifier's name and address, like authors' addresses, are
 * shown to admins only; moderators see whether the notifier gave any.
 */
const IllegalNoticeJson = Type.Object({
  legalGround: Type.String(),
  explanation: Type.String(),
  contactGiven: Type.Boolean({ description: 'Whether the notifier gave a name or an address' }),
  reporterName: Type.Optional(Nullable(Type.String({ description: 'Shown to admins only' }))),
  reporterEmail: Type.Optional(Nullable(Type.String({ description: 'Shown to admins only' }))),
  goodFaith: Type.Boolean(),
  createdAt: Time,
});

export function presentNotice(
  notice: IllegalNotice,
  showEmail: boolean,
): Static<typeof IllegalNoticeJson> {
  return {
    legalGround: notice.legalGround,
    explanation: notice.explanation,
    contactGiven: notice.reporterName !== null || notice.reporterEmail !== null,
    ...(showEmail && { reporterName: notice.reporterName, reporterEmail: notice.reporterEmail }),
    goodFaith: notice.goodFaith,
    createdAt: notice.createdAt,
  };
}

export const ModerationItem = Type.Object({
  comment: Type.Object({
    id: Id,
    storyId: Id,
    parentId: Nullable(Id),
    body: Type.String(),
    html: Type.String(),
    status: Status,
    createdAt: Time,
    editedAt: Nullable(Time),
    featured: Type.Boolean(),
    reviewed: Type.Boolean(),
    replyCount: Type.Integer(),
    reactionCount: Type.Integer(),
    moderation: Type.Object({
      decidedBy: Nullable(Type.String()),
      reasons: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
      scores: Type.Record(Type.String(), Type.Number()),
      tags: Type.Array(Type.String()),
      highlights: Type.Optional(
        Type.Array(
          Type.Object(
            {
              begin: Type.Integer(),
              end: Type.Integer(),
              labels: Type.Record(Type.String(), Type.Number()),
            },
            {
              description:
                'A span of the text [begin, end) in UTF-16 code units that drove the automatic ' +
                'decision, and how far each score falls without it',
            },
          ),
        ),
      ),
      rejection: Nullable(Type.Object({ code: Type.String(), note: Nullable(Type.String()) })),
    }),
    reports: Type.Object({
      total: Type.Integer(),
      open: Type.Integer(),
      byReason: Type.Record(Type.String(), Type.Integer()),
    }),
    // The Digital Services Act (docs/dsa.md).
    illegalNotices: Type.Optional(
      Type.Array(IllegalNoticeJson, {
        description: 'Notices of illegal content (reports with reason `illegal`), oldest first',
      }),
    ),
    appeal: Type.Optional(
      Nullable(
        Type.Object(
          {
            ...Appeal.properties,
            decidedBy: Nullable(Type.String()),
            reviewerId: Nullable(Type.String()),
          },
          {
            description:
              'The latest appeal of a decision on the comment (`decidedBy`: null, the pipeline)',
          },
        ),
      ),
    ),
  }),
  story: Type.Object({ id: Id, title: Nullable(Type.String()), url: Type.String(), siteId: Id }),
  author: ModerationUser,
});

export const ActionRef = Type.Object({ id: Id, undoable: Type.Boolean() });

const AuditPerson = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String({ description: 'Null once the account is erased' })),
  erased: Type.Boolean(),
});

export const AuditEntry = Type.Object({
  id: Id,
  at: Time,
  actor: Nullable(AuditPerson),
  action: Type.String({ description: 'One of AUDIT_ACTIONS (src/domain/audit-actions.ts)' }),
  siteId: Nullable(Type.String()),
  commentId: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  reason: Nullable(
    Type.String({
      description:
        'A rejection code (comment.reject), the pipeline’s reason codes joined by ", ", or the ' +
        'moderator’s own words (a ban’s reason, a warning)',
    }),
  ),
  before: Type.Unknown(),
  after: Type.Unknown(),
  undoable: Type.Boolean(),
  undoneAt: Nullable(Time),
  comment: Nullable(
    Type.Object({
      id: Type.String(),
      excerpt: Nullable(
        Type.String({ description: 'Plain text (never markup); null when the comment is deleted' }),
      ),
      deleted: Type.Boolean(),
      status: Nullable(Type.String()),
    }),
  ),
  story: Nullable(
    Type.Object({ id: Type.String(), title: Nullable(Type.String()), url: Type.String() }),
  ),
  user: Type.Union([AuditPerson, Type.Null()], {
    description: 'The comment’s author, or the account acted on',
  }),
  undoOf: Nullable(
    Type.Object(
      { id: Type.String(), action: Type.String(), at: Time, actor: Nullable(AuditPerson) },
      { description: 'For an undo: the entry it took back' },
    ),
  ),
});

export const Note = Type.Object({
  id: Id,
  text: Type.String(),
  by: Type.Object({ id: Type.String(), name: Type.String() }),
  createdAt: Time,
});

export const Filters = Type.Object(
  { siteId: Type.Optional(Id), storyId: Type.Optional(Id) },
  { additionalProperties: false },
);
export const Paging = { cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) };
export const QueueQuery = Type.Object(
  { siteId: Type.Optional(Id), storyId: Type.Optional(Id), ...Paging },
  { additionalProperties: false },
);
export const AuditQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    commentId: Type.Optional(Id),
    userId: Type.Optional(Id),
    actorId: Type.Optional(
      Type.Union([Id, Type.Literal('pipeline')], {
        description: 'The moderator who acted, or "pipeline" for automatic decisions',
      }),
    ),
    action: Type.Optional(OneOf(AUDIT_ACTIONS)),
    storyId: Type.Optional(Id),
    ...Paging,
  },
  { additionalProperties: false },
);
export const SearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    authorId: Type.Optional(Id),
    author: Type.Optional(Type.String({ maxLength: 200 })),
    storyId: Type.Optional(Id),
    siteId: Type.Optional(Id),
    status: Type.Optional(Status),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    ...Paging,
  },
  { additionalProperties: false },
);
export const UsersQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 200 })), role: Type.Optional(Role), ...Paging },
  { additionalProperties: false },
);
export const StatsQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    storyId: Type.Optional(Id),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
  },
  { additionalProperties: false },
);

const Reason = Type.String({ maxLength: 500 });
export const RejectBody = Type.Object(
  { reason: RejectionCode, note: Type.Optional(Type.String({ maxLength: 1000 })) },
  { additionalProperties: false },
);
export const BulkBody = Type.Object(
  {
    action: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    ids: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    reason: Type.Optional(RejectionCode),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
const SiteIds = Type.Array(Id, { minItems: 1, maxItems: 100 });
export const UserBodies = {
  warn: Type.Object(
    { message: Type.String({ minLength: 1, maxLength: 1000 }) },
    { additionalProperties: false },
  ),
  suspend: Type.Object(
    { hours: Type.Integer({ minimum: 1, maximum: 8760 }), reason: Type.Optional(Reason) },
    { additionalProperties: false },
  ),
  ban: Type.Object(
    { reason: Type.Optional(Reason), siteIds: Type.Optional(SiteIds) },
    { additionalProperties: false },
  ),
  unban: Type.Object({}, { additionalProperties: false }),
  unsuspend: Type.Object({}, { additionalProperties: false }),
  premoderate: Type.Object({ on: Type.Boolean() }, { additionalProperties: false }),
  role: Type.Object(
    { role: Role, siteIds: Type.Optional(SiteIds) },
    { additionalProperties: false },
  ),
};
export const NoteBody = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export type ModerationItemJson = Static<typeof ModerationItem>;
export type ModerationUserJson = Static<typeof ModerationUser>;

/** A user as moderators see them; their email only to admins. */
export function presentModeratedUser(user: ModeratedUser, showEmail: boolean): ModerationUserJson {
  const suspended =
    user.suspendedUntil !== null && Date.parse(user.suspendedUntil) > Date.now()
      ? user.suspendedUntil
      : null;
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt,
    banned: user.bannedAt !== null,
    bannedSiteIds: user.bannedAt !== null ? user.bannedSiteIds : null,
    banReason: user.banReason,
    suspendedUntil: suspended,
    suspendReason: suspended ? user.suspendReason : null,
    alwaysPremoderate: user.alwaysPremoderate,
    warning:
      user.warning === null
        ? null
        : { message: user.warning, acknowledged: user.warningAcknowledgedAt !== null },
    moderatorSiteIds: user.moderatorSiteIds,
    counts: user.counts,
    ...(showEmail && { email: user.email }),
  };
}

export function presentItem(record: ModerationRecord, showEmail: boolean): ModerationItemJson {
  const { comment } = record;
  return {
    comment: {
      id: comment.id,
      storyId: comment.storyId,
      parentId: comment.parentId,
      body: comment.body,
      html: comment.html,
      status: comment.deleted ? 'deleted' : comment.status,
      createdAt: comment.createdAt,
      editedAt: comment.editedAt,
      featured: comment.featured,
      reviewed: comment.reviewedAt !== null,
      replyCount: comment.replyCount,
      reactionCount: comment.reactionCount,
      moderation: { ...comment.moderation, rejection: comment.rejection },
      reports: { ...comment.reports, open: comment.openReports },
      illegalNotices: comment.illegalNotices.map((notice) => presentNotice(notice, showEmail)),
      appeal: comment.appeal && {
        ...presentAppeal(comment.appeal),
        decidedBy: comment.appeal.decidedBy,
        reviewerId: comment.appeal.reviewerId,
      },
    },
    story: record.story,
    author: presentModeratedUser(record.author, showEmail),
  };
}

const Domains = Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 1000 });
const Probability = Type.Number({ minimum: 0, maximum: 1 });

/** What an admin may change in a site's moderation settings; every key optional. */
export const SiteModerationPatch = Type.Object(
  {
    editWindowSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    moderation: Type.Optional(
      Type.Object(
        {
          commentingDisabled: Type.Optional(Type.Boolean()),
          closeAfterDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
          liveUpdates: Type.Optional(Type.Boolean()),
          premoderateAll: Type.Optional(Type.Boolean()),
          premoderateNewCommenters: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
          minLength: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
          maxLength: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000 })),
          links: Type.Optional(
            Type.Object(
              {
                holdLinks: Type.Optional(Type.Boolean()),
                allowDomains: Type.Optional(Domains),
                denyDomains: Type.Optional(Domains),
              },
              { additionalProperties: false },
            ),
          ),
          repeatWindowSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
          maxPostsPerMinute: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          classifier: Type.Optional(
            Type.Object(
              { hold: Type.Optional(Probability), reject: Type.Optional(Probability) },
              { additionalProperties: false },
            ),
          ),
          /** Learn the site's line from its moderators' decisions (docs/site-models.md). */
          learnFromModerators: Type.Optional(Type.Boolean()),
          wordList: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  term: Type.String({ minLength: 1, maxLength: 100 }),
                  strength: Type.Union([Type.Literal('banned'), Type.Literal('suspect')]),
                },
                { additionalProperties: false },
              ),
              { maxItems: 10_000 },
            ),
          ),
          external: Type.Optional(
            Type.Union([
              Type.Null(),
              Type.Object(
                {
                  url: Type.String({ pattern: '^https://', maxLength: 2000 }),
                  secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
                  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000 })),
                },
                { additionalProperties: false },
              ),
            ]),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export const StoryPatchBody = Type.Object(
  {
    closed: Type.Optional(Type.Boolean()),
    premoderated: Type.Optional(Type.Boolean()),
    liveUpdates: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
