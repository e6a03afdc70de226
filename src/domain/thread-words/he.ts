/**
 * The words of a comment thread as a signed-out reader first sees it, in Hebrew: see ./en.ts.
 */
import type { ThreadWords } from './en.ts';

const he: ThreadWords = {
  commentsHeading: (n) => (n === 1 ? 'תגובה אחת' : `${n} תגובות`),
  noComments: 'אין עדיין תגובות.',
  closed: 'התגובות סגורות.',
  joinPrompt: 'התחברו כדי להצטרף לדיון.',
  signIn: 'התחברות',
  reply: 'תשובה',
  respect: 'כל הכבוד',
  report: 'דיווח',
  deleted: 'התגובה נמחקה',
  featured: 'נבחרות',
  /** Marks a comment the site pins above its default order. */
  pinned: 'נעוץ',
  edited: 'נערכה',
  inReplyTo: 'בתשובה ל־',
  sortBy: 'מיון לפי',
  sorts: {
    newest: 'חדשות',
    oldest: 'ישנות',
    replies: 'הכי הרבה תשובות',
    reactions: 'הכי הרבה הערכות',
    best: 'הטובות ביותר',
  },
  loadMore: 'טעינת תגובות נוספות',
  showMoreReplies: (n) => (n > 1 ? `הצגת ${n} תשובות נוספות` : 'הצגת תשובות נוספות'),
  staff: 'מערכת',
  commentBy: (name) => `תגובה של ${name}`,
  replyTo: (name) => `תשובה ל־${name}`,
  badges: { subscriber: 'מנוי', verified: 'מאומת', staff: 'מערכת' },
  copyLink: 'העתקת קישור',
};

export default he;
