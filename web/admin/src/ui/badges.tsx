/** Small labels: an author's standing, a comment's status, the pipeline's scores. */
import { CLASSIFIER_LABELS, type CommentStatus, type ModerationUser } from '../api/types.js';
import { formatDateTime, humanise, scoreLabel } from './format.js';

/** Whether an account has anything against it (ban, suspension, pre-moderation, a warning). */
export function hasStanding(user: ModerationUser): boolean {
  const suspended =
    user.suspendedUntil !== null && new Date(user.suspendedUntil).getTime() > Date.now();
  return user.banned || suspended || user.alwaysPremoderate || user.warning !== null;
}

export function AuthorBadges({
  user,
  role = true,
}: {
  readonly user: ModerationUser;
  /** Show a badge for staff, moderators and admins (off where the role has its own column). */
  readonly role?: boolean;
}) {
  const suspended =
    user.suspendedUntil !== null && new Date(user.suspendedUntil).getTime() > Date.now();
  return (
    <>
      {role && user.role !== 'commenter' && (
        <span class="badge badge-role">{humanise(user.role)}</span>
      )}
      {user.banned && <span class="badge badge-danger">Banned</span>}
      {suspended && user.suspendedUntil && (
        <span class="badge badge-warn" title={`Until ${formatDateTime(user.suspendedUntil)}`}>
          Suspended
        </span>
      )}
      {user.alwaysPremoderate && (
        <span class="badge badge-info" title="Every comment is held for a moderator">
          Pre-moderated
        </span>
      )}
      {user.warning && (
        <span
          class="badge badge-caution"
          title={`${user.warning.acknowledged ? 'Acknowledged' : 'Not yet acknowledged'}: ${user.warning.message}`}
        >
          Warned{user.warning.acknowledged ? '' : ' · unread'}
        </span>
      )}
    </>
  );
}

const STATUS_CLASS: Record<CommentStatus, string> = {
  approved: 'status status-approved',
  pending: 'status status-pending',
  rejected: 'status status-rejected',
  deleted: 'status status-deleted',
};

export function StatusBadge({ status }: { readonly status: CommentStatus }) {
  return <span class={STATUS_CLASS[status]}>{humanise(status)}</span>;
}

/**
 * The classifier's scores, every label in this order (the most useful first, "—" for one a
 * comment was not scored on); any others follow.
 */
export const SCORE_ORDER: readonly string[] = CLASSIFIER_LABELS;

const level = (score: number) => (score >= 0.8 ? 'high' : score >= 0.5 ? 'mid' : 'low');

export function ScoreBars({ scores }: { readonly scores: Readonly<Record<string, number>> }) {
  const names = [
    ...SCORE_ORDER,
    ...Object.keys(scores)
      .filter((name) => !SCORE_ORDER.includes(name))
      .sort(),
  ];
  if (Object.keys(scores).length === 0) return null;
  return (
    <dl class="scores" aria-label="Classifier scores">
      {names.map((name) => {
        const value = scores[name];
        const known = typeof value === 'number' && Number.isFinite(value);
        const clamped = known ? Math.min(1, Math.max(0, value)) : 0;
        return (
          <div key={name} class="score">
            <dt class="score-name" title={scoreLabel(name)}>
              {scoreLabel(name)}
            </dt>
            <dd class={known ? `score-number score-text-${level(clamped)}` : 'score-number'}>
              {known ? clamped.toFixed(2) : '—'}
            </dd>
            <dd class="score-bar-cell" aria-hidden="true">
              <svg class="score-bar" viewBox="0 0 100 4" preserveAspectRatio="none">
                <rect class="score-track" x="0" y="0" width="100" height="4" />
                {known && (
                  <rect
                    class={`score-fill score-${level(clamped)}`}
                    x="0"
                    y="0"
                    width={Math.max(clamped * 100, 1.5)}
                    height="4"
                  />
                )}
              </svg>
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
