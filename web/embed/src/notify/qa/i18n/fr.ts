/** The Q&A feature's words in French (see ./en.ts). */
import type { QaMessages } from './en.js';

const fr: QaMessages = {
  tabs: 'Questions',
  answered: 'Avec réponse',
  unanswered: 'Sans réponse',
  experts: 'Répondent à vos questions :',
  yourQuestion: 'Votre question',
  ask: 'Poser une question',
  signInToAsk: 'Connectez-vous pour poser une question',
  wantToKnow: 'Je veux savoir aussi',
  votes: (n) => (n <= 1 ? `${n} lecteur veut savoir` : `${n} lecteurs veulent savoir`),
  answer: 'Répondre',
  yourAnswer: 'Votre réponse',
  postAnswer: 'Publier la réponse',
  nowAnswering: 'Réponse en cours : {name}',
  expert: 'Experte ou expert',
  closed: 'Ces questions-réponses sont closes. Les questions et les réponses restent à lire ici.',
  noAnswered: 'Pas encore de réponse. La rédaction répond aux questions ici.',
  noUnanswered: 'Aucune question n’attend de réponse.',
  more: 'Plus de questions',
  newQuestions: (n) => (n <= 1 ? `${n} nouvelle question` : `${n} nouvelles questions`),
  asked: 'Question envoyée',
  askedPending: 'Question envoyée pour relecture',
  answeredNow: 'Réponse publiée',
  arrived: 'Une question vient de recevoir une réponse',
};

export default fr;
