/**
 * Q&A with the newsroom (docs/qa.md): switching a story to Q&A and naming its experts, a site's
 * Q&A sections, readers' votes on questions, the "now answering" notice, and reading the tabs of
 * questions with their answers.
 *
 * Questions are the story's top-level comments and answers replies to them, so posting either is
 * the ordinary comment path (src/services/comments.ts: moderation, rate limits); this adds only
 * what a Q&A needs beyond it. Which replies are answers, and when a question was answered, is
 * settled after the commit by the dispatcher's Q&A consumer (src/notify/qa.ts), which sees every
 * change to a comment (posted, approved, rejected, deleted) in the story's order.
 */
import { ParleyError } from '../domain/errors.ts';
import { inScope, isSiteStaff } from '../domain/moderation/scope.ts';
import { EVERYONE, type LiveEvent } from '../live/bus.ts';
import { busOf, publishLive } from '../live/record.ts';
import { getComment, viewerMarks } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import { appendLiveEvents } from '../store/live-events.ts';
import {
  answersForSite,
  answersNow,
  listAnswers,
  listQuestions,
  lockStoryQa,
  readAnswerers,
  readQaSections,
  readStoryExperts,
  readViewerVotes,
  replaceQaSections,
  replaceStoryExperts,
  setQuestionVote,
  writeStoryQa,
  type QuestionCursor,
  type QuestionTab,
} from '../store/qa.ts';
import { isBannedOn, type CommentRecord, type Site, type Story, type User } from '../store/rows.ts';
import { getStory } from '../store/stories.ts';
import { getUser } from '../store/users.ts';
import { storyIsClosed } from '../domain/moderation/phases/story-closed.ts';
import type { Moderator } from './moderation-actions.ts';
import { auditSiteChange } from './sites.ts';
import type { SiteDirectory } from './site-directory.ts';
import type { ViewerMarks } from './threads.ts';

export interface QaDeps {
  store: Store;
  sites: SiteDirectory;
  /** Told that the story's public pages changed (the thread cache). */
  storyChanged: (storyId: string) => void;
}

/** At most this many experts per story, and sections per site. */
export const MAX_EXPERTS = 20;
export const MAX_QA_SECTIONS = 100;

export { isSiteStaff };

/**
 * Whether the user answers this story's questions: one of the site's staff (the story's experts are
 * named from them), not banned on the site, as their account is now. Read afresh rather than from
 * the signed-in user, which a session cache may hold from before a role was taken away.
 */
export async function isAnswerer(store: Store, story: Story, user: User): Promise<boolean> {
  return answersNow(store.db, story.siteId, user.id);
}

/** Whether a Q&A takes questions and votes: open, and the story not closed. */
export function qaTakesQuestions(story: Story, site: Site): boolean {
  return (
    story.mode === 'qa' &&
    story.qaOpen &&
    !storyIsClosed(
      { closed: story.closed, openedAt: story.publishedAt ?? story.createdAt },
      site.moderation,
      new Date(),
    )
  );
}

/**
 * What posting on a Q&A story adds to the ordinary checks (called by postComment): a closed Q&A
 * takes no new questions, and replies under it only from those who answer.
 */
export async function checkQaPost(
  store: Store,
  input: { story: Story; site: Site; author: User; parentId: string | null },
): Promise<void> {
  const { story, site, author } = input;
  if (story.mode !== 'qa' || qaTakesQuestions(story, site)) return;
  if (input.parentId !== null && (await isAnswerer(store, story, author))) return;
  throw new ParleyError(
    'QA_CLOSED',
    'This Q&A is closed: it takes no new questions, but its answers stay readable.',
  );
}

async function requireStoryInScope(
  deps: QaDeps,
  moderator: Moderator,
  storyId: string,
): Promise<{ story: Story; site: Site }> {
  const story = await getStory(deps.store.db, storyId);
  const site =
    story && inScope(moderator.scope, story.siteId) && (await deps.sites.get(story.siteId));
  if (!story || !site) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
  return { story, site };
}

export interface ExpertChoice {
  id: string;
  title?: string | undefined;
}

/**
 * Switches a story to Q&A (or back to comments), opens or closes it, and names its experts (the
 * site's staff). Each change is written to the audit log with the switch.
 */
