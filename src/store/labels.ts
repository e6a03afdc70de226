/**
 * Moderators' verdicts as labelled examples: every approve or reject a person made (and did not
 * undo), with the comment's text as it is now and what the classifier said when it was posted, so
 * that a publisher can retrain the classifier on its own readers' comments.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

/** What a rejection reason says about the text, in the classifier's terms. */
const LABEL_OF_REASON: Record<string, string> = {
  ABUSE: 'toxicity',
  HATE: 'identity_attack',
  THREAT: 'threat',
  SPAM: 'spam',
};

export interface LabelledExample {
  commentId: string;
  siteId: string;
  text: string;
  /** "ok" (approved), a classifier label (toxicity, identity_attack, threat, spam) or "other". */
  label: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  decidedAt: string;
  /** The classifier's scores when the comment was posted or last edited ({} if not scored). */
  scores: Record<string, number>;
  model: string | null;
  language: string | null;
}

/**
 * Pages through people's decisions in time order (keyset on the action id) and yields, per page,
 * the examples whose comments still have text. A comment decided twice appears twice, in order:
 * the later decision is the one that stands.
 */
export async function* labelledExamples(
  db: Db,
  options: { siteId?: string; since?: Date; scoredOnly: boolean; batch?: number },
): AsyncGenerator<LabelledExample[]> {
  let after = '';
  const batch = options.batch ?? 500;
  for (;;) {
    let q = db
      .selectFrom('moderation_actions as a')
      .innerJoin('comments as c', 'c.id', 'a.comment_id')
      .select([
        'a.id as action_id',
        'a.action',
        'a.reason',
        'a.created_at',
        'c.id',
        'c.site_id',
        'c.body',
        'c.moderation',
        'c.deleted_at',
        'c.edited_at',
      ])
      .where('a.action', 'in', ['comment.approve', 'comment.reject'])
      .where('a.actor_id', 'is not', null)
      .where('a.undone_at', 'is', null)
      .where('a.id', '>', after);
    if (options.siteId) q = q.where('a.site_id', '=', options.siteId);
    if (options.since) q = q.where('a.created_at', '>=', options.since.toISOString());
    const rows = await q.orderBy('a.id').limit(batch).execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.action_id ?? after;
    const examples: LabelledExample[] = [];
    for (const row of rows) {
      if (row.deleted_at !== null || row.body === '') continue;
      // Edited after the decision: the text is not what the moderator judged.
      if (row.edited_at !== null && toIso(row.edited_at) > toIso(row.created_at)) continue;
      const moderation = JSON.parse(row.moderation) as {
        scores?: Record<string, number>;
        tags?: string[];
      };
      const scores = moderation.scores ?? {};
      if (options.scoredOnly && typeof scores.toxicity !== 'number') continue;
      const tag = (prefix: string) =>
        moderation.tags?.find((t) => t.startsWith(prefix))?.slice(prefix.length) ?? null;
      const decision = row.action === 'comment.approve' ? 'approve' : 'reject';
      examples.push({
        commentId: row.id,
        siteId: row.site_id,
        text: row.body,
        label: decision === 'approve' ? 'ok' : (LABEL_OF_REASON[row.reason ?? ''] ?? 'other'),
        decision,
        reason: row.reason,
        decidedAt: toIso(row.created_at),
        scores,
        model: tag('model:'),
        language: tag('lang:'),
      });
    }
    yield examples;
    if (rows.length < batch) return;
  }
}
