/**
 * The widget's Q&A store (web/embed/src/notify/qa/store.ts) against a stand-in of the Q&A API:
 * the tab first shown (Answered when it has questions), an answer moving its question from
 * Unanswered to the top of Answered once, votes from the stream keeping the viewer's mark, the
 * viewer's own question first among the unanswered, and "Now answering" forgotten after its time
 * unless heard again (on node:test's mocked clock, so nothing waits).
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import type { QaApi, QaTab, Question, QuestionPage } from '../../web/embed/src/notify/qa/api.ts';
import { ANSWERING_MS, LISTS, QaStore } from '../../web/embed/src/notify/qa/store.ts';

function question(id: string, votes = 0, answers: Question['answers'] = []): Question {
  return {
    id,
    votes,
    answers,
    viewer: { own: false, reacted: false, reported: false, voted: false },
  } as unknown as Question;
}

function api(pages: Record<QaTab, Question[]>, asked: string[] = []): QaApi {
  return {
    questions: async (_storyId, tab) => {
      asked.push(tab);
      return { questions: pages[tab], nextCursor: null } as unknown as QuestionPage;
    },
    vote: async (_id, on) => ({ votes: on ? 4 : 3, voted: on }),
    answering: async () => undefined,
  };
}

describe('the widget’s Q&A store', () => {
  it('shows Answered first when it has questions, else Unanswered', async () => {
    const some = new QaStore(api({ answered: [question('a')], unanswered: [question('u')] }), 's');
    await some.open();
    assert.equal(some.tab, 'answered');
    assert.equal(some.ready, true);
    const none = new QaStore(api({ answered: [], unanswered: [question('u')] }), 's');
    await none.open();
    assert.equal(none.tab, 'unanswered');
  });

  it('moves an answered question from Unanswered to the top of Answered, once', async () => {
    const store = new QaStore(
      api({ answered: [question('a')], unanswered: [question('u1', 2), question('u2')] }),
      's',
    );
    await store.open();
    let changes = 0;
    store.subscribe(LISTS, () => (changes += 1));
    const answer = { id: 'r1' } as Question['answers'][number];
    store.answered('u1', answer);
    store.answered('u1', answer);
    assert.deepEqual(store.lists.unanswered.ids, ['u2']);
    assert.deepEqual(store.lists.answered.ids, ['u1', 'a']);
    assert.deepEqual(
      store.question('u1')!.answers.map(({ id }) => id),
      ['r1'],
    );
    assert.equal(changes, 2, 'the second time changes no list');
    // A question this page never read is left alone.
    store.answered('elsewhere', answer);
    assert.equal(store.question('elsewhere'), undefined);
  });

  it('takes counts from the stream, and the viewer’s vote with its mark', async () => {
    const store = new QaStore(api({ answered: [], unanswered: [question('u', 3)] }), 's');
    await store.open();
    await store.vote('u', true);
    assert.equal(store.question('u')!.votes, 4);
    assert.equal(store.question('u')!.viewer.voted, true);
    store.votes('u', 9);
    assert.equal(store.question('u')!.votes, 9);
    assert.equal(store.question('u')!.viewer.voted, true, 'the stream keeps the viewer’s mark');
  });

  it('puts the viewer’s own question first among the unanswered, and shows that tab', async () => {
    const store = new QaStore(api({ answered: [question('a')], unanswered: [question('u')] }), 's');
    await store.open();
    store.asked({ id: 'mine', viewer: { own: true, reacted: false, reported: false } } as never);
    assert.equal(store.tab, 'unanswered');
    assert.deepEqual(store.lists.unanswered.ids, ['mine', 'u']);
    assert.equal(store.question('mine')!.votes, 0);
  });

  it('forgets "Now answering" after its time unless heard again', async () => {
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const store = new QaStore(api({ answered: [], unanswered: [question('u')] }), 's');
      const expert = { expertId: 'e', name: 'Nadia' };
      store.startAnswering('u', expert);
      mock.timers.tick(ANSWERING_MS - 1000);
      store.startAnswering('u', expert);
      mock.timers.tick(ANSWERING_MS - 1000);
      assert.deepEqual(store.answering('u'), expert, 'heard again, it stays');
      mock.timers.tick(1000);
      assert.equal(store.answering('u'), undefined);
      store.startAnswering('u', expert);
      store.answered('u', { id: 'r' } as Question['answers'][number]);
      assert.equal(store.answering('u'), undefined, 'an answer ends it at once');
    } finally {
      mock.timers.reset();
    }
  });
});