export async function configureStoryQa(
  deps: QaDeps,
  moderator: Moderator,
  storyId: string,
  change: { enabled: boolean; open?: boolean | undefined; experts?: ExpertChoice[] | undefined },
): Promise<Story> {
  const { site } = await requireStoryInScope(deps, moderator, storyId);
  let experts: { userId: string; title: string | null }[] | undefined;
  if (change.experts) {
    const unique = new Map<string, string | null>();
    for (const e of change.experts) unique.set(e.id, e.title?.trim() || null);
    if (unique.size > MAX_EXPERTS) {
      throw new ParleyError('VALIDATION_FAILED', `Name at most ${MAX_EXPERTS} experts.`);
    }
    experts = [];
    for (const [id, title] of unique) {
      const user = await getUser(deps.store.db, id);
      if (!user || !answersForSite(user, site.id)) {
        throw new ParleyError(
          'VALIDATION_FAILED',
          `Experts are the site's staff, journalists or moderators (not banned); ${id} is not one of them.`,
        );
      }
      experts.push({ userId: id, title });
    }
  }
  await deps.store.db.transaction().execute(async (trx) => {
    const before = await lockStoryQa(trx, storyId);
    if (!before) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
    const after = {
      mode: change.enabled ? ('qa' as const) : ('comments' as const),
      open: change.open ?? before.open,
    };
    if (after.mode !== before.mode || after.open !== before.open) {
      await writeStoryQa(trx, storyId, after);
      await auditSiteChange(trx, {
        actorId: moderator.user.id,
        action: 'story.qa',
        siteId: before.siteId,
        before: { storyId, mode: before.mode, open: before.open },
        after: { storyId, ...after },
      });
    }
    if (experts) {
      const was = await readStoryExperts(trx, storyId);
      await replaceStoryExperts(trx, storyId, experts);
      const same =
        was.length === experts.length &&
        was.every((e, i) => e.id === experts[i]?.userId && e.title === experts[i]?.title);
      if (!same) {
        await auditSiteChange(trx, {
          actorId: moderator.user.id,
          action: 'story.experts',
          siteId: before.siteId,
          before: { storyId, experts: was.map((e) => ({ id: e.id, title: e.title })) },
          after: { storyId, experts: experts.map((e) => ({ id: e.userId, title: e.title })) },
        });
      }
    }
  });
  deps.storyChanged(storyId);
  const story = await getStory(deps.store.db, storyId);
  if (!story) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
  return story;
}

/** Normalises a site's Q&A sections: trimmed, case kept, no duplicates, none empty. */
export function cleanSections(sections: string[]): string[] {
  const clean = [...new Set(sections.map((s) => s.trim()).filter((s) => s !== ''))];
  if (clean.length > MAX_QA_SECTIONS) {
    throw new ParleyError('VALIDATION_FAILED', `Name at most ${MAX_QA_SECTIONS} sections.`);
  }
  return clean.sort();
}

/** Sets the sections whose new stories start as Q&A (admins). */
export async function setQaSections(
  deps: QaDeps,
  admin: User,
  siteId: string,
  sections: string[],
): Promise<string[]> {
  const site = await deps.sites.get(siteId);
  if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  const after = cleanSections(sections);
  await deps.store.db.transaction().execute(async (trx) => {
    const before = await readQaSections(trx, siteId);
    await replaceQaSections(trx, siteId, after);
    if (before.join('\n') !== after.join('\n')) {
      await auditSiteChange(trx, {
        actorId: admin.id,
        action: 'site.qa_sections',
        siteId,
        before: { sections: before },
        after: { sections: after },
      });
    }
  });
  return after;
}

/** A question of a Q&A story that a reader may see, with its story and site. */
async function requireQuestion(
  deps: QaDeps,
  commentId: string,
): Promise<{ question: CommentRecord; story: Story; site: Site }> {
  const question = await getComment(deps.store.db, commentId);
  if (!question || question.status !== 'approved' || question.deletedAt !== null) {
    throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
  }
  const story = await getStory(deps.store.db, question.storyId);
  const site = story && (await deps.sites.get(story.siteId));
  if (!story || !site) throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
  if (story.mode !== 'qa' || question.parentId !== null) {
    throw new ParleyError('NOT_A_QUESTION', 'Only the questions of a Q&A take votes.');
  }
  return { question, story, site };
}

/**
 * Gives or takes back a reader's vote for a question ("I want to know too"). Idempotent; not on
 * one's own question, not on a closed Q&A. Open pages are told the new count.
 */
export async function voteOnQuestion(
  deps: QaDeps,
  input: { commentId: string; viewer: User; voted: boolean },
): Promise<{ votes: number; voted: boolean }> {
  const { viewer, voted } = input;
  const { question, story, site } = await requireQuestion(deps, input.commentId);
  if (voted && question.authorId === viewer.id) {
    throw new ParleyError('OWN_QUESTION_VOTE', 'You cannot vote for your own question.');
  }
  if (!qaTakesQuestions(story, site)) {
    throw new ParleyError('QA_CLOSED', 'This Q&A is closed: it takes no more votes.');
  }
  if (isBannedOn(viewer, site.id)) {
    throw new ParleyError('AUTHOR_BANNED', 'You are banned from this site.');
  }
  const { votes, events } = await deps.store.db.transaction().execute(async (trx) => {
    const result = await setQuestionVote(trx, question.id, viewer.id, voted);
    const recorded = result.changed
      ? await appendLiveEvents(trx, story.id, [
          {
            siteId: story.siteId,
            kind: 'qa.votes',
            audience: EVERYONE,
            authorId: question.authorId,
            commentId: question.id,
            data: JSON.stringify({ questionId: question.id, votes: result.votes }),
          },
        ])
      : [];
    return { votes: result.votes, events: recorded };
  });
  if (events.length > 0) {
    publishLive(deps.store, events);
    deps.storyChanged(story.id);
  }
  return { votes, voted };
}

