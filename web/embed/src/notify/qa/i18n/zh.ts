/** The Q&A feature's words in Chinese (simplified; see ./en.ts). */
import type { QaMessages } from './en.js';

const zh: QaMessages = {
  tabs: '问题',
  answered: '已回答',
  unanswered: '待回答',
  experts: '回答你的问题：',
  yourQuestion: '你的问题',
  ask: '提问',
  signInToAsk: '登录后提问',
  wantToKnow: '我也想知道',
  votes: (n) => `${n} 位读者想知道`,
  answer: '回答',
  yourAnswer: '你的回答',
  postAnswer: '发布回答',
  nowAnswering: '{name} 正在回答',
  expert: '专家',
  closed: '本次问答已结束。问题和回答仍可在此阅读。',
  noAnswered: '还没有回答。编辑部会在这里回答问题。',
  noUnanswered: '没有等待回答的问题。',
  more: '更多问题',
  newQuestions: (n) => `${n} 个新问题`,
  asked: '问题已发送',
  askedPending: '问题已发送，等待审核',
  answeredNow: '回答已发布',
  arrived: '一个问题刚刚得到回答',
};

export default zh;
