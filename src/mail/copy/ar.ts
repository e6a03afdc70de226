/** Arabic mail (right to left). */
import { alertBlocks, digestBlocks, plural } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `مقال «${p.storyTitle}»`;
const on = (title: string | null | undefined) => (title ? ` في مقال «${title}»` : '');

export const ar: MailCopy = {
  dir: 'rtl',
  greeting: (name) => (name ? `مرحبًا ${name}،` : 'مرحبًا،'),
  pasteLink: 'إذا لم يعمل الزر، فانسخ هذا العنوان والصقه في متصفحك:',
  colon: ':',
  signoff: (brand) => `فريق ${brand}`,
  lists: {
    reply: 'الردود على تعليقاتك',
    staff: 'ردود فريق التحرير في نقاشاتك',
    mention: 'الإشارات إلى اسمك',
    moderation: 'نتائج مراجعة تعليقاتك',
    featured: 'اختيار تعليقاتك ضمن التعليقات المميّزة',
    digest: 'النشاط حول تعليقاتك (ملخّصات)',
  },
  footer: (list, site) => `تصلك هذه الرسالة لأنك طلبت من ${site} مراسلتك بشأن ${list}.`,
  unsubscribe: 'إلغاء الاشتراك بنقرة واحدة',
  reasons: {
    abuse: 'إساءة',
    hate: 'كراهية',
    threat: 'تهديد',
    spam: 'رسائل مزعجة',
    off_topic: 'خارج الموضوع',
    illegal: 'محتوى غير قانوني',
    privacy: 'خصوصية',
    misinformation: 'معلومات مضلّلة',
    other: 'سبب آخر',
  },
  unsubscribePage: {
    title: 'إلغاء الاشتراك',
    question: (list) => `هل تريد إيقاف الرسائل بشأن ${list}؟`,
    undo: 'يمكنك إعادة تفعيلها في أي وقت من إعدادات الإشعارات.',
    button: 'إلغاء الاشتراك',
    done: (list) => `تم. لن تصلك بعد الآن رسائل بشأن ${list}.`,
    invalid:
      'رابط إلغاء الاشتراك هذا غير صالح. تأكّد من أنك نسخت العنوان كاملًا من الرسالة، أو غيّر اختياراتك من إعدادات الإشعارات.',
    settings: 'إعدادات الإشعارات',
  },
  templates: {
    verify: (p) => ({
      subject: 'أكّد عنوان بريدك الإلكتروني',
      body: [
        'شكرًا لانضمامك إلى النقاش. أكّد عنوان بريدك الإلكتروني لتبدأ التعليق.',
        { button: 'تأكيد عنواني', href: p.link },
        'يبقى الرابط صالحًا مدة 48 ساعة. إذا لم تكن أنت من أنشأ الحساب، فتجاهل هذه الرسالة.',
      ],
    }),
    'signup-existing': (p) => ({
      subject: 'لديك حساب بالفعل',
      body: [
        'حاول أحدهم، وربما أنت، إنشاء حساب بعنوان البريد هذا. لهذا العنوان حساب بالفعل، فيمكنك تسجيل الدخول مباشرة.',
        { button: 'تسجيل الدخول', href: p.loginLink },
        { link: 'نسيت كلمة المرور؟ اختر كلمة جديدة من هنا:', href: p.resetLink },
        'إذا لم تكن أنت، فتجاهل هذه الرسالة؛ لم يتغيّر شيء.',
      ],
    }),
    reset: (p) => ({
      subject: 'إعادة تعيين كلمة المرور',
      body: [
        'تلقّينا طلبًا لإعادة تعيين كلمة مرور حسابك.',
        { button: 'اختيار كلمة مرور جديدة', href: p.link },
        'يُستخدم الرابط مرة واحدة ويبقى صالحًا 30 دقيقة. إذا لم تطلب ذلك، فتجاهل هذه الرسالة وستبقى كلمة مرورك كما هي.',
      ],
    }),
    'change-email': (p) => ({
      subject: 'أكّد عنوان بريدك الإلكتروني الجديد',
      body: [
        'طلبتَ استخدام هذا العنوان لحسابك. أكّده لإتمام التغيير.',
        { button: 'تأكيد هذا العنوان', href: p.link },
        'إذا لم تطلب ذلك، فتجاهل هذه الرسالة وسيحتفظ حسابك بعنوانه الحالي.',
      ],
    }),
    'email-changed': (p) => ({
      subject: 'تغيّر عنوان بريدك الإلكتروني',
      body: [
        `أصبح عنوان البريد الإلكتروني لحسابك ${p.newEmail}، وسنراسلك عليه من الآن فصاعدًا.`,
        'إذا لم تُجرِ هذا التغيير بنفسك، فتواصل معنا فورًا.',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: 'سيُحذف حسابك',
      body: [
        `بناءً على طلبك، سيُحذف حسابك في ${p.dueAt}، وسيُمحى ملفك الشخصي نهائيًا عندها.`,
        'غيّرت رأيك؟ يمكنك الإلغاء حتى ذلك الحين.',
        { button: 'الإبقاء على حسابي', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: 'حُذف حسابك',
      body: [
        'حذفنا حسابك ومحونا ملفك الشخصي كما طلبت. شكرًا لمشاركتك في النقاش.',
        'هذه آخر رسالة تصلك منّا.',
      ],
    }),
    'notify-reply': (p) => ({
      subject: `ردّ ${p.actor} على تعليقك`,
      body: [
        `ردّ ${p.actor} على تعليقك في ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'قراءة الردّ', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `${p.actor} من ${p.siteName} انضمّ إلى نقاشك`,
      body: [
        `ردّ ${p.actor}، من فريق تحرير ${p.siteName}، في نقاش تشارك فيه في ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'قراءة الردّ', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `أجاب ${p.actor} عن سؤالك`,
      body: [
        `أجاب ${p.actor}، من فريق تحرير ${p.siteName}، عن سؤالك في ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'قراءة الإجابة', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `أشار إليك ${p.actor}`,
      body: [
        `أشار إليك ${p.actor} في تعليق على ${story(p)}:`,
        { quote: p.excerpt },
        { button: 'قراءة التعليق', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: 'نُشر تعليقك',
      body: [
        `راجعنا تعليقك على ${story(p)} وأصبح الآن منشورًا ليقرأه الجميع:`,
        { quote: p.excerpt },
        { button: 'عرض تعليقي', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: 'لم يُنشر تعليقك',
      body: [
        `بعد المراجعة، لم يُنشر تعليقك على ${story(p)}.`,
        `السبب: ${ar.reasons[p.reasonCode.toLowerCase()] ?? ar.reasons.other}`,
        ...(p.note === null ? [] : [`ملاحظة المشرف: ${p.note}`]),
        'تعليقك:',
        { quote: p.excerpt },
        { action: 'عرضه أسفل المقال (أنت وحدك تراه)', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [{ link: 'نشرح ما ننشره في إرشادات المشاركة لدينا:', href: p.guidelinesLink }]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject: p.outcome === 'reversed' ? `قُبل طعنك: نُشر تعليقك من جديد` : `رُوجع طعنك: القرار قائم`,
      body: [
        p.outcome === 'reversed'
          ? `راجع مشرف لم يتخذ القرار طعنك بشأن تعليقك على ${story(p)} وألغاه: نُشر التعليق من جديد.`
          : `راجع مشرف لم يتخذ القرار طعنك بشأن تعليقك على ${story(p)}. القرار قائم: يبقى التعليق غير منشور.`,
        ...(p.note === null ? [] : [`توضيح المشرف: ${p.note}`]),
        `تعليقك:`,
        { quote: p.excerpt },
        { action: `عرضه أسفل المقال`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: 'اختير تعليقك ضمن التعليقات المميّزة',
      body: [
        `اختار محرّرو ${p.siteName} تعليقك على ${story(p)} ضمن التعليقات المميّزة:`,
        { quote: p.excerpt },
        { button: 'عرض تعليقي', href: p.link },
        'شكرًا لإثرائك النقاش.',
      ],
    }),
    'notice-received': (p) => ({
      subject: `تلقّينا بلاغك عن محتوى غير قانوني`,
      body: [
        `تلقّينا بلاغك عن تعليق على مقال «${p.storyTitle}» بوصفه محتوى غير قانوني، على هذا الأساس القانوني: ${p.legalGround}`,
        `سيراجعه أحد المشرفين. التعليق:`,
        { action: `عرضه تحت المقال`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `ساعتك الأخيرة على ${p.siteName}: ردود وأخبار تعليقاتك`
          : `يومك على ${p.siteName}: ردود وأخبار تعليقاتك`,
      body: [
        p.period === 'hourly'
          ? 'إليك ما جرى حول تعليقاتك خلال الساعة الأخيرة.'
          : 'إليك ما جرى حول تعليقاتك منذ أمس.',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `ردّ ${item.author} على تعليقك:`;
              case 'staff':
                return `ردّ ${item.author}، من فريق التحرير، في نقاشك:`;
              case 'answer':
                return `أجاب ${item.author}، من فريق التحرير، عن سؤالك:`;
              case 'mention':
                return `أشار إليك ${item.author}:`;
              case 'approved':
                return 'نُشر تعليقك:';
              case 'rejected':
                return `لم يُنشر تعليقك (${ar.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? ar.reasons.other}):`;
              case 'featured':
                return 'اختير تعليقك ضمن التعليقات المميّزة:';
              case 'appeal':
                return `بتّ مشرف في طعنك:`;
            }
          },
          open: 'قراءته في المقال',
          moreOnStory: (n) =>
            plural('ar', n, {
              one: 'وإشعار آخر في هذا المقال',
              two: 'وإشعاران آخران في هذا المقال',
              few: `و${n} إشعارات أخرى في هذا المقال`,
              many: `و${n} إشعارًا آخر في هذا المقال`,
              other: `و${n} إشعار آخر في هذا المقال`,
            }),
          moreElsewhere: (n) =>
            plural('ar', n, {
              one: 'وإشعار آخر في مقالات أخرى: تعرضها كلها قائمة الإشعارات أسفل أي مقال.',
              two: 'وإشعاران آخران في مقالات أخرى: تعرضها كلها قائمة الإشعارات أسفل أي مقال.',
              few: `و${n} إشعارات أخرى في مقالات أخرى: تعرضها كلها قائمة الإشعارات أسفل أي مقال.`,
              many: `و${n} إشعارًا آخر في مقالات أخرى: تعرضها كلها قائمة الإشعارات أسفل أي مقال.`,
              other: `و${n} إشعار آخر في مقالات أخرى: تعرضها كلها قائمة الإشعارات أسفل أي مقال.`,
            }),
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: 'مراجعة',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: plural('ar', p.count, {
              one: `تعليق واحد ينتظر المراجعة على ${p.siteName}`,
              two: `تعليقان ينتظران المراجعة على ${p.siteName}`,
              few: `${p.count} تعليقات تنتظر المراجعة على ${p.siteName}`,
              many: `${p.count} تعليقًا ينتظر المراجعة على ${p.siteName}`,
              other: `${p.count} تعليق ينتظر المراجعة على ${p.siteName}`,
            }),
            body: [
              `تعليقات جديدة تنتظر في قائمة المراجعة على ${p.siteName}.`,
              ...alertBlocks(p, words),
              { button: 'فتح القائمة', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: plural('ar', p.count, {
              one: `أُبلغ عن تعليق على ${p.siteName}`,
              two: `أُبلغ عن تعليقين على ${p.siteName}`,
              few: `أُبلغ عن ${p.count} تعليقات على ${p.siteName}`,
              many: `أُبلغ عن ${p.count} تعليقًا على ${p.siteName}`,
              other: `أُبلغ عن ${p.count} تعليق على ${p.siteName}`,
            }),
            body: [
              `أبلغ القرّاء عمّا يلي${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'فتح قائمة البلاغات', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `البلاغات تتراكم على تعليق في ${p.siteName}`,
            body: [
              `أبلغ القرّاء عن هذا أكثر مما يسمح به تنبيهك${on(p.storyTitle)}.`,
              ...alertBlocks(p, words),
              { button: 'فتح قائمة البلاغات', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `سيل من التعليقات على ${p.siteName}`,
            body: [
              p.storyTitle
                ? `يتلقّى مقال «${p.storyTitle}» تعليقات أكثر بكثير من المعتاد. أحدثها:`
                : 'يتلقّى أحد المقالات تعليقات أكثر بكثير من المعتاد. أحدثها:',
              ...alertBlocks(p, words),
              { button: 'متابعة تعليقات المقال', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: plural('ar', p.count, {
              one: `تعليق واحد ينتظر قرارًا على ${p.siteName}`,
              two: `تعليقان ينتظران قرارًا على ${p.siteName}`,
              few: `${p.count} تعليقات تنتظر قرارًا على ${p.siteName}`,
              many: `${p.count} تعليقًا ينتظر قرارًا على ${p.siteName}`,
              other: `${p.count} تعليق ينتظر قرارًا على ${p.siteName}`,
            }),
            body: [
              `حال قوائم المراجعة على ${p.siteName}. أول التعليقات المنتظرة:`,
              ...alertBlocks(p, words),
              { button: 'فتح القوائم', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `تنبيه تجريبي من ${p.siteName}`,
            body: [
              `هذا اختبار. تصلك تنبيهات الإشراف الخاصة بـ${p.siteName} على هذا العنوان.`,
              ...alertBlocks(p, words),
              { button: 'فتح لوحة التحكم', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `أُوقف خطاف ويب (Webhook) لدى ${p.siteName}`,
      body: [
        `فشلت كل عمليات التسليم إلى ${p.url} منذ ${p.since}، لذا أُوقفت نقطة الاستقبال ولن تُرسل إليها أي أحداث بعد الآن.`,
        `آخر خطأ: ${p.reason}`,
        { button: 'عرض نقطة الاستقبال وعمليات التسليم', href: p.link },
        'حين يعود المستقبِل إلى العمل، أعد تفعيل نقطة الاستقبال من لوحة التحكم.',
      ],
    }),
  },
};
