/**
 * The questions of a Q&A story as the widget shows them (docs/qa.md): two lists, "Answered"
 * (newest answers first, as the server orders them) and "Unanswered" (most wanted first), each
 * read page by page; each question by id with its votes and answers; and who is answering which
 * question now (from the story stream's `qa.answering`, forgotten after ANSWERING_MS unless heard
 * again). Key LISTS changes with the tab or a list; each question's id with that question.
 */
import type { CommentData } from '../../api/types.js';
import { Emitter } from '../../state/emitter.js';
import type { QaAnswer, QaApi, QaTab, Question } from './api.js';

export const LISTS = 'lists';
/** How long "Now answering" shows after the expert's last word that they are answering. */
export const ANSWERING_MS = 90_000;

export interface QaList {
  readonly ids: readonly string[];
  readonly nextCursor: string | null;
  readonly loaded: boolean;
}

export interface Answering {
  readonly expertId: string;
  readonly name: string;
}

const EMPTY: QaList = { ids: [], nextCursor: null, loaded: false };

export class QaStore extends Emitter<string> {
  tab: QaTab = 'answered';
  /** Both tabs' first pages are read (the tab shown is chosen). */
  ready = false;
  lists: Readonly<Record<QaTab, QaList>> = { answered: EMPTY, unanswered: EMPTY };
  private readonly questions = new Map<string, Question>();
  private readonly answeringNow = new Map<string, Answering>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly api: QaApi,
    private readonly storyId: string,
  ) {
    super();
  }

  question(id: string): Question | undefined {
    return this.questions.get(id);
  }

  answering(id: string): Answering | undefined {
    return this.answeringNow.get(id);
  }

  /**
   * Reads the first page of both tabs and shows "Answered" when it has questions (most readers
   * come for the answers), else "Unanswered".
   */
  async open(): Promise<void> {
    await Promise.all([this.reload('answered', false), this.reload('unanswered', false)]);
    this.tab = this.lists.answered.ids.length > 0 ? 'answered' : 'unanswered';
    this.ready = true;
    this.emit(LISTS);
  }

  /** Shows a tab, read again from its first page (its order may have changed since). */
  async select(tab: QaTab): Promise<void> {
    this.tab = tab;
    this.emit(LISTS);
    await this.reload(tab);
  }

  async reload(tab: QaTab = this.tab, emit = true): Promise<void> {
    const page = await this.api.questions(this.storyId, tab);
    this.lists = {
      ...this.lists,
      [tab]: { ids: this.keep(page.questions), nextCursor: page.nextCursor, loaded: true },
    };
    if (emit) this.emit(LISTS);
  }

  async more(): Promise<void> {
    const tab = this.tab;
    const list = this.lists[tab];
    if (!list.nextCursor) return;
    const page = await this.api.questions(this.storyId, tab, list.nextCursor);
    const ids = this.keep(page.questions).filter((id) => !list.ids.includes(id));
    this.setList(tab, { ids: [...list.ids, ...ids], nextCursor: page.nextCursor });
  }

  /** The viewer's own question, just posted: first among the unanswered. */
  asked(comment: CommentData): void {
    const question: Question = {
      ...comment,
      votes: 0,
      answers: [],
      viewer: { ...comment.viewer, voted: false },
    };
    this.questions.set(question.id, question);
    const list = this.lists.unanswered;
    if (!list.ids.includes(question.id))
      this.setList('unanswered', { ids: [question.id, ...list.ids] });
    if (this.tab !== 'unanswered') {
      this.tab = 'unanswered';
      this.emit(LISTS);
    }
  }

  async vote(id: string, on: boolean): Promise<void> {
    const { votes, voted } = await this.api.vote(id, on);
    this.update(id, (question) => ({
      ...question,
      votes,
      viewer: { ...question.viewer, voted },
    }));
  }

  /** `qa.votes`: the question's count, the viewer's own mark kept. */
  votes(id: string, votes: number): void {
    this.update(id, (question) => ({ ...question, votes }));
  }

  /**
   * An answer (`qa.answered`, or the expert's own just posted): under its question, which leaves
   * "Unanswered" and joins the top of "Answered".
   */
  answered(questionId: string, answer: QaAnswer): void {
    this.stopAnswering(questionId);
    const question = this.questions.get(questionId);
    if (!question) return;
    if (!question.answers.some((known) => known.id === answer.id))
      this.update(questionId, (known) => ({ ...known, answers: [...known.answers, answer] }));
    const { answered, unanswered } = this.lists;
    if (unanswered.ids.includes(questionId))
      this.setList('unanswered', { ids: unanswered.ids.filter((id) => id !== questionId) });
    if (!answered.ids.includes(questionId))
      this.setList('answered', { ids: [questionId, ...answered.ids] });
  }

  /** `qa.answering`: shown on the question until it is answered or ANSWERING_MS pass. */
  startAnswering(questionId: string, answering: Answering): void {
    clearTimeout(this.timers.get(questionId));
    this.answeringNow.set(questionId, answering);
    this.timers.set(
      questionId,
      setTimeout(() => this.stopAnswering(questionId), ANSWERING_MS),
    );
    this.emit(questionId);
  }

  stopAnswering(questionId: string): void {
    clearTimeout(this.timers.get(questionId));
    this.timers.delete(questionId);
    if (this.answeringNow.delete(questionId)) this.emit(questionId);
  }

  /** Forgets the timers (the widget left the page). */
  dispose(): void {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
  }

  private keep(questions: readonly Question[]): string[] {
    return questions.map((question) => {
      this.questions.set(question.id, { ...question, answers: question.answers || [] });
      this.emit(question.id);
      return question.id;
    });
  }

  private update(id: string, change: (question: Question) => Question): void {
    const question = this.questions.get(id);
    if (!question) return;
    this.questions.set(id, change(question));
    this.emit(id);
  }

  private setList(tab: QaTab, change: Partial<QaList>): void {
    this.lists = { ...this.lists, [tab]: { ...this.lists[tab], ...change } };
    this.emit(LISTS);
  }
}
