/** The Q&A feature's words in Arabic (see ./en.ts). */
import { plural } from '../../i18n/ar.js';
import type { QaMessages } from './en.js';

const ar: QaMessages = {
  tabs: 'الأسئلة',
  answered: 'تمت الإجابة',
  unanswered: 'بلا إجابة',
  experts: 'يجيب عن أسئلتكم:',
  yourQuestion: 'سؤالك',
  ask: 'اطرح سؤالًا',
  signInToAsk: 'سجّل الدخول لتطرح سؤالًا',
  wantToKnow: 'أريد أن أعرف أيضًا',
  votes: (n) =>
    plural(n, [
      'قارئ واحد يريد أن يعرف',
      'قارئان يريدان أن يعرفا',
      `${n} قرّاء يريدون أن يعرفوا`,
      `${n} قارئًا يريدون أن يعرفوا`,
      `${n} قارئ يريدون أن يعرفوا`,
    ]),
  answer: 'أجب',
  yourAnswer: 'إجابتك',
  postAnswer: 'انشر الإجابة',
  nowAnswering: 'يجيب الآن: {name}',
  expert: 'خبير',
  closed: 'أُغلقت جلسة الأسئلة هذه. تبقى الأسئلة والإجابات هنا للقراءة.',
  noAnswered: 'لا إجابات بعد. تجيب غرفة الأخبار عن الأسئلة هنا.',
  noUnanswered: 'لا يوجد سؤال ينتظر إجابة.',
  more: 'مزيد من الأسئلة',
  newQuestions: (n) =>
    plural(n, [
      'سؤال جديد واحد',
      'سؤالان جديدان',
      `${n} أسئلة جديدة`,
      `${n} سؤالًا جديدًا`,
      `${n} سؤال جديد`,
    ]),
  asked: 'أُرسل السؤال',
  askedPending: 'أُرسل السؤال للمراجعة',
  answeredNow: 'نُشرت الإجابة',
  arrived: 'أُجيب للتو عن سؤال',
};

export default ar;
