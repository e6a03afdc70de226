/** Hebrew mail (right to left; plural forms of address, like the widget). */
import { alertBlocks, digestBlocks, plural } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `הכתבה "${p.storyTitle}"`;
const on = (title: string | null | undefined) => (title ? ` בכתבה "${title}"` : '');

export const he: MailCopy = {
  dir: 'rtl',
  greeting: (name) => (name ? `שלום ${name},` : 'שלום,'),
  pasteLink: 'אם הכפתור לא עובד, העתיקו את הכתובת הזו לדפדפן:',
  colon: ':',
  signoff: (brand) => `צוות ${brand}`,
  lists: {
    reply: 'תשובות לתגובות שלכם',
    staff: 'תשובות של המערכת בדיונים שלכם',
    mention: 'אזכורים של השם שלכם',
    moderation: 'תוצאות הבדיקה של התגובות שלכם',
    featured: 'בחירת התגובות שלכם כמומלצות',
    digest: 'הפעילות סביב התגובות שלכם (סיכומים)',
  },
  footer: (list, site) =>
    `קיבלתם את ההודעה הזו כי ביקשתם מ־${site} לשלוח לכם הודעות דוא"ל על ${list}.`,
  unsubscribe: 'ביטול הרשמה בלחיצה אחת',
  reasons: {
    abuse: 'פגיעה',
    hate: 'שטנה',
    threat: 'איום',
    spam: 'ספאם',
    off_topic: 'לא לעניין',
    illegal: 'תוכן לא חוקי',
    privacy: 'פרטיות',
    misinformation: 'מידע כוזב',
    other: 'אחר',
  },
  unsubscribePage: {
    title: 'ביטול הרשמה',
    question: (list) => `להפסיק לקבל הודעות דוא"ל על ${list}?`,
    undo: 'אפשר להפעיל אותן מחדש בכל עת בהגדרות ההתראות.',
    button: 'ביטול ההרשמה',
    done: (list) => `בוצע. לא תקבלו עוד הודעות דוא"ל על ${list}.`,
    invalid:
      'קישור ביטול ההרשמה הזה אינו תקף. ודאו שהעתקתם את הכתובת המלאה מההודעה, או שנו את הבחירות שלכם בהגדרות ההתראות.',
    settings: 'הגדרות ההתראות שלכם',
  },
  templates: {
    verify: (p) => ({
      subject: 'אישור כתובת הדוא"ל',
      body: [
        'תודה שהצטרפתם לדיון. אשרו את כתובת הדוא"ל כדי להתחיל להגיב.',
        { button: 'אישור הכתובת', href: p.link },
        'הקישור בתוקף למשך 48 שעות. אם לא נרשמתם, אפשר להתעלם מההודעה הזו.',
      ],
    }),
    'signup-existing': (p) => ({
      subject: 'כבר יש לכם חשבון',
      body: [
        'מישהו, כנראה אתם, ניסה להירשם עם כתובת הדוא"ל הזו. כבר יש חשבון עם הכתובת הזו, כך שאפשר פשוט להתחבר.',
        { button: 'התחברות', href: p.loginLink },
        { link: 'שכחתם את הסיסמה? אפשר לבחור סיסמה חדשה כאן:', href: p.resetLink },
        'אם זה לא הייתם אתם, התעלמו מההודעה: שום דבר לא השתנה.',
      ],
    }),
    reset: (p) => ({
      subject: 'איפוס הסיסמה',
      body: [
        'קיבלנו בקשה לאפס את הסיסמה של החשבון שלכם.',
        { button: 'בחירת סיסמה חדשה', href: p.link },
        'הקישור תקף לשימוש אחד בלבד, למשך 30 דקות. אם לא ביקשתם זאת, התעלמו מההודעה: הסיסמה שלכם לא תשתנה.',
      ],
    }),
    'change-email': (p) => ({
      subject: 'אישור כתובת הדוא"ל החדשה',
      body: [
        'ביקשתם להשתמש בכתובת הזו בחשבון שלכם. אשרו אותה כדי להשלים את השינוי.',
        { button: 'אישור הכתובת', href: p.link },
        'אם לא ביקשתם זאת, התעלמו מההודעה: החשבון ימשיך להשתמש בכתובת הנוכחית.',
      ],
    }),
    'email-changed': (p) => ({
      subject: 'כתובת הדוא"ל שלכם שונתה',
      body: [
        `כתובת הדוא"ל של החשבון שלכם היא עכשיו ${p.newEmail}. מעכשיו נכתוב לכם לשם.`,
        'אם לא אתם ביצעתם את השינוי, צרו איתנו קשר מיד.',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: 'החשבון שלכם יימחק',
      body: [
        `לבקשתכם, החשבון יימחק ב־${p.dueAt}. אז הפרופיל שלכם יימחק לצמיתות.`,
        'שיניתם את דעתכם? אפשר לבטל עד אז.',
        { button: 'השארת החשבון', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: 'החשבון שלכם נמחק',
      body: [
        'מחקנו את החשבון ואת הפרופיל שלכם, כפי שביקשתם. תודה שהשתתפתם בדיון.',
        'זו ההודעה האחרונה שתקבלו מאיתנו.',
      ],
    }),
    'notify-reply': (p) => ({
      subject: `תשובה חדשה מ־${p.actor} לתגובה שלכם`,
      body: [
        `תשובה חדשה מ־${p.actor} לתגובה שלכם על ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'לקריאת התשובה', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `תשובה מהמערכת של ${p.siteName} בדיון שלכם`,
      body: [
        `תשובה של ${p.actor}, מהמערכת של ${p.siteName}, בדיון שאתם משתתפים בו על ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'לקריאת התשובה', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `תשובה לשאלה שלכם מהמערכת של ${p.siteName}`,
      body: [
        `תשובה של ${p.actor}, מהמערכת של ${p.siteName}, לשאלה ששאלתם על ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'לקריאת התשובה', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `אזכור שלכם בתגובה של ${p.actor}`,
      body: [
        `אזכור שלכם בתגובה של ${p.actor} על ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'לקריאת התגובה', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: 'התגובה שלכם פורסמה',
      body: [
        `התגובה שלכם על ${story(p)} נבדקה ופורסמה, וכעת כולם יכולים לקרוא אותה:`,
        { quote: p.excerpt },
        { button: 'לתגובה שלי', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: 'התגובה שלכם לא פורסמה',
      body: [
        `לאחר בדיקה, התגובה שלכם על ${story(p)} לא פורסמה.`,
        `הסיבה: ${he.reasons[p.reasonCode.toLowerCase()] ?? he.reasons.other}`,
        ...(p.note === null ? [] : [`הערת צוות הניהול: ${p.note}`]),
        'התגובה שלכם:',
        { quote: p.excerpt },
        { action: 'לצפייה בה מתחת לכתבה (רק אתם רואים אותה)', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [{ link: 'מה אנחנו מפרסמים מוסבר בכללי ההשתתפות שלנו:', href: p.guidelinesLink }]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject:
        p.outcome === 'reversed'
          ? `הערעור שלכם התקבל: התגובה שלכם פורסמה מחדש`
          : `הערעור שלכם נבדק: ההחלטה בעינה`,
      body: [
        p.outcome === 'reversed'
          ? `מנהל תוכן שלא קיבל את ההחלטה בדק את הערעור שלכם על התגובה שלכם ב${story(p)} וביטל אותה: התגובה פורסמה מחדש.`
          : `מנהל תוכן שלא קיבל את ההחלטה בדק את הערעור שלכם על התגובה שלכם ב${story(p)}. ההחלטה בעינה: התגובה נשארת לא מפורסמת.`,
        ...(p.note === null ? [] : [`ההסבר של מנהל התוכן: ${p.note}`]),
        `התגובה שלכם:`,
        { quote: p.excerpt },
        { action: `לצפייה מתחת לכתבה`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: 'התגובה שלכם נבחרה כמומלצת',
      body: [
        `המערכת של ${p.siteName} בחרה בתגובה שלכם על ${story(p)} כתגובה מומלצת:`,
        { quote: p.excerpt },
        { button: 'לתגובה שלי', href: p.link },
        'תודה שתרמתם לדיון.',
      ],
    }),
    'notice-received': (p) => ({
      subject: `קיבלנו את הדיווח שלך על תוכן בלתי חוקי`,
      body: [
        `קיבלנו את הדיווח שלך על תגובה ב־הכתבה "${p.storyTitle}" כתוכן בלתי חוקי, על בסיס העילה המשפטית הזו: ${p.legalGround}`,
        `מנחה יבדוק אותו. התגובה:`,
        { action: `לצפייה מתחת לכתבה`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `השעה האחרונה שלכם ב־${p.siteName}: תשובות ועדכונים על התגובות שלכם`
          : `היום שלכם ב־${p.siteName}: תשובות ועדכונים על התגובות שלכם`,
      body: [
        p.period === 'hourly'
          ? 'זה מה שקרה סביב התגובות שלכם בשעה האחרונה.'
          : 'זה מה שקרה סביב התגובות שלכם מאז אתמול.',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `תשובה מ־${item.author} לתגובה שלכם:`;
              case 'staff':
                return `תשובה מ־${item.author}, מהמערכת, בדיון שלכם:`;
              case 'answer':
                return `תשובה מ־${item.author}, מהמערכת, לשאלה שלכם:`;
              case 'mention':
                return `אזכור שלכם בתגובה של ${item.author}:`;
              case 'approved':
                return 'התגובה שלכם פורסמה:';
              case 'rejected':
                return `התגובה שלכם לא פורסמה (${he.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? he.reasons.other}):`;
              case 'featured':
                return 'התגובה שלכם נבחרה כמומלצת:';
              case 'appeal':
                return `מנהל תוכן הכריע בערעור שלכם:`;
            }
          },
          open: 'לקריאה בכתבה',
          moreOnStory: (n) =>
            plural('he', n, {
              one: 'ועוד אחת בכתבה הזו',
              two: 'ועוד שתיים בכתבה הזו',
              other: `ועוד ${n} בכתבה הזו`,
            }),
          moreElsewhere: (n) =>
            plural('he', n, {
              one: 'ועוד התראה אחת בכתבות אחרות: רשימת ההתראות מתחת לכל כתבה מציגה את כולן.',
              two: 'ועוד שתי התראות בכתבות אחרות: רשימת ההתראות מתחת לכל כתבה מציגה את כולן.',
              other: `ועוד ${n} התראות בכתבות אחרות: רשימת ההתראות מתחת לכל כתבה מציגה את כולן.`,
            }),
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: 'לבדיקה',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: plural('he', p.count, {
              one: `תגובה אחת ממתינה לבדיקה ב־${p.siteName}`,
              two: `שתי תגובות ממתינות לבדיקה ב־${p.siteName}`,
              other: `${p.count} תגובות ממתינות לבדיקה ב־${p.siteName}`,
            }),
            body: [
              `תגובות חדשות ממתינות בתור הבדיקה של ${p.siteName}.`,
              ...alertBlocks(p, words),
              { button: 'פתיחת התור', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: plural('he', p.count, {
              one: `דווחה תגובה ב־${p.siteName}`,
              two: `דווחו שתי תגובות ב־${p.siteName}`,
              other: `דווחו ${p.count} תגובות ב־${p.siteName}`,
            }),
            body: [
              `קוראים דיווחו על הדברים הבאים${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'פתיחת תור הדיווחים', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `הדיווחים על תגובה ב־${p.siteName} מצטברים`,
            body: [
              `קוראים דיווחו על זה יותר פעמים ממה שההתראה שלכם מתירה${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'פתיחת תור הדיווחים', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `שטף של תגובות ב־${p.siteName}`,
            body: [
              p.storyTitle
                ? `הכתבה "${p.storyTitle}" מקבלת הרבה יותר תגובות מהרגיל. האחרונות:`
                : 'אחת הכתבות מקבלת הרבה יותר תגובות מהרגיל. האחרונות:',
              ...alertBlocks(p, words),
              { button: 'למעקב אחרי התגובות בכתבה', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: plural('he', p.count, {
              one: `תגובה אחת ממתינה להחלטה ב־${p.siteName}`,
              two: `שתי תגובות ממתינות להחלטה ב־${p.siteName}`,
              other: `${p.count} תגובות ממתינות להחלטה ב־${p.siteName}`,
            }),
            body: [
              `מצב תורי הבדיקה של ${p.siteName}. התגובות הראשונות שממתינות:`,
              ...alertBlocks(p, words),
              { button: 'פתיחת התורים', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `התראת בדיקה מ־${p.siteName}`,
            body: [
              `זו בדיקה. התראות הניהול של ${p.siteName} מגיעות אליכם לכתובת הזו.`,
              ...alertBlocks(p, words),
              { button: 'פתיחת לוח הבקרה', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `Webhook של ${p.siteName} הושבת`,
      body: [
        `כל המשלוחים אל ${p.url} נכשלים מאז ${p.since}, ולכן נקודת הקצה הושבתה: לא יישלחו אליה עוד אירועים.`,
        `השגיאה האחרונה: ${p.reason}`,
        { button: 'לנקודת הקצה ולמשלוחים שלה', href: p.link },
        'כשהמקבל יחזור לפעול, הפעילו מחדש את נקודת הקצה בלוח הבקרה.',
      ],
    }),
  },
};
