/**
 * Arabic interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Arabic pages; see ../i18n.ts.
 */
import thread from '../../../../src/domain/thread-words/ar.js';
import type { Messages } from '../i18n.js';

const ar: Messages = {
  ...thread,
  loading: 'جارٍ تحميل التعليقات…',
  retry: 'أعد المحاولة',
  networkError: 'تعذّر الاتصال بخدمة التعليقات.',
  unknownError: 'حدث خطأ. يُرجى المحاولة مرة أخرى.',
  signOut: 'تسجيل الخروج',
  signedInAs: 'مسجّل الدخول باسم',
  yourAccount: 'حسابك',
  popupBlocked: 'منع المتصفح نافذة تسجيل الدخول. اسمح بالنوافذ المنبثقة لهذه الصفحة وحاول مجددًا.',
  edit: 'تعديل',
  delete: 'حذف',
  reported: 'تم الإبلاغ',
  reasons: {
    abuse: 'إساءة',
    spam: 'رسائل مزعجة',
    off_topic: 'خارج الموضوع',
    misinformation: 'معلومات مضلّلة',
    other: 'سبب آخر',
    hate: 'كراهية',
    threat: 'تهديد',
    illegal: 'محتوى غير قانوني',
    privacy: 'خصوصية',
  },
  awaitingReview: 'بانتظار المراجعة',
  removed: 'حذفه المشرف',
  // Arabic plural forms (CLDR): one, two, few (3–10), many (11–99), other (100, 101, 102…).
  newComments: (n) =>
    n === 1
      ? 'تعليق جديد واحد'
      : n === 2
        ? 'تعليقان جديدان'
        : n % 100 >= 3 && n % 100 <= 10
          ? `${n} تعليقات جديدة`
          : n % 100 >= 11
            ? `${n} تعليقًا جديدًا`
            : `${n} تعليق جديد`,
  announceSignedOut: 'تم تسجيل الخروج',
  linkCopied: 'تم نسخ الرابط',
  commentLink: 'رابط هذا التعليق',
};

export default ar;
