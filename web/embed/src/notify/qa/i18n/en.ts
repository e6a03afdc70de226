/**
 * The Q&A feature's words in English (docs/qa.md), which define the shape every other language
 * (./<lang>.ts) fills. Joined to the features' words of each language (../../i18n/<lang>.ts, key
 * `qa`). {name} stands for a reader's name, isolated for bidirectional text.
 */
const en = {
  /** The tabs' accessible name. */
  tabs: 'Questions',
  answered: 'Answered',
  unanswered: 'Unanswered',
  /** Above the form, with the names of the story's experts after it. */
  experts: 'Answering your questions:',
  yourQuestion: 'Your question',
  ask: 'Ask a question',
  signInToAsk: 'Sign in to ask a question',
  /** The upvote of a question another reader asked. */
  wantToKnow: 'I want to know too',
  /** How many readers want to know (the count beside the button, and alone on one's own). */
  votes: (n: number) => (n === 1 ? '1 reader wants to know' : `${n} readers want to know`),
  answer: 'Answer',
  yourAnswer: 'Your answer',
  postAnswer: 'Post answer',
  nowAnswering: 'Now answering: {name}',
  /** The badge beside an expert's name on an answer. */
  expert: 'Expert',
  closed: 'This Q&A is closed. Its questions and answers stay here to read.',
  noAnswered: 'No answers yet. The newsroom answers questions here.',
  noUnanswered: 'No question is waiting for an answer.',
  more: 'More questions',
  newQuestions: (n: number) => (n === 1 ? '1 new question' : `${n} new questions`),
  asked: 'Question sent',
  askedPending: 'Question sent for review',
  answeredNow: 'Answer posted',
  /** Said by the polite live region when an answer arrives while the reader reads. */
  arrived: 'A question was just answered',
};

export default en;
export type QaMessages = typeof en;
