/** The notification features' words in Arabic (see ./en.ts). */
import type { NotifyMessages } from './en.js';
import ignore from '../ignore/i18n/ar.js';
import qa from '../qa/i18n/ar.js';

/** Arabic plural forms (CLDR): one, two, few (3–10), many (11–99), other (0, 100, 101…). */
export const plural = (n: number, forms: [string, string, string, string, string]) =>
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
    appeal: 'بتّ مشرف في طعنك',
    answer: 'أجاب {name} عن سؤالك',
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

  guidelines: 'إرشادات المجتمع',
  discardPrompt: 'هل تريد حذف ردّك؟',
  discard: 'حذف',
  keepWriting: 'متابعة الكتابة',
  editTime: (n) =>
    n === 1
      ? 'يمكنك التعديل لمدة دقيقة واحدة أخرى'
      : n === 2
        ? 'يمكنك التعديل لمدة دقيقتين أخريين'
        : n <= 10
          ? `يمكنك التعديل لمدة ${n} دقائق أخرى`
          : `يمكنك التعديل لمدة ${n} دقيقة أخرى`,
  heldWhy: 'سبب الانتظار:',
  held: {
    PREMOD_SITE: 'يراجع هذا الموقع كل تعليق قبل نشره.',
    PREMOD_STORY: 'تُراجَع التعليقات على هذا المقال قبل نشرها.',
    PREMOD_USER: 'تُراجَع تعليقاتك قبل نشرها.',
    PREMOD_NEW_COMMENTER: 'تُراجَع تعليقات المشاركين الجدد قبل نشرها.',
    LINKS_HELD: 'يحتوي على رابط يتحقق منه المشرف أولًا.',
    WORD_SUSPECT: 'يحتوي على كلمات يتحقق منها المشرف أولًا.',
    CLASSIFIER_HOLD: 'رأى الفحص الآلي أنه قد يخالف قواعد النقاش.',
    SITE_MODEL_HOLD: 'يشبه تعليقات سبق أن حذفها مشرفو هذا الموقع.',
    POSTING_RATE: 'نشرت عدة تعليقات في وقت قصير.',
    EXTERNAL_HOLD: 'طلبت خدمة الإشراف لدى الناشر مراجعته.',
    EXTERNAL_UNAVAILABLE: 'تعذّر إكمال الفحص الآلي في الوقت المحدد.',
  },
  heldOther: 'سيراجعه المشرف قبل نشره.',
  // The Digital Services Act (docs/dsa.md): appeals, and notices of illegal content.
  appealUpheld: 'القرار قائم.',
  appealReversed: 'أُلغي القرار: نُشر تعليقك من جديد.',
  appealWhy: 'توضيح المشرف:',
  appeal: 'الطعن في هذا القرار',
  appealLabel: 'لماذا ينبغي مراجعة هذا القرار؟',
  appealHint: 'سيراجعه مشرف لم يتخذ القرار. يمكنك الطعن في كل قرار مرة واحدة.',
  appealSend: 'إرسال الطعن',
  appealSent: 'أُرسل طعنك. ستُبلَّغ بالنتيجة.',
  noticeLegend: 'محتوى غير قانوني',
  noticeHint:
    'إشعار بموجب قانون الخدمات الرقمية للاتحاد الأوروبي. يرى المشرفون اسمك وبريدك الإلكتروني إن ذكرتهما.',
  legalGround: 'الأساس القانوني (القانون، أو نوع المخالفة)',
  legalGroundExample: 'مثلًا: تشهير، تحريض على العنف',
  explanation: 'لماذا هذا المحتوى غير قانوني؟',
  notifierName: 'اسمك (اختياري)',
  notifierEmail: 'بريدك الإلكتروني (اختياري)',
  goodFaith: 'أؤكد بحسن نية أن المعلومات الواردة في هذا الإشعار دقيقة وكاملة على حد علمي.',
  // The comment forms (ui/Writing.tsx): the composer, a reply, an edit, a report, the question
  // before deleting, what the live region says of each, and the forms' own notices.
  warned: 'تحذير من المشرف',
  understand: 'فهمت',
  yourComment: 'تعليقك',
  yourReply: 'ردّك',
  formattingHint: 'يمكنك استخدام *التوكيد* و[الروابط](url) و> الاقتباس و`الشيفرة`.',
  postComment: 'نشر التعليق',
  postReply: 'نشر الرد',
  save: 'حفظ',
  cancel: 'إلغاء',
  revisePrompt: 'قد يخالف هذا التعليق قواعد النقاش. هل تودّ مراجعته؟',
  revise: 'مراجعة التعليق',
  postAnyway: 'النشر رغم ذلك',
  confirmEmail: 'أكّد عنوان بريدك الإلكتروني لتتمكن من التعليق — أرسلنا إليك رابطًا.',
  resendLink: 'أرسل الرابط مجددًا',
  linkSent: 'أرسلنا رابطًا جديدًا. تحقق من بريدك الوارد.',
  deletePrompt: 'حذف هذا التعليق؟',
  reportLegend: 'لماذا تبلّغ عن هذا التعليق؟',
  reportNote: 'ملاحظة (اختيارية)',
  sendReport: 'إرسال البلاغ',
  announcePosted: 'تم نشر التعليق',
  announcePending: 'أُرسل التعليق للمراجعة',
  announceUpdated: 'تم تحديث التعليق',
  announceDeleted: 'تم حذف التعليق',
  announceReported: 'تم إرسال البلاغ',
  // The Q&A feature's words (../qa/i18n).
  qa,
  // Ignoring a reader (../ignore/i18n).
  ignore,
};

export default ar;
