/**
 * Arabic interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Arabic pages; see ../i18n.ts.
 */
import type { Messages } from '../i18n.js';

const ar: Messages = {
  commentsHeading: (n) => `التعليقات (${n})`,
  loading: 'جارٍ تحميل التعليقات…',
  retry: 'أعد المحاولة',
  networkError: 'تعذّر الاتصال بخدمة التعليقات.',
  unknownError: 'حدث خطأ. يُرجى المحاولة مرة أخرى.',
  noComments: 'لا توجد تعليقات بعد.',
  closed: 'التعليقات مغلقة.',
  joinPrompt: 'سجّل الدخول للمشاركة في النقاش.',
  signIn: 'تسجيل الدخول',
  signOut: 'تسجيل الخروج',
  signedInAs: 'مسجّل الدخول باسم',
  yourAccount: 'حسابك',
  popupBlocked: 'منع المتصفح نافذة تسجيل الدخول. اسمح بالنوافذ المنبثقة لهذه الصفحة وحاول مجددًا.',
  reply: 'رد',
  edit: 'تعديل',
  delete: 'حذف',
  respect: 'تقدير',
  report: 'إبلاغ',
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
  deleted: 'تم حذف هذا التعليق',
  awaitingReview: 'بانتظار المراجعة',
  removed: 'حذفه المشرف',
  featured: 'مختارة',
  edited: 'معدَّل',
  inReplyTo: 'ردًا على',
  sortBy: 'الترتيب حسب',
  sorts: {
    newest: 'الأحدث',
    oldest: 'الأقدم',
    replies: 'الأكثر ردودًا',
    reactions: 'الأكثر تقديرًا',
  },
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
  loadMore: 'تحميل المزيد من التعليقات',
  showMoreReplies: (n) => `عرض المزيد من الردود${n > 0 ? ` (${n})` : ''}`,
  staff: 'فريق التحرير',
  announceSignedOut: 'تم تسجيل الخروج',
  commentBy: (name) => `تعليق من ${name}`,
  replyTo: (name) => `رد على ${name}`,
  badges: { subscriber: 'مشترك', verified: 'موثَّق', staff: 'فريق التحرير' },
  copyLink: 'نسخ الرابط',
  linkCopied: 'تم نسخ الرابط',
  commentLink: 'رابط هذا التعليق',
};

export default ar;
