/** The Q&A feature's words in Hebrew (see ./en.ts). */
import type { QaMessages } from './en.js';

const he: QaMessages = {
  tabs: 'שאלות',
  answered: 'נענו',
  unanswered: 'טרם נענו',
  experts: 'עונים על השאלות שלכם:',
  yourQuestion: 'השאלה שלך',
  ask: 'שאלו שאלה',
  signInToAsk: 'התחברו כדי לשאול שאלה',
  wantToKnow: 'גם אני רוצה לדעת',
  votes: (n) => (n === 1 ? 'קורא אחד רוצה לדעת' : `${n} קוראים רוצים לדעת`),
  answer: 'תשובה',
  yourAnswer: 'התשובה שלך',
  postAnswer: 'פרסום התשובה',
  nowAnswering: 'עונה עכשיו: {name}',
  expert: 'מומחה',
  closed: 'השאלות והתשובות נסגרו. הן נשארות כאן לקריאה.',
  noAnswered: 'עדיין אין תשובות. המערכת עונה כאן על שאלות.',
  noUnanswered: 'אין שאלה שמחכה לתשובה.',
  more: 'שאלות נוספות',
  newQuestions: (n) => (n === 1 ? 'שאלה חדשה אחת' : `${n} שאלות חדשות`),
  asked: 'השאלה נשלחה',
  askedPending: 'השאלה נשלחה לבדיקה',
  answeredNow: 'התשובה פורסמה',
  arrived: 'שאלה נענתה זה עתה',
};

export default he;
