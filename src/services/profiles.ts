/**
 * Readers' public profiles (docs/profiles.md). A profile belongs to a site: it exists there for a
 * reader who has written on that site (so a profile does not say who has an account elsewhere),
 * and lists only their approved comments on that site's stories, newest first, each with its
 * story and a link to the comment on the article. A reader may keep their history private: then
 * others see their name, picture and badges only; the reader still sees their own. An erased
 * account has no profile. A banned reader's profile stays: it shows nothing their stories' threads
 * do not already show, and a ban is between the reader and the moderators.
 */
import { articleLink } from '../domain/article-link.ts';
import { ParleyError } from '../domain/errors.ts';
import { permalink } from '../domain/permalink.ts';
import type { Store } from '../store/db.ts';
import {
  countProfileComments,
  isProfilePrivate,
  listProfileComments,
  setProfilePrivate,
  type ProfileComment,
} from '../store/profiles.ts';
import type { Site, User } from '../store/rows.ts';
import { getUser, hasCommentedOn } from '../store/users.ts';
import type { Role } from '../store/schema.ts';

export interface ProfileOwner {
  id: string;
  displayName: string;
  role: Role;
  avatarUrl: string | null;
  badges: string[];
  memberSince: string;
}

export interface ProfileEntry extends ProfileComment {
  /** The comment on its article (`#parley-comment-<id>`), when the story is on the site's origins. */
  link: string | null;
}

export interface Profile {
  user: ProfileOwner;
  /** The reader keeps their history private (others get no comments and no count). */
  private: boolean;
  /** Whether the viewer is the reader themself. */
  own: boolean;
  commentCount: number | null;
  comments: ProfileEntry[];
  nextCursor: string | null;
}

export interface ProfileQuery {
  site: Site;
  userId: string;
  viewer: User | null;
  cursor: string | null;
  limit: number;
}

/** The profile of `userId` on the site as the viewer (or a stranger) sees it; 404 when there is none. */
export async function readProfile(store: Store, query: ProfileQuery): Promise<Profile> {
  const { site, userId, viewer } = query;
  const user = await getUser(store.db, userId);
  const own = viewer !== null && viewer.id === userId;
  const known = user && (own || (await hasCommentedOn(store.db, userId, [site.id])));
  if (!user || user.deletedAt !== null || !known) {
    throw new ParleyError('USER_NOT_FOUND', 'No such reader on this site.');
  }
  const hidden = !own && (await isProfilePrivate(store.db, userId));
  const owner: ProfileOwner = {
    id: user.id,
    displayName: user.displayName,
    role: user.role,
    avatarUrl: user.avatarUrl,
    badges: user.badges,
    memberSince: user.createdAt,
  };
  const isPrivate = own ? await isProfilePrivate(store.db, userId) : hidden;
  if (hidden) {
    return { user: owner, private: true, own, commentCount: null, comments: [], nextCursor: null };
  }
  const [rows, count] = await Promise.all([
    listProfileComments(store.db, {
      userId,
      siteId: site.id,
      before: query.cursor,
      limit: query.limit + 1,
    }),
    countProfileComments(store.db, userId, site.id),
  ]);
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const comments = page.map((row) => {
    const article = articleLink(row.story.url, site.allowedOrigins);
    return { ...row, link: article ? permalink(article, row.id) : null };
  });
  return {
    user: owner,
    private: isPrivate,
    own,
    commentCount: count,
    comments,
    nextCursor: more ? (page[page.length - 1]?.id ?? null) : null,
  };
}

/** The reader's own profile choices. */
export async function readProfileChoices(
  store: Store,
  viewer: User,
): Promise<{ private: boolean }> {
  return { private: await isProfilePrivate(store.db, viewer.id) };
}

export async function changeProfileChoices(
  store: Store,
  viewer: User,
  choices: { private: boolean },
): Promise<{ private: boolean }> {
  await setProfilePrivate(store.db, viewer.id, choices.private);
  return { private: choices.private };
}
