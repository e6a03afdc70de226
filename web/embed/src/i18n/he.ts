/**
 * Hebrew interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Hebrew pages; see ../i18n.ts.
 */
import thread from '../../../../src/domain/thread-words/he.js';
import type { Messages } from '../i18n.js';

const he: Messages = {
  ...thread,
  loading: 'טוען תגובות…',
  retry: 'נסו שוב',
  networkError: 'אין חיבור לשירות התגובות.',
  unknownError: 'משהו השתבש. נסו שוב.',
  signOut: 'התנתקות',
  signedInAs: 'מחובר/ת בתור',
  yourAccount: 'החשבון שלך',
  popupBlocked: 'הדפדפן חסם את חלון ההתחברות. אפשרו חלונות קופצים בדף זה ונסו שוב.',
  edit: 'עריכה',
  delete: 'מחיקה',
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
  awaitingReview: 'ממתינה לאישור',
  removed: 'הוסרה על ידי מנהל/ת',
  newComments: (n) => (n === 1 ? 'תגובה חדשה אחת' : `${n} תגובות חדשות`),
  announceSignedOut: 'התנתקת',
  linkCopied: 'הקישור הועתק',
  commentLink: 'קישור לתגובה זו',
};

export default he;
