/** התעלמות מקורא בווידג׳ט, בעברית (ראו ./en.ts). */
import type { IgnoreMessages } from './en.js';

const he: IgnoreMessages = {
  ignore: 'התעלמות',
  ignoreName: 'התעלמות מ־{name}',
  collapsed: 'תגובה של מישהו שאתם מתעלמים ממנו',
  show: 'הצגה',
  hide: 'הסתרה',
  stopIgnoring: 'ביטול ההתעלמות',
  ignored: 'אתם מתעלמים עכשיו מ־{name}. התגובות שלו מקופלות.',
  unignored: 'אתם כבר לא מתעלמים מ־{name}.',
  listTitle: 'קוראים שאתם מתעלמים מהם',
  listEmpty: 'אינכם מתעלמים מאף אחד.',
  failed: 'זה לא הצליח. נסו שוב.',
};

export default he;
