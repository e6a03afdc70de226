/** The notification features' words in Arabic (see ./en.ts). */
import type { NotifyMessages } from './en.js';

/** Arabic plural forms (CLDR): one, two, few (3–10), many (11–99), other (0, 100, 101…). */
const plural = (n: number, forms: [string, string, string, string, string]) =>
  n === 1
    ? forms[0]
    : n === 2
      ? forms[1]
      : n % 100 >= 3 && n % 100 <= 10
        ? forms[2]
        : n % 100 >= 11
          ? forms[3]
          : forms[4];

const ar: NotifyMessages = {
  notifications: 'الإشعارات',
  bell: (n) =>
    n === 0
      ? 'الإشعارات'
      : `الإشعارات، ${plural(n, [
          'إشعار واحد غير مقروء',
          'إشعاران غير مقروءين',
          `${n} إشعارات غير مقروءة`,
          `${n} إشعارًا غير مقروء`,
          `${n} إشعار غير مقروء`,
        ])}`,
  close: 'إغلاق',
  loading: 'جارٍ التحميل…',
  markAllRead: 'تعليم الكل كمقروء',
  settings: 'إعدادات البريد',
  backToList: 'العودة إلى الإشعارات',
  older: 'عرض إشعارات أقدم',
  empty: 'لا جديد بعد. ستظهر هنا الردود على تعليقاتك وكل ما يطرأ عليها.',
  unread: 'غير مقروء:',
  what: {
    reply: 'ردّ {name} على تعليقك',
    staff: 'ردّ {name} من فريق التحرير في نقاشك',
    mention: 'ذكرك {name} في تعليق',
    approved: 'تمت الموافقة على تعليقك ونُشر',
    rejected: 'أزال المشرف تعليقك',
    featured: 'اختير تعليقك ضمن التعليقات المختارة',
  },
  someone: 'أحد القرّاء',
  reason: 'السبب:',
  onStory: 'في {title}',
  anotherStory: 'مقال آخر',
  announce: 'إشعار جديد: {text}',

  settingsTitle: 'الإشعارات بالبريد الإلكتروني',
  emailLegend: 'راسلني',
  modes: {
    off: 'أبدًا',
    immediate: 'فورًا',
    hourly: 'في ملخّص كل ساعة',
    daily: 'في ملخّص يومي',
  },
  kindsLegend: 'بشأن',
  kinds: {
    reply: 'الردود على تعليقاتي',
    staff: 'ردود فريق التحرير في نقاشاتي',
    mention: 'ذكر اسمي',
    moderation: 'قرارات الإشراف على تعليقاتي',
    featured: 'اختيار تعليقاتي ضمن المختارة',
  },
  listNote: 'تعرض القائمة تحت الجرس كل شيء، أيًّا كان اختيارك هنا.',
  unconfirmed: 'تبدأ الرسائل بعد تأكيد عنوان بريدك الإلكتروني.',
  bounced: 'تعذّر إيصال الرسائل إلى عنوانك، فتوقّف الإرسال. أكّد عنوانك مجددًا من «حسابك».',
  saveSettings: 'حفظ الإعدادات',
  settingsSaved: 'تم حفظ الإعدادات.',

  optIn: 'راسلني عندما يردّ أحد',
  optInDone: 'سنراسلك عندما يردّ أحد.',

  mentionsLabel: 'قرّاء هذا النقاش',
  mentionCount: (n) =>
    `${plural(n, [
      'اسم مقترح واحد',
      'اسمان مقترحان',
      `${n} أسماء مقترحة`,
      `${n} اسمًا مقترحًا`,
      `${n} اسم مقترح`,
    ])}: اختر بمفاتيح الأسهم`,

  linkedNotice: 'فتحت رابطًا إلى تعليق: يظهر أولًا، تحت التعليقات التي يردّ عليها.',
  showWhole: 'عرض النقاش كاملًا',
  linkedGone: 'لم يعد التعليق الذي يشير إليه الرابط متاحًا.',
};

export default ar;
