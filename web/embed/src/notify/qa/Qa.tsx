/**
 * A Q&A story's thread (docs/qa.md), rendered in place of the comments (Slot "qa") for every
 * reader: the story's experts, the form to ask a question (or the note that the Q&A is closed),
 * the tabs "Answered" and "Unanswered", and the questions of the chosen tab. Each question has
 * "I want to know too" (not on one's own, disabled once closed; a signed-out reader is asked to
 * sign in), its answers with the expert's badge and title, and for an expert or the site's staff
 * (also once the Q&A is closed) the "Answer" form, which tells the server (and so the story's
 * readers, "Now answering: …") while it is open. The story stream's Q&A events (qa.answering,
 * qa.answered, qa.votes) are heard on the widget's own stream (Features.source); new questions of
 * others come through the thread's "new comments" count.
 */
import { useEffect, useId, useMemo, useState } from 'preact/hooks';
import type { CommentData, Story } from '../../api/types.js';
import { STREAM } from '../../state/features.js';
import { useStoreValue } from '../../state/use-store-value.js';
import { Avatar } from '../../ui/Avatar.js';
import { CommentMeta } from '../../ui/CommentMeta.js';
import { RelativeTime } from '../../ui/RelativeTime.js';
import { WidgetContext, commentSelector } from '../../ui/widget-context.js';
import { SESSION, useNotify } from '../shared.js';
import { ErrorText, useTask } from '../ui/common.js';
import { CommentForm } from '../ui/CommentForm.js';
import { fill } from '../words.js';
import { qaApi } from './api.js';
import type { Expert, QaAnswer, QaTab } from './api.js';
import { LISTS, QaStore } from './store.js';

/** The thread store's keys (symbols of embed.js), given by the slot that mounts the feature. */
export interface QaProps {
  readonly story: unknown;
  readonly fresh: unknown;
}

/** While the answer form is open, the server is told again this often (it shows ANSWERING_MS). */
const ANSWERING_AGAIN_MS = 45_000;
const TABS: readonly QaTab[] = ['answered', 'unanswered'];
/** The story stream's Q&A events. */
const EVENTS = ['qa.answering', 'qa.answered', 'qa.votes'] as const;

export function Qa({ story: storyKey, fresh: newKey }: QaProps) {
  const notify = useNotify();
  const { host } = notify;
  const { store: thread, session, features } = host;
  const story = useStoreValue(thread, storyKey, () => thread.story as Story);
  const user = useStoreValue(session, SESSION, () => session.user);
  const qa = useMemo(() => new QaStore(qaApi(host.api), story.id), [story.id]);
  const opening = useTask();

  useEffect(() => {
    void opening.run(() => qa.open());
    return () => qa.dispose();
  }, [qa]);

  // Another viewer sees their own marks (voted, own questions).
  const viewerId = user && user.id;
  const [firstViewer] = useState(viewerId);
  useEffect(() => {
    if (viewerId === firstViewer) return;
    void Promise.all(TABS.map((tab) => qa.reload(tab))).catch(() => undefined);
  }, [viewerId]);

  // Listens on the story's stream, and again on each stream opened after it.
  useEffect(() => {
    let source: EventSource | null = null;
    const listener = (event: Event) => {
      try {
        hear(event.type, JSON.parse((event as MessageEvent<string>).data));
      } catch {
        // An event this version does not understand changes nothing.
      }
    };
    const follow = () => {
      EVENTS.forEach((name) => source && source.removeEventListener(name, listener));
      source = features.source;
      EVENTS.forEach((name) => source && source.addEventListener(name, listener));
    };
    follow();
    const unsubscribe = features.subscribe(STREAM, follow);
    return () => {
      unsubscribe();
      EVENTS.forEach((name) => source && source.removeEventListener(name, listener));
    };
  }, [qa]);
  const hear = (name: string, data: unknown) => {
    if (name === 'qa.answering') {
      const { questionId, expert } = data as {
        questionId: string;
        expert: { id: string; displayName: string };
      };
      if (expert.id !== (session.user && session.user.id))
        qa.startAnswering(questionId, { expertId: expert.id, name: expert.displayName });
    } else if (name === 'qa.answered') {
      const { questionId, answer } = data as { questionId: string; answer: QaAnswer };
      const known = qa.question(questionId);
      qa.answered(questionId, answer);
      if (known && !known.answers.length) host.announcer.announce(notify.t.qa.arrived);
    } else if (name === 'qa.votes') {
      const { questionId, votes } = data as { questionId: string; votes: number };
      qa.votes(questionId, votes);
    }
  };

  const closed = story.closed || !story.qa || !story.qa.open;
  const experts = (story.qa && story.qa.experts) || [];
  // The newsroom may still answer once the Q&A is closed (docs/qa.md); readers only read.
  const canAnswer =
    !!user && (user.role !== 'commenter' || experts.some(({ id }) => id === user.id));
  const context: QaContext = { qa, story, experts, closed, canAnswer };

  return (
    <WidgetContext.Provider value={host}>
      <div class="qa" part="qa">
        <Experts experts={experts} />
        {closed ? (
          <p class="note qa-closed" role="note">
            {notify.t.qa.closed}
          </p>
        ) : (
          user && <Ask qa={qa} />
        )}
        <ErrorText message={opening.error} />
        <Tabs qa={qa} newKey={newKey} context={context} />
      </div>
    </WidgetContext.Provider>
  );
}

