/** الملف الشخصي والقرّاء المتجاهَلون، بالعربية (انظر ./en.ts). */
import type { ProfileMessages } from './en.js';

const ar: ProfileMessages = {
  section: 'ملفك الشخصي والقرّاء الذين تتجاهلهم',
  privateLabel: 'إبقاء تعليقاتي خاصة في ملفي الشخصي',
  privateHint:
    'لن يرى الآخرون حينها إلا اسمك وصورتك وشاراتك. ستبقى ترى تعليقاتك، ويرى المشرفون كل شيء كما من قبل.',
  privateOn: 'أصبحت تعليقاتك خاصة في ملفك الشخصي.',
  privateOff: 'أصبحت تعليقاتك ظاهرة في ملفك الشخصي.',
  seeProfile: 'عرض ملفك الشخصي',
  ignoredTitle: 'القرّاء الذين تتجاهلهم',
  ignoredHint: 'تُطوى تعليقاتهم لك على كل جهاز سجّلت الدخول منه. ولا يُبلَّغون بذلك.',
  ignoredEmpty: 'أنت لا تتجاهل أحدًا. لتجاهل قارئ، اختر «تجاهل» أسفل أحد تعليقاته.',
  since: (date) => `منذ ${date}`,
  stopIgnoring: 'إلغاء التجاهل',
  stopIgnoringName: (name) => `إلغاء تجاهل ${name}`,
  stopped: (name) => `لم تعد تتجاهل ${name}.`,
};

export default ar;
