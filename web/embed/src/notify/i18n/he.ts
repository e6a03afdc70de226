/** The notification features' words in Hebrew (see ./en.ts). */
import type { NotifyMessages } from './en.js';
import ignore from '../ignore/i18n/he.js';
import qa from '../qa/i18n/he.js';

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
    appeal: 'מנהל תוכן הכריע בערעור שלך',
    answer: '{name} מהמערכת ענו על השאלה שלכם',
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

  guidelines: 'כללי הקהילה',
  discardPrompt: 'למחוק את התשובה שלך?',
  discard: 'מחיקה',
  keepWriting: 'המשך כתיבה',
  editTime: (n) =>
    n === 1
      ? 'אפשר לערוך עוד דקה אחת'
      : n === 2
        ? 'אפשר לערוך עוד שתי דקות'
        : `אפשר לערוך עוד ${n} דקות`,
  heldWhy: 'למה היא ממתינה:',
  held: {
    PREMOD_SITE: 'האתר הזה בודק כל תגובה לפני פרסומה.',
    PREMOD_STORY: 'תגובות לכתבה הזו נבדקות לפני פרסומן.',
    PREMOD_USER: 'התגובות שלך נבדקות לפני פרסומן.',
    PREMOD_NEW_COMMENTER: 'תגובות של משתתפים חדשים נבדקות לפני פרסומן.',
    LINKS_HELD: 'יש בה קישור, וצוות הניהול בודק אותו קודם.',
    WORD_SUSPECT: 'יש בה מילים שצוות הניהול בודק קודם.',
    CLASSIFIER_HOLD: 'הבדיקה האוטומטית מצאה שהיא עלולה להפר את כללי הדיון.',
    SITE_MODEL_HOLD: 'היא דומה לתגובות שצוות הניהול של האתר הסיר בעבר.',
    POSTING_RATE: 'פרסמת כמה תגובות בזמן קצר.',
    EXTERNAL_HOLD: 'שירות הניהול של המפרסם ביקש לבדוק אותה.',
    EXTERNAL_UNAVAILABLE: 'הבדיקה האוטומטית לא הושלמה בזמן.',
  },
  heldOther: 'צוות הניהול יבדוק אותה לפני הפרסום.',
  // The Digital Services Act (docs/dsa.md): appeals, and notices of illegal content.
  appealUpheld: 'ההחלטה בעינה.',
  appealReversed: 'ההחלטה בוטלה: התגובה שלך פורסמה מחדש.',
  appealWhy: 'ההסבר של מנהל התוכן:',
  appeal: 'ערעור על ההחלטה',
  appealLabel: 'מדוע יש לבחון את ההחלטה מחדש?',
  appealHint: 'מנהל תוכן שלא קיבל את ההחלטה יבחן אותה. אפשר לערער על כל החלטה פעם אחת.',
  appealSend: 'שליחת הערעור',
  appealSent: 'הערעור נשלח. תקבלו הודעה על התוצאה.',
  noticeLegend: 'תוכן בלתי חוקי',
  noticeHint:
    'הודעה לפי חוק השירותים הדיגיטליים של האיחוד האירופי. מנהלי התוכן רואים את שמכם וכתובתכם אם תמסרו אותם.',
  legalGround: 'עילה משפטית (החוק, או סוג העבירה)',
  legalGroundExample: 'למשל: לשון הרע, הסתה לאלימות',
  explanation: 'מדוע התוכן הזה בלתי חוקי?',
  notifierName: 'השם שלך (רשות)',
  notifierEmail: 'כתובת הדוא״ל שלך (רשות)',
  goodFaith: 'אני מאשר/ת בתום לב שהמידע בהודעה זו מדויק ומלא למיטב ידיעתי.',
  // The comment forms (ui/Writing.tsx): the composer, a reply, an edit, a report, the question
  // before deleting, what the live region says of each, and the forms' own notices.
  warned: 'אזהרה ממנהל/ת',
  understand: 'הבנתי',
  yourComment: 'התגובה שלך',
  yourReply: 'התשובה שלך',
  formattingHint: 'אפשר להשתמש ב־*הדגשה*, [קישורים](url), > ציטוטים ו־`קוד`.',
  postComment: 'פרסום תגובה',
  postReply: 'פרסום תשובה',
  save: 'שמירה',
  cancel: 'ביטול',
  revisePrompt: 'ייתכן שהתגובה מפרה את כללי הדיון. רוצים לנסח אותה מחדש?',
  revise: 'ניסוח מחדש',
  postAnyway: 'פרסום בכל זאת',
  confirmEmail: 'אשרו את כתובת הדוא"ל כדי להגיב — שלחנו לכם קישור.',
  resendLink: 'שליחת הקישור שוב',
  linkSent: 'שלחנו קישור חדש. בדקו את תיבת הדואר.',
  deletePrompt: 'למחוק את התגובה?',
  reportLegend: 'מדוע אתם מדווחים על התגובה?',
  reportNote: 'הערה (רשות)',
  sendReport: 'שליחת דיווח',
  announcePosted: 'התגובה פורסמה',
  announcePending: 'התגובה נשלחה לאישור',
  announceUpdated: 'התגובה עודכנה',
  announceDeleted: 'התגובה נמחקה',
  announceReported: 'הדיווח נשלח',
  // The Q&A feature's words (../qa/i18n).
  qa,
  // Ignoring a reader (../ignore/i18n).
  ignore,
};

export default he;
