/**
 * Hebrew interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Hebrew pages; see ../i18n.ts.
 */
import type { Messages } from '../i18n.js';

const he: Messages = {
  commentsHeading: (n) => (n === 1 ? 'תגובה אחת' : `${n} תגובות`),
  loading: 'טוען תגובות…',
  retry: 'נסו שוב',
  networkError: 'אין חיבור לשירות התגובות.',
  unknownError: 'משהו השתבש. נסו שוב.',
  noComments: 'אין עדיין תגובות.',
  closed: 'התגובות סגורות.',
  joinPrompt: 'התחברו כדי להצטרף לדיון.',
  signIn: 'התחברות',
  signOut: 'התנתקות',
  signedInAs: 'מחובר/ת בתור',
  yourAccount: 'החשבון שלך',
  popupBlocked: 'הדפדפן חסם את חלון ההתחברות. אפשרו חלונות קופצים בדף זה ונסו שוב.',
  reply: 'תשובה',
  edit: 'עריכה',
  delete: 'מחיקה',
  respect: 'כל הכבוד',
  report: 'דיווח',
  reported: 'דווח',
  reasons: {
    abuse: 'פגיעה',
    spam: 'ספאם',
    off_topic: 'לא לעניין',
    misinformation: 'מידע כוזב',
    other: 'אחר',
    hate: 'שטנה',
    threat: 'איום',
    illegal: 'תוכן לא חוקי',
    privacy: 'פרטיות',
  },
  deleted: 'התגובה נמחקה',
  awaitingReview: 'ממתינה לאישור',
  removed: 'הוסרה על ידי מנהל/ת',
  featured: 'נבחרות',
  edited: 'נערכה',
  inReplyTo: 'בתשובה ל־',
  sortBy: 'מיון לפי',
  sorts: {
    newest: 'חדשות',
    oldest: 'ישנות',
    replies: 'הכי הרבה תשובות',
    reactions: 'הכי הרבה הערכות',
  },
  newComments: (n) => (n === 1 ? 'תגובה חדשה אחת' : `${n} תגובות חדשות`),
  loadMore: 'טעינת תגובות נוספות',
  showMoreReplies: (n) => (n > 1 ? `הצגת ${n} תשובות נוספות` : 'הצגת תשובות נוספות'),
  staff: 'מערכת',
  announceSignedOut: 'התנתקת',
  commentBy: (name) => `תגובה של ${name}`,
  replyTo: (name) => `תשובה ל־${name}`,
  badges: { subscriber: 'מנוי', verified: 'מאומת', staff: 'מערכת' },
  copyLink: 'העתקת קישור',
  linkCopied: 'הקישור הועתק',
  commentLink: 'קישור לתגובה זו',
};

export default he;
