/** تجاهل قارئ في الأداة، بالعربية (انظر ./en.ts). */
import type { IgnoreMessages } from './en.js';

const ar: IgnoreMessages = {
  ignore: 'تجاهل',
  ignoreName: 'تجاهل {name}',
  collapsed: 'تعليق من شخص تتجاهله',
  show: 'إظهار',
  hide: 'إخفاء',
  stopIgnoring: 'إلغاء التجاهل',
  ignored: 'أنت تتجاهل {name} الآن. طُويت تعليقاته.',
  unignored: 'لم تعد تتجاهل {name}.',
  listTitle: 'القرّاء الذين تتجاهلهم',
  listEmpty: 'أنت لا تتجاهل أحدًا.',
  failed: 'لم ينجح ذلك. حاول مجددًا.',
};

export default ar;