/**
 * An expert says they are answering a question: every open page of the story shows "now
 * answering". Transient: published on the bus, not written to the event log nor replayed.
 */
export async function announceAnswering(
  deps: QaDeps,
  input: { storyId: string; questionId: string; viewer: User },
): Promise<void> {
  const story = await getStory(deps.store.db, input.storyId);
  if (!story) throw new ParleyError('STORY_NOT_FOUND', 'That story does not exist.');
  if (story.mode !== 'qa') {
    throw new ParleyError('NOT_A_QA_STORY', 'This story is not a Q&A.');
  }
  if (!(await isAnswerer(deps.store, story, input.viewer))) {
    throw new ParleyError('NOT_AN_EXPERT', "Only the story's experts and staff answer questions.");
  }
  const { question } = await requireQuestion(deps, input.questionId);
  if (question.storyId !== story.id) {
    throw new ParleyError('COMMENT_NOT_FOUND', 'That question is not on this story.');
  }
  const event: LiveEvent = {
    storyId: story.id,
    seq: 0,
    siteId: story.siteId,
    kind: 'qa.answering',
    audience: EVERYONE,
    authorId: input.viewer.id,
    commentId: question.id,
    data: JSON.stringify({
      questionId: question.id,
      expert: { id: input.viewer.id, displayName: input.viewer.displayName },
    }),
    createdAt: new Date().toISOString(),
  };
  await busOf(deps.store)?.publish(event);
}

// ---------------------------------------------------------------------------------------------
// Reading the tabs

/** A page of a tab as every reader sees it (cached); viewer marks are laid over per request. */
export interface QuestionsPage {
  questions: { comment: CommentRecord; votes: number; answers: CommentRecord[] }[];
  /**
   * The authors of the page's answers who answer for the site now: their answers carry the
   * expert's badge. An answer stays an answer when its author is demoted, banned or erased, but
   * loses the badge.
   */
  answerers: string[];
  nextCursor: string | null;
}

export function encodeQuestionCursor(cursor: QuestionCursor): string {
  return Buffer.from(JSON.stringify([cursor.tab, cursor.key, cursor.id])).toString('base64url');
}

const ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function decodeQuestionCursor(text: string, tab: QuestionTab): QuestionCursor {
  const invalid = () =>
    new ParleyError('INVALID_CURSOR', 'The cursor is not valid for this tab of questions.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [t, key, id] = parsed as unknown[];
  if (t !== tab || typeof id !== 'string' || !ID.test(id)) throw invalid();
  if (typeof key !== 'number' || !Number.isSafeInteger(key) || key < 0) throw invalid();
  if (tab === 'unanswered' && key > 2 ** 31) throw invalid();
  if (tab === 'answered' && key > 8.64e15) throw invalid();
  return { tab, key, id };
}

export async function readQuestions(
  store: Store,
  input: { story: Story; tab: QuestionTab; cursor: string | undefined; limit: number },
): Promise<QuestionsPage> {
  const { story, tab, limit } = input;
  if (story.mode !== 'qa') throw new ParleyError('NOT_A_QA_STORY', 'This story is not a Q&A.');
  const cursor = input.cursor ? decodeQuestionCursor(input.cursor, tab) : null;
  const page = await listQuestions(store.db, { storyId: story.id, tab, cursor, limit });
  const answers = await listAnswers(
    store.db,
    page.questions.map((q) => q.comment.id),
  );
  const authors = [...answers.values()].flatMap((list) => list.map((a) => a.authorId));
  const answerers = await readAnswerers(store.db, story.siteId, authors);
  return {
    questions: page.questions.map((q) => ({
      comment: q.comment,
      votes: q.votes,
      answers: answers.get(q.comment.id) ?? [],
    })),
    answerers: [...answerers],
    nextCursor: page.next ? encodeQuestionCursor(page.next) : null,
  };
}

/** A signed-in reader's marks on a page: reactions, reports and votes. */
export async function readQuestionMarks(
  store: Store,
  viewer: User,
  page: QuestionsPage,
): Promise<{ marks: ViewerMarks; voted: Set<string> }> {
  const questionIds = page.questions.map((q) => q.comment.id);
  const ids = [...questionIds, ...page.questions.flatMap((q) => q.answers.map((a) => a.id))];
  const [marks, voted] = await Promise.all([
    viewerMarks(store.db, viewer.id, ids),
    readViewerVotes(store.db, viewer.id, questionIds),
  ]);
  return { marks, voted };
}
