/**
 * The Digital Services Act in the moderation views (docs/dsa.md): a comment's notices of illegal
 * content (the legal ground and explanation the notifier gave, and who they are if they said) and
 * its author's appeal, on the card; and, in the details, the review of an open appeal by a
 * moderator who did not make the decision (the server refuses the one who did, and so does this
 * form): uphold, or reverse and publish the comment, with an explanation the author is told.
 * Everything readers wrote is shown as text.
 */
import { useState } from 'preact/hooks';
import { describeError } from '../api/client.js';
import type { AppealOutcome } from '../api/dsa.js';
import type { ModerationItem } from '../api/types.js';
import { useDashboard } from './context.js';
import { formatDateTime, formatRelative } from './format.js';

const APPEAL_STATES = {
  open: 'waiting for review',
  upheld: 'upheld',
  reversed: 'reversed',
  moot: 'closed: the decision no longer stands',
};

export function DsaFindings({ item }: { readonly item: ModerationItem }) {
  const notices = item.comment.illegalNotices ?? [];
  const appeal = item.comment.appeal;
  if (notices.length === 0 && !appeal) return null;
  return (
    <>
      {notices.length > 0 && (
        <div class="dsa-notices" data-dsa="notices">
          <p>
            <strong>
              {notices.length === 1
                ? 'Reported as illegal content'
                : `Reported as illegal content ${notices.length} times`}
            </strong>
          </p>
          <ul>
            {notices.map((notice, index) => (
              <li key={index}>
                <p>
                  Legal ground:{' '}
                  <strong dir="auto" data-dsa="legal-ground">
                    {notice.legalGround}
                  </strong>
                </p>
                <p dir="auto" data-dsa="explanation">
                  {notice.explanation}
                </p>
                <p class="muted">
                  {notice.reporterName || notice.reporterEmail ? (
                    <>
                      From <span dir="auto">{notice.reporterName ?? ''}</span>
                      {notice.reporterEmail && <> &lt;{notice.reporterEmail}&gt;</>}
                    </>
                  ) : notice.contactGiven ? (
                    'The notifier gave contact details (shown to admins)'
                  ) : (
                    'The notifier gave no name'
                  )}
                  {notice.goodFaith && ' · stated in good faith'} ·{' '}
                  <time dateTime={notice.createdAt} title={formatDateTime(notice.createdAt)}>
                    {formatRelative(notice.createdAt)}
                  </time>
                </p>
              </li>
            ))}
          </ul>
        </div>
      )}
      {appeal && (
        <div class="dsa-appeal" data-dsa="appeal">
          <p>
            <strong>Appeal by the author</strong>{' '}
            <span class="muted">
              ({APPEAL_STATES[appeal.state]},{' '}
              <time dateTime={appeal.createdAt} title={formatDateTime(appeal.createdAt)}>
                {formatRelative(appeal.createdAt)}
              </time>
              )
            </span>
          </p>
          <p dir="auto" data-dsa="appeal-text">
            {appeal.text}
          </p>
          {appeal.reviewNote && (
            <p class="muted">
              Reviewer’s explanation: <span dir="auto">{appeal.reviewNote}</span>
            </p>
          )}
        </div>
      )}
    </>
  );
}

/** The review of an open appeal, in the details of the selected comment. */
export function AppealReview({ item }: { readonly item: ModerationItem }) {
  const { api, me, announce } = useDashboard();
  const appeal = item.comment.appeal;
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [decided, setDecided] = useState<AppealOutcome | null>(null);
  if (!appeal || appeal.state !== 'open') return null;
  const own = appeal.decidedBy === me.user.id;

  const decide = async (outcome: AppealOutcome) => {
    setBusy(true);
    setError(null);
    try {
      await api.decideAppeal(appeal.id, outcome, note.trim());
      setDecided(outcome);
      announce(
        outcome === 'reversed'
          ? 'Appeal decided: decision reversed, the comment is published again.'
          : 'Appeal decided: the decision stands.',
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="appeal-title" data-dsa="review">
      <h2 id="appeal-title" class="panel-title">
        Review the appeal
      </h2>
      {decided ? (
        <p role="status">
          {decided === 'reversed'
            ? 'Decision reversed: the comment is published again, and its author told why.'
            : 'Decision upheld: its author is told why.'}
        </p>
      ) : own ? (
        <p class="muted">
          You made the decision appealed: another moderator must review the appeal.
        </p>
      ) : (
        <form onSubmit={(event) => event.preventDefault()}>
          <label class="field-label" for={`appeal-note-${appeal.id}`}>
            Your explanation (the author reads it)
          </label>
          <textarea
            id={`appeal-note-${appeal.id}`}
            rows={3}
            maxLength={5000}
            value={note}
            onInput={(event) => setNote(event.currentTarget.value)}
          />
          <div class="action-grid">
            <button
              type="button"
              class="btn"
              disabled={busy || !note.trim()}
              onClick={() => void decide('upheld')}
            >
              Uphold the decision
            </button>
            <button
              type="button"
              class="btn btn-approve"
              disabled={busy || !note.trim()}
              onClick={() => void decide('reversed')}
            >
              Reverse and publish
            </button>
          </div>
        </form>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
