/**
 * Runs new and edited comments through the moderation pipeline: gathers what the phases need
 * (the site's settings and compiled word list, the author's standing and recent activity), runs
 * them, and turns the outcome into a status to store or an error for the author.
 */
import { ParleyError } from '../domain/errors.ts';
import { idFloor } from '../domain/ids.ts';
import { moderate } from '../domain/moderation/pipeline.ts';
import { moderationPhases, type PhaseDependencies } from '../domain/moderation/phases/index.ts';
import type { Phase } from '../domain/moderation/types.ts';
import {
  compileWordList,
  type WordListEntry,
  type WordListMatcher,
} from '../domain/moderation/word-list.ts';
import type { StoredModeration } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import { isBannedOn, pendingWarning, type Site, type Story, type User } from '../store/rows.ts';

export interface Assessment {
  status: 'approved' | 'pending' | 'rejected';
  moderation: StoredModeration;
}

export class CommentModerator {
  private readonly phases: Phase[];
  /**
   * Compiled word lists by site. The site directory re-reads sites every 30 s, which makes new
   * settings objects with the same lists; recompiling 2,000 terms takes ~18 ms, so a new object is
   * compared by content before compiling again.
   */
  private readonly words = new Map<
    string,
    { list: WordListEntry[]; json: string; matcher: WordListMatcher }
  >();

  constructor(
    private readonly store: Store,
    dependencies: PhaseDependencies = {},
  ) {
    this.phases = moderationPhases(dependencies);
  }

  private wordsFor(site: Site): WordListMatcher | undefined {
    const list = site.moderation.wordList;
    if (list.length === 0) return undefined;
    const cached = this.words.get(site.id);
    if (cached?.list === list) return cached.matcher;
    const json = JSON.stringify(list);
    if (cached?.json === json) {
      cached.list = list;
      return cached.matcher;
    }
    const matcher = compileWordList(list);
    this.words.set(site.id, { list, json, matcher });
    return matcher;
  }

  /**
   * Assesses a comment's text. Throws the refusal (story closed, author banned, duplicate...)
   * as a ParleyError: such comments are not stored at all.
   */
  async assess(input: {
    site: Site;
    story: Story;
    author: User;
    body: string;
    html: string;
    /** The comment being edited, or null for a new one. */
    commentId: string | null;
    now?: Date;
  }): Promise<Assessment> {
    const now = input.now ?? new Date();
    const { site, author } = input;
    const settings = site.moderation;
    const [history, approvedCount] = await Promise.all([
      this.history(author.id, input.body, input.commentId, settings.repeatWindowSeconds, now),
      this.approvedCount(author.id, settings.premoderateNewCommenters),
    ]);
    const outcome = await moderate(this.phases, {
      body: input.body,
      html: input.html,
      settings,
      story: {
        closed: input.story.closed,
        premoderated: input.story.premoderated,
        openedAt: input.story.publishedAt ?? input.story.createdAt,
      },
      author: {
        role: author.role,
        banned: isBannedOn(author, site.id),
        suspendedUntil: author.restrictions.suspendedUntil,
        alwaysPremoderate: author.restrictions.alwaysPremoderate,
        unacknowledgedWarning: pendingWarning(author),
        approvedCount,
      },
      history,
      now,
      words: this.wordsFor(site),
      context: {
        siteId: site.id,
        storyId: input.story.id,
        commentId: input.commentId,
        authorId: author.id,
      },
    });
    if (outcome.refuse) throw new ParleyError(outcome.refuse.code, outcome.refuse.message);
    return {
      status: outcome.decision,
      moderation: {
        decidedBy: outcome.decidedBy,
        reasons: outcome.reasons,
        scores: outcome.scores,
        tags: outcome.tags,
        ...(outcome.highlights.length > 0 && { highlights: outcome.highlights }),
      },
    };
  }

  /** The author's recent comments: same text within the repeat window, and posts in the last minute. */
  private async history(
    authorId: string,
    body: string,
    commentId: string | null,
    windowSeconds: number,
    now: Date,
  ): Promise<{ sameBodyWithinWindow: number; postsLastMinute: number }> {
    const since = Math.min(now.getTime() - windowSeconds * 1000, now.getTime() - 60_000);
    // Range scan on (author_id, id): ids are time-ordered. Capped: a flood needs no exact count.
    const recent = await this.store.db
      .selectFrom('comments')
      .select(['id', 'body'])
      .where('author_id', '=', authorId)
      .where('id', '>=', idFloor(since))
      .where('status', '!=', 'deleted')
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    const windowFloor = idFloor(now.getTime() - windowSeconds * 1000);
    const minuteFloor = idFloor(now.getTime() - 60_000);
    const normalised = body.trim();
    return {
      sameBodyWithinWindow: recent.filter(
        (c) => c.id !== commentId && c.id >= windowFloor && c.body.trim() === normalised,
      ).length,
      postsLastMinute: commentId ? 0 : recent.filter((c) => c.id >= minuteFloor).length,
    };
  }

  /** Approved comments by the author, counted up to `enough` (all pre-moderation needs to know). */
  private async approvedCount(authorId: string, enough: number): Promise<number> {
    if (enough === 0) return 0;
    const rows = await this.store.db
      .selectFrom('comments')
      .select('id')
      .where('author_id', '=', authorId)
      .where('status', '=', 'approved')
      .limit(enough)
      .execute();
    return rows.length;
  }
}
