/** The Q&A feature's words in Spanish (see ./en.ts). */
import type { QaMessages } from './en.js';

const es: QaMessages = {
  tabs: 'Preguntas',
  answered: 'Respondidas',
  unanswered: 'Sin responder',
  experts: 'Responden a tus preguntas:',
  yourQuestion: 'Tu pregunta',
  ask: 'Hacer una pregunta',
  signInToAsk: 'Inicia sesión para hacer una pregunta',
  wantToKnow: 'Yo también quiero saberlo',
  votes: (n) => (n === 1 ? '1 lector quiere saberlo' : `${n} lectores quieren saberlo`),
  answer: 'Responder',
  yourAnswer: 'Tu respuesta',
  postAnswer: 'Publicar respuesta',
  nowAnswering: 'Respondiendo ahora: {name}',
  expert: 'Experto',
  closed:
    'Esta sesión de preguntas está cerrada. Las preguntas y respuestas siguen aquí para leer.',
  noAnswered: 'Aún no hay respuestas. La redacción responde aquí a las preguntas.',
  noUnanswered: 'Ninguna pregunta espera respuesta.',
  more: 'Más preguntas',
  newQuestions: (n) => (n === 1 ? '1 pregunta nueva' : `${n} preguntas nuevas`),
  asked: 'Pregunta enviada',
  askedPending: 'Pregunta enviada a revisión',
  answeredNow: 'Respuesta publicada',
  arrived: 'Acaban de responder una pregunta',
};

export default es;
