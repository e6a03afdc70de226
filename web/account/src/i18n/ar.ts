/** The account pages in Arabic (the page is right-to-left). */
import type { Messages } from './en.js';
import readers from './profile/ar.js';

const ar: Messages = {
  signInTitle: 'سجّل الدخول للتعليق',
  accountTitle: 'حسابك',
  verifyTitle: 'أكّد عنوانك',
  resetTitle: 'اختر كلمة مرور جديدة',
  emailTitle: 'أكّد عنوانك الجديد',
  signUpTitle: 'إنشاء حساب',
  forgotTitle: 'إعادة تعيين كلمة المرور',

  email: 'البريد الإلكتروني',
  password: 'كلمة المرور',
  displayName: 'الاسم المعروض',
  passwordHint: '8 أحرف على الأقل.',
  logIn: 'تسجيل الدخول',
  signUp: 'إنشاء حساب',
  forgotPassword: 'نسيت كلمة المرور؟',
  sendLink: 'أرسل لي رابطًا',
  backToLogIn: 'العودة إلى تسجيل الدخول',
  or: 'أو',
  continueWith: (label) => `المتابعة باستخدام ${label}`,
  working: 'لحظة من فضلك…',

  signUpSent: (email) =>
    `أرسلنا رسالة إلى ${email}. افتح الرابط الذي فيها في هذا المتصفح لتأكيد عنوانك، وسيتم تسجيل دخولك هنا.`,
  forgotSent: (email) =>
    `إذا كان هناك حساب يستخدم ${email} فقد أرسلنا إليه رابطًا لاختيار كلمة مرور جديدة. يعمل الرابط مدة 30 دقيقة.`,
  signedIn: 'سجّلت الدخول. يمكنك إغلاق هذه النافذة.',
  noOpener: 'لم تعد الصفحة التي فتحت هذه النافذة موجودة. عُد إلى التعليقات وسجّل الدخول من هناك.',
  noMethods: 'لا يتيح هذا الموقع أي طريقة لتسجيل الدخول هنا.',

  invalidCredentials: 'البريد الإلكتروني أو كلمة المرور غير صحيحين.',
  tooManyAttempts: (when) => `محاولات كثيرة جدًا. حاول مجددًا ${when}.`,
  tooManyRequests: 'طلبات كثيرة جدًا. انتظر قليلًا ثم حاول مجددًا.',
  networkError: 'تعذّر الوصول إلى Parley. تحقق من اتصالك وحاول مجددًا.',
  unknownError: 'حدث خطأ ما. يرجى المحاولة مجددًا.',
  emailTaken: 'هناك حساب آخر يستخدم هذا العنوان.',
  wrongPassword: 'كلمة المرور غير صحيحة.',
  sessionEnded: 'انتهت جلستك. سجّل الدخول مجددًا.',

  checking: 'جارٍ التحقق من الرابط…',
  missingToken: 'هذا الرابط غير مكتمل. انسخ الرابط كاملًا من الرسالة إلى شريط العنوان.',
  invalidLink: 'انتهت صلاحية هذا الرابط أو سبق استخدامه.',
  verified: 'تم تأكيد عنوانك. سجّل الدخول بكلمة المرور للتعليق.',
  signedInHere: (name) =>
    `سُجّل دخولك باسم ${name} في هذه الصفحة. عند عودتك إلى المقال، سجّل الدخول للتعليق.`,
  verifiedThere: 'تم تأكيد عنوانك، وسُجّل دخولك حيث أنشأت حسابك. يمكنك إغلاق هذه الصفحة.',
  verifiedHere: (name) =>
    `تم تأكيد عنوانك، وسُجّل دخولك باسم ${name} في هذه الصفحة. عند عودتك إلى المقال، سجّل الدخول للتعليق.`,
  backToArticle: 'العودة إلى المقال',
  verifyAgain:
    'للحصول على رابط جديد، سجّل الدخول حيث تعلّق، وافتح «حسابك» واختر «إرسال الرابط مجددًا».',
  newPassword: 'كلمة المرور الجديدة',
  savePassword: 'حفظ كلمة المرور الجديدة',
  passwordReset: 'تم تغيير كلمة مرورك وتسجيل خروجك من كل مكان. سجّل الدخول مجددًا حيث تعلّق.',
  resetAgain: 'للحصول على رابط جديد، اختر «نسيت كلمة المرور؟» عند تسجيل الدخول.',
  emailChanged: (email) => `أصبح عنوانك الآن ${email}.`,

  connecting: 'جارٍ الاتصال بالتعليقات…',
  logInToManage: 'سجّل الدخول لإدارة حسابك.',
  publisherAccount: 'إذا كنت تعلّق بحساب صحيفتك، فافتح «حسابك» من التعليقات بدلًا من ذلك.',
  signedInAs: (name) => `مسجّل الدخول باسم ${name}`,
  profile: 'الملف الشخصي',
  save: 'حفظ',
  nameSaved: 'تم تغيير اسمك المعروض.',
  nameTooSoon: 'غيّرت اسمك المعروض مؤخرًا؛ يمكنك تغييره مجددًا لاحقًا.',
  addressSection: 'عنوان البريد الإلكتروني',
  currentAddress: (email) => `عنوانك: ${email}`,
  notVerified: 'لم يتم تأكيد عنوانك بعد.',
  sendAgain: 'إرسال الرابط مجددًا',
  verifySent: 'أرسلنا رابطًا جديدًا. تحقق من بريدك.',
  newEmail: 'العنوان الجديد',
  changeEmail: 'تغيير العنوان',
  emailSent: (email) => `أرسلنا رابطًا إلى ${email}. يتغيّر عنوانك عندما تتبعه.`,
  passwordSection: 'كلمة المرور',
  currentPassword: 'كلمة المرور الحالية',
  changePassword: 'تغيير كلمة المرور',
  passwordChanged: 'تم تغيير كلمة مرورك. تم تسجيل خروج جلساتك الأخرى.',
  sessionsSection: 'أين سجّلت الدخول',
  thisDevice: 'هذا الجهاز',
  unknownDevice: 'جهاز غير معروف',
  device: (browser, os) => (browser && os ? `${browser} على ${os}` : browser || os || ''),
  thisNamedDevice: (device) => `${device} (هذا الجهاز)`,
  signedInOn: (date) => `منذ ${date}`,
  signOut: 'تسجيل الخروج',
  signOutEverywhere: 'تسجيل الخروج من كل مكان',
  signedOutEverywhere: 'تم تسجيل خروجك من كل مكان. يمكنك إغلاق هذه النافذة.',
  dataSection: 'بياناتك',
  dataExplained: 'ملفك الشخصي وتعليقاتك وتفاعلاتك وبلاغاتك، في ملف JSON واحد.',
  download: 'تنزيل بياناتي',
  downloaded: 'تم تنزيل بياناتك.',
  deleteSection: 'حذف حسابك',
  deleteExplained:
    'يُمحى ملفك الشخصي بعد مهلة يمكنك خلالها العدول عن قرارك. بعدها تُزال تعليقاتك أو تظهر بعبارة «[محذوف]»، بحسب ما يقرره الموقع.',
  confirmWithPassword: 'أدخل كلمة المرور للتأكيد',
  deleteAccount: 'حذف حسابي',
  deletionDue: (date) => `سيُحذف حسابك في ${date}.`,
  cancelDeletion: 'الإبقاء على حسابي',
  deletionCancelled: 'أُلغي الحذف: سيبقى حسابك.',

  notificationsSection: 'الإشعارات',
  unreadCount: (n) =>
    n === 0
      ? 'لا شيء غير مقروء.'
      : n === 1
        ? 'إشعار واحد غير مقروء'
        : n === 2
          ? 'إشعاران غير مقروءين'
          : n % 100 >= 3 && n % 100 <= 10
            ? `${n} إشعارات غير مقروءة`
            : n % 100 >= 11
              ? `${n} إشعارًا غير مقروء`
              : `${n} إشعار غير مقروء`,
  noNotifications: 'لا جديد بعد. ستظهر هنا الردود على تعليقاتك وكل ما يطرأ عليها.',
  unread: 'غير مقروء:',
  markAllRead: 'تعليم الكل كمقروء',
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
  reasons: {
    abuse: 'إساءة',
    spam: 'رسائل مزعجة',
    off_topic: 'خارج الموضوع',
    misinformation: 'معلومات مضلّلة',
    other: 'سبب آخر',
    hate: 'كراهية',
    threat: 'تهديد',
    illegal: 'محتوى غير قانوني',
    privacy: 'خصوصية',
  },
  onStory: 'في {title}',
  untitledStory: 'مقال',
  mailSettings: 'الإشعارات بالبريد الإلكتروني',
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
  mailUnconfirmed: 'تبدأ الرسائل بعد تأكيد عنوان بريدك الإلكتروني.',
  mailBounced: 'تعذّر إيصال الرسائل إلى عنوانك، فلن يُرسل شيء حتى تؤكّد عنوانك مجددًا.',
  saveSettings: 'حفظ الإعدادات',
  settingsSaved: 'تم حفظ إعدادات الإشعارات.',
  // Your profile and the readers you ignore (./profile).
  readers,
};

export default ar;
