/**
 * The words of a comment thread as a signed-out reader first sees it, in Arabic: see ./en.ts.
 */
import type { ThreadWords } from './en.ts';

const ar: ThreadWords = {
  commentsHeading: (n) => `التعليقات (${n})`,
  noComments: 'لا توجد تعليقات بعد.',
  closed: 'التعليقات مغلقة.',
  joinPrompt: 'سجّل الدخول للمشاركة في النقاش.',
  signIn: 'تسجيل الدخول',
  reply: 'رد',
  respect: 'تقدير',
  report: 'إبلاغ',
  deleted: 'تم حذف هذا التعليق',
  featured: 'مختارة',
  /** Marks a comment the site pins above its default order. */
  pinned: 'مثبّت',
  edited: 'معدَّل',
  inReplyTo: 'ردًا على',
  sortBy: 'الترتيب حسب',
  sorts: {
    newest: 'الأحدث',
    oldest: 'الأقدم',
    replies: 'الأكثر ردودًا',
    reactions: 'الأكثر تقديرًا',
    best: 'الأفضل',
  },
  loadMore: 'تحميل المزيد من التعليقات',
  showMoreReplies: (n) => `عرض المزيد من الردود${n > 0 ? ` (${n})` : ''}`,
  staff: 'فريق التحرير',
  commentBy: (name) => `تعليق من ${name}`,
  replyTo: (name) => `رد على ${name}`,
  badges: { subscriber: 'مشترك', verified: 'موثَّق', staff: 'فريق التحرير' },
  copyLink: 'نسخ الرابط',
};

export default ar;
