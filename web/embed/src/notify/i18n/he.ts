/** The notification features' words in Hebrew (see ./en.ts). */
import type { NotifyMessages } from './en.js';

const he: NotifyMessages = {
  notifications: 'התראות',
  bell: (n) => (n === 0 ? 'התראות' : n === 1 ? 'התראות, אחת שלא נקראה' : `התראות, ${n} שלא נקראו`),
  close: 'סגירה',
  loading: 'טוען…',
  markAllRead: 'סימון הכול כנקרא',
  settings: 'הגדרות דוא״ל',
  backToList: 'חזרה להתראות',
  older: 'הצגת התראות ישנות יותר',
  empty: 'אין עדיין התראות. תשובות לתגובות שלך ועדכונים עליהן יופיעו כאן.',
  unread: 'לא נקראה:',
  what: {
    reply: 'תשובה מ־{name} לתגובה שלך',
    staff: 'תשובה מהמערכת ({name}) בדיון שלך',
    mention: 'הוזכרת בתגובה של {name}',
    approved: 'התגובה שלך אושרה ופורסמה',
    rejected: 'התגובה שלך הוסרה',
    featured: 'התגובה שלך צורפה לתגובות הנבחרות',
  },
  someone: 'אחד הקוראים',
  reason: 'סיבה:',
  onStory: 'בכתבה {title}',
  anotherStory: 'אחרת',
  announce: 'התראה חדשה: {text}',

  settingsTitle: 'התראות בדוא״ל',
  emailLegend: 'לשלוח לי דוא״ל',
  modes: {
    off: 'אף פעם',
    immediate: 'מיד',
    hourly: 'בסיכום שעתי',
    daily: 'בסיכום יומי',
  },
  kindsLegend: 'בנושא',
  kinds: {
    reply: 'תשובות לתגובות שלי',
    staff: 'תשובות מהמערכת בדיונים שלי',
    mention: 'אזכורים של שמי',
    moderation: 'החלטות ניהול על התגובות שלי',
    featured: 'צירוף תגובות שלי לנבחרות',
  },
  listNote: 'הרשימה שמתחת לפעמון מציגה הכול, בלי קשר לבחירה כאן.',
  unconfirmed: 'הדוא״ל יישלח אחרי שתאשרו את כתובת הדוא״ל שלכם.',
  bounced:
    'לא ניתן היה למסור דוא״ל לכתובת שלכם, ולכן לא נשלח דבר. אשרו את הכתובת מחדש ב„החשבון שלך”.',
  saveSettings: 'שמירת ההגדרות',
  settingsSaved: 'ההגדרות נשמרו.',

  optIn: 'לשלוח לי דוא״ל כשמישהו עונה',
  optInDone: 'נשלח לכם דוא״ל כשמישהו יענה.',

  mentionsLabel: 'קוראי הדיון הזה',
  mentionCount: (n) =>
    n === 1 ? 'שם מוצע אחד: בחרו במקשי החיצים' : `${n} שמות מוצעים: בחרו במקשי החיצים`,

  linkedNotice: 'הגעתם דרך קישור לתגובה: היא מוצגת ראשונה, מתחת לתגובות שהיא עונה להן.',
  showWhole: 'הצגת הדיון כולו',
  linkedGone: 'התגובה שהקישור מוביל אליה אינה זמינה עוד.',
};

export default he;