interface QaContext {
  readonly qa: QaStore;
  readonly story: Story;
  readonly experts: readonly Expert[];
  readonly closed: boolean;
  readonly canAnswer: boolean;
}

function Experts({ experts }: { experts: readonly Expert[] }) {
  const { t } = useNotify();
  if (experts.length === 0) return null;
  return (
    <div class="qa-experts">
      <span>{t.qa.experts}</span>
      <ul>
        {experts.map((expert) => (
          <li key={expert.id}>
            <Avatar author={{ ...expert, role: 'staff', badges: [] }} />
            <span class="author" dir="auto">
              {expert.displayName}
            </span>
            {expert.title && (
              <span class="qa-title" dir="auto">
                {expert.title}
              </span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Ask({ qa }: { qa: QaStore }) {
  const { t, host } = useNotify();
  const ask = async (body: string, postAnyway: boolean) => {
    const comment = await host.thread.post(body, undefined, postAnyway);
    qa.asked(comment);
    host.announcer.announce(comment.status === 'pending' ? t.qa.askedPending : t.qa.asked);
    host.focus(commentSelector(comment.id));
  };
  return (
    <CommentForm
      className="composer"
      label={t.qa.yourQuestion}
      submitLabel={t.qa.ask}
      onSubmit={ask}
    />
  );
}

function Tabs({ qa, newKey, context }: { qa: QaStore; newKey: unknown; context: QaContext }) {
  const { t, host } = useNotify();
  const lists = useStoreValue(qa, LISTS, () => qa.lists);
  const tab = useStoreValue(qa, LISTS, () => qa.tab);
  const { busy, error, run } = useTask();
  const more = useTask();
  const id = useId();
  const ready = useStoreValue(qa, LISTS, () => qa.ready);
  const list = lists[tab];

  const choose = (next: QaTab) => {
    if (next !== tab) void run(() => qa.select(next));
  };

  if (!ready)
    return (
      <p class="note" role="status">
        {t.loading}
      </p>
    );
  return (
    <>
      <div class="toolbar" part="toolbar" aria-busy={busy || undefined}>
        <div
          role="tablist"
          part="tabs"
          aria-label={t.qa.tabs}
          onKeyDown={(event) => {
            if (!/^Arrow(Left|Right)$/.test(event.key)) return;
            const next = tab === 'answered' ? 'unanswered' : 'answered';
            choose(next);
            host.focus(`#${CSS.escape(`${id}-${next}`)}`);
          }}
        >
          {TABS.map((name) => (
            <button
              key={name}
              type="button"
              role="tab"
              part="tab"
              id={`${id}-${name}`}
              data-tab={name}
              aria-selected={name === tab}
              aria-controls={`${id}-panel`}
              tabIndex={name === tab ? 0 : -1}
              onClick={() => choose(name)}
            >
              {t.qa[name]}
            </button>
          ))}
        </div>
      </div>
      <div
        id={`${id}-panel`}
        class="qa-panel"
        role="tabpanel"
        aria-labelledby={`${id}-${tab}`}
        data-tab={tab}
      >
        <ErrorText message={error} />
        <NewQuestions qa={qa} newKey={newKey} />
        {list.loaded && list.ids.length === 0 ? (
          <p class="note">{tab === 'answered' ? t.qa.noAnswered : t.qa.noUnanswered}</p>
        ) : (
          <ol class="thread qa-questions" part="thread">
            {list.ids.map((questionId) => (
              <QuestionItem key={questionId} id={questionId} context={context} />
            ))}
          </ol>
        )}
        <ErrorText message={more.error} />
        {list.nextCursor && (
          <button
            type="button"
            class="more"
            part="button"
            aria-disabled={more.busy || undefined}
            onClick={() => void more.run(() => qa.more())}
          >
            {t.qa.more}
          </button>
        )}
      </div>
    </>
  );
}

/** Questions of others asked since the page opened (the thread's count of new comments). */
function NewQuestions({ qa, newKey }: { qa: QaStore; newKey: unknown }) {
  const { t, host } = useNotify();
  const { store } = host;
  const count = useStoreValue(store, newKey, () => store.newCount);
  const { busy, error, run } = useTask();
  if (count === 0) return null;
  return (
    <div class="fresh">
      <button
        type="button"
        aria-disabled={busy || undefined}
        onClick={() =>
          void run(async () => {
            store.revealNew();
            await qa.select('unanswered');
          })
        }
      >
        {t.qa.newQuestions(count)}
      </button>
      <ErrorText message={error} />
    </div>
  );
}

function QuestionItem({ id, context }: { id: string; context: QaContext }) {
  const { t, host } = useNotify();
  const { qa, closed, canAnswer, experts } = context;
  const question = useStoreValue(qa, id, () => qa.question(id));
  const answering = useStoreValue(qa, id, () => qa.answering(id));
  const [answerOpen, setAnswerOpen] = useState(false);
  const voting = useTask();
  if (!question) return null;
  const { votes, answers, viewer } = question;
  const voted = viewer.voted;

  const vote = () => {
    if (!host.session.user) host.requestSignIn();
    else void voting.run(() => qa.vote(id, !voted));
  };

  return (
    <li>
      <article
        class={`comment qa-question is-${question.status}`}
        part="comment"
        data-comment-id={id}
        tabIndex={-1}
        aria-label={question.author ? host.t.commentBy(question.author.displayName) : undefined}
      >
        <CommentMeta comment={question} />
        <div
          class="body"
          part="comment-body"
          dir="auto"
          dangerouslySetInnerHTML={{ __html: question.html }}
        />
        <div class="actions qa-actions">
          {!viewer.own && (
            <button
              type="button"
              class="qa-vote"
              data-action="vote"
              aria-pressed={voted}
              disabled={closed || voting.busy}
              onClick={vote}
            >
              {t.qa.wantToKnow}
            </button>
          )}
          <span class="count qa-votes" data-votes={votes}>
            {t.qa.votes(votes)}
          </span>
          {canAnswer && !answerOpen && question.status === 'approved' && (
            <button
              type="button"
              class="link"
              data-action="answer"
              onClick={() => setAnswerOpen(true)}
            >
              {t.qa.answer}
            </button>
          )}
        </div>
        <ErrorText message={voting.error} />
        {answering && answers.length === 0 && (
          <p class="qa-answering" role="status">
            {fill(t.qa.nowAnswering, {
              name: (
                <bdi key="name" class="author">
                  {answering.name}
                </bdi>
              ),
            })}
          </p>
        )}
        {answerOpen && (
          <AnswerForm question={question} context={context} close={() => setAnswerOpen(false)} />
        )}
      </article>
      {answers.length > 0 && (
        <ol class="replies qa-answers" part="replies">
          {answers.map((answer) => (
            <li key={answer.id}>
              <Answer answer={answer} experts={experts} />
            </li>
          ))}
        </ol>
      )}
    </li>
  );
}

function AnswerForm({
  question,
  context,
  close,
}: {
  question: CommentData;
  context: QaContext;
  close: () => void;
}) {
  const { t, host } = useNotify();
  const { qa, story } = context;
  const api = useMemo(() => qaApi(host.api), []);

  // The story's readers see "Now answering" while the form is open.
  useEffect(() => {
    const tell = () => void api.answering(story.id, question.id).catch(() => undefined);
    tell();
    const timer = window.setInterval(tell, ANSWERING_AGAIN_MS);
    return () => clearInterval(timer);
  }, []);

  return (
    <CommentForm
      className="panel qa-answer-form"
      label={t.qa.yourAnswer}
      submitLabel={t.qa.postAnswer}
      autoFocus
      onSubmit={async (body, postAnyway) => {
        const answer = await host.thread.post(body, question.id, postAnyway);
        if (answer.status === 'approved') qa.answered(question.id, answer);
        close();
        host.announcer.announce(answer.status === 'pending' ? t.announcePending : t.qa.answeredNow);
        host.focus(commentSelector(answer.id));
      }}
      onCancel={() => {
        close();
        host.focus(`${commentSelector(question.id)} [data-action="answer"]`);
      }}
    />
  );
}

function Answer({ answer, experts }: { answer: QaAnswer; experts: readonly Expert[] }) {
  const { t, host } = useNotify();
  const { author } = answer;
  const expert = author && experts.find(({ id }) => id === author.id);
  return (
    <article
      class="comment qa-answer"
      part="comment"
      data-comment-id={answer.id}
      tabIndex={-1}
      aria-label={author ? host.t.commentBy(author.displayName) : undefined}
    >
      <header class="meta" part="comment-meta">
        {author && <Avatar author={author} />}
        {author && (
          <span class="author" part="author" dir="auto">
            {author.displayName}
          </span>
        )}
        <span class="badge qa-expert">{t.qa.expert}</span>
        {expert && expert.title && (
          <span class="qa-title" dir="auto">
            {expert.title}
          </span>
        )}
        <RelativeTime iso={answer.createdAt} />
      </header>
      <div
        class="body"
        part="comment-body"
        dir="auto"
        dangerouslySetInnerHTML={{ __html: answer.html }}
      />
    </article>
  );
}
