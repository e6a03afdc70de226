/**
 * Generated training examples, written for the project: threat phrases from the lexicon in short
 * frames (labelled threat and toxicity; the labelled sets have almost no threat labels), and for
 * the two languages without labelled training data, Hebrew and Spanish, insults from the lexicon
 * in short frames plus everyday benign sentences written for the project (so that the words
 * around an insult do not become a signal on their own). Deterministic.
 */
import { LEXICON, LEXICON_LANGUAGES } from '../lexicon.ts';
import type { TrainingExample } from './datasets.ts';

const THREAT_FRAMES: Record<string, string[]> = {
  en: ['{}', '{} if you come back here', 'listen: {}', '{}, all of you'],
  fr: ['{}', '{} si tu reviens ici', 'écoute bien : {}', '{}, vous tous'],
  es: ['{}', '{} si vuelves por aquí', 'escucha bien: {}', '{}, a todos'],
  ar: ['{}', '{} اذا رجعت هون', 'اسمع: {}', '{} كلكم'],
  he: ['{}', '{} אם תחזור לכאן', 'תקשיב טוב: {}', '{} כולכם'],
  zh: ['{}', '{}，你等着', '听好了：{}', '{}，你们所有人'],
};

const INSULT_FRAMES: Record<'he' | 'es', string[]> = {
  he: [
    'אתה {}',
    'את {}',
    'איזה {}',
    'השר הזה {}',
    'כולם שם {}',
    'תגיד לי, אתה {}?',
    'רק {} כותב ככה',
  ],
  es: [
    'eres un {}',
    'qué {}',
    'el ministro es un {}',
    'son todos unos {}',
    'oye, ¿eres {}?',
    'solo un {} escribe así',
  ],
};

/** Everyday sentences, written for the project: the benign side of the Hebrew and Spanish frames. */
const BENIGN: Record<'he' | 'es', string[]> = {
  he: [
    'אתה צודק, הכתבה הזאת מסבירה את המצב היטב',
    'את כותבת יפה, תודה על התגובה',
    'איזה יום יפה היה היום בחוף',
    'השר הזה הציג תוכנית חדשה לתחבורה ציבורית',
    'כולם שם חיכו בסבלנות לאוטובוס',
    'תגיד לי, אתה יודע מתי מתחיל המשחק?',
    'רק מי שקרא את כל הכתבה מבין את ההקשר',
    'מחר צפוי גשם בצפון ובמרכז הארץ',
    'הילדים חזרו מבית הספר ואכלו ארוחת צהריים',
    'אני חושב שצריך לשמוע את שני הצדדים לפני שמחליטים',
    'המחירים בסופר עלו שוב החודש',
    'תודה על הכתבה המעניינת והמפורטת',
    'הקבוצה ניצחה אתמול במשחק צמוד מאוד',
    'אפשר לא להסכים ועדיין לדבר בכבוד',
    'הממשלה צריכה להשקיע יותר בחינוך ובבריאות',
    'קראתי את הספר הזה בקיץ ונהניתי מאוד',
    'הכביש לירושלים היה פקוק כל הבוקר',
    'יש לי שאלה לגבי הנתונים שהופיעו בכתבה',
    'מזל טוב לכל מי שסיים את הלימודים השנה',
    'השכנים שלנו הביאו עוגה לכבוד החג',
    'לדעתי הכותב שכח להזכיר את ההיסטוריה של האזור',
    'הרופאה אמרה שהכול בסדר ואפשר לחזור הביתה',
    'המוזיאון פתוח גם בשבת בבוקר',
    'זו הייתה החלטה קשה, אבל היא הייתה נכונה',
    'אני מקווה שהשיחות יובילו להסכם',
    'הכתבה טובה, אבל הכותרת קצת מטעה',
    'בערב נצא לטייל עם הכלב בפארק',
    'המורה שלי תמיד עודדה אותי לשאול שאלות',
    'צריך לבדוק את העובדות לפני שמפרסמים',
    'היה קונצרט נהדר בתל אביב בסוף השבוע',
    'אני לא מסכים עם הטענה, ואסביר למה',
    'הנתונים מראים ירידה באבטלה השנה',
    'חבל שלא נתנו יותר מקום לדעות אחרות',
    'שבוע טוב לכולם',
    'הכנסת תדון בחוק בשבוע הבא',
    'ראיתי את הסרט ואהבתי את המשחק של השחקנים',
  ],
  es: [
    'eres un buen amigo, gracias por ayudarme',
    'qué día tan bonito hace hoy en la playa',
    'el ministro es un economista con mucha experiencia',
    'son todos unos vecinos muy amables',
    'oye, ¿eres de Madrid o de Valencia?',
    'solo un lector atento se da cuenta de ese detalle',
    'mañana lloverá en el norte del país',
    'los niños volvieron del colegio y comieron juntos',
    'creo que hay que escuchar a las dos partes antes de opinar',
    'los precios del supermercado han vuelto a subir este mes',
    'gracias por el artículo, muy interesante y bien documentado',
    'el equipo ganó ayer un partido muy reñido',
    'se puede discrepar y seguir hablando con respeto',
    'el gobierno debería invertir más en educación y sanidad',
    'leí este libro en verano y me encantó',
    'la carretera estaba atascada toda la mañana',
    'tengo una pregunta sobre los datos del artículo',
    'enhorabuena a todos los que terminaron sus estudios',
    'nuestros vecinos nos trajeron un pastel por la fiesta',
    'creo que el autor olvidó mencionar la historia de la región',
    'la médica dijo que todo estaba bien',
    'el museo abre también el domingo por la mañana',
    'fue una decisión difícil, pero acertada',
    'espero que las negociaciones lleguen a un acuerdo',
    'el artículo está bien, pero el titular es engañoso',
    'esta tarde vamos a pasear al perro por el parque',
    'mi profesora siempre me animaba a hacer preguntas',
    'hay que comprobar los hechos antes de publicar',
    'hubo un concierto estupendo en Barcelona el fin de semana',
    'no estoy de acuerdo con el argumento y explico por qué',
    'los datos muestran que el paro bajó este año',
    'es una pena que no dieran más espacio a otras opiniones',
    'buen fin de semana a todos',
    'el parlamento debatirá la ley la semana que viene',
    'vi la película y me gustó mucho la actuación',
    'la basura se recoge los martes y los viernes',
  ],
};

/**
 * Group names in everyday, non-hostile frames, so that naming a group is not learned as a sign of
 * hate (the labelled sets mention groups mostly in hostile tweets). The frames are deliberately
 * unlike the sentences of the fairness set (models/fairness), which measures whether this carries
 * over to sentences the model has not seen. (The adjective forms and the Arabic oblique case were
 * added after a first fairness run missed sentences using them.)
 */
const GROUPS: Record<string, string[]> = {
  en: [
    'Palestinians',
    'Israelis',
    'Jews',
    'Muslims',
    'Arabs',
    'Christians',
    'Hamas',
    'Fatah',
    'the Chinese',
    'Druze',
    'Jewish families',
    'Muslim women',
    'Arab citizens',
    'Israeli soldiers',
    'Palestinian children',
    'Chinese students',
    'Jewish writers',
    'Arab farmers',
    'Christian pilgrims',
    'Israeli doctors',
  ],
  fr: [
    'les Palestiniens',
    'les Israéliens',
    'les Juifs',
    'les musulmans',
    'les Arabes',
    'les chrétiens',
    'le Hamas',
    'le Fatah',
    'les Chinois',
    'la Chine',
    'les familles juives',
    'des étudiants chinois',
    'des écrivains juifs',
    'des agriculteurs arabes',
    'des pèlerins chrétiens',
    'des médecins israéliens',
    'les femmes musulmanes',
  ],
  es: [
    'los palestinos',
    'los israelíes',
    'los judíos',
    'los musulmanes',
    'los árabes',
    'los cristianos',
    'Hamás',
    'Fatah',
    'los chinos',
    'China',
    'las familias judías',
    'las mujeres musulmanas',
    'estudiantes chinos',
    'escritores judíos',
    'agricultores árabes',
    'peregrinos cristianos',
    'médicos israelíes',
  ],
  ar: [
    'الفلسطينيون',
    'الإسرائيليون',
    'اليهود',
    'المسلمون',
    'العرب',
    'المسيحيون',
    'حماس',
    'فتح',
    'الصينيون',
    'الصين',
    'العائلات اليهودية',
    'النساء المسلمات',
    'الفلسطينيين',
    'الإسرائيليين',
    'المسلمين',
    'المسيحيين',
    'اليهود العرب',
    'الطلاب الصينيين',
    'الكتاب اليهود',
    'الفلاحين العرب',
  ],
  he: [
    'הפלסטינים',
    'הישראלים',
    'היהודים',
    'המוסלמים',
    'הערבים',
    'הנוצרים',
    'חמאס',
    'פתח',
    'הסינים',
    'סין',
    'משפחות יהודיות',
    'נשים מוסלמיות',
    'סטודנטים סינים',
    'סופרים יהודים',
    'חקלאים ערבים',
    'צליינים נוצרים',
    'רופאים ישראלים',
  ],
  zh: [
    '巴勒斯坦人',
    '以色列人',
    '犹太人',
    '穆斯林',
    '阿拉伯人',
    '基督徒',
    '哈马斯',
    '法塔赫',
    '中国人',
    '中国',
    '犹太家庭',
    '穆斯林妇女',
    '中国学生',
    '犹太作家',
    '阿拉伯农民',
    '基督教朝圣者',
    '以色列医生',
  ],
};

const GROUP_FRAMES: Record<string, string[]> = {
  en: [
    '{} live in many countries',
    'a new book about {} and their history',
    'a poll asked {} about the economy',
    'I interviewed {} for a school project',
    'the festival was organised by {}',
    'what do {} think about the new law?',
    'statement by {} on the negotiations',
    '{} and their neighbours',
  ],
  fr: [
    '{} vivent dans de nombreux pays',
    'un nouveau livre sur {} et leur histoire',
    'un sondage a interrogé {} sur l’économie',
    'la fête a été organisée par {}',
    'que pensent {} de la nouvelle loi ?',
    'déclaration de {} sur les négociations',
    '{} et leurs voisins',
    'une exposition consacrée à {}',
  ],
  es: [
    '{} viven en muchos países',
    'un libro nuevo sobre {} y su historia',
    'una encuesta preguntó a {} por la economía',
    'la fiesta la organizaron {}',
    '¿qué piensan {} de la nueva ley?',
    'comunicado de {} sobre las negociaciones',
    '{} y sus vecinos',
    'una exposición dedicada a {}',
  ],
  ar: [
    'يعيش {} في بلدان كثيرة',
    'كتاب جديد عن {} وتاريخهم',
    'سأل استطلاع {} عن الاقتصاد',
    'نظم {} المهرجان',
    'ماذا يرى {} في القانون الجديد؟',
    'بيان من {} حول المفاوضات',
    '{} وجيرانهم',
    'معرض عن حياة {}',
  ],
  he: [
    '{} חיים במדינות רבות',
    'ספר חדש על {} וההיסטוריה שלהם',
    'סקר שאל את {} על הכלכלה',
    'את הפסטיבל ארגנו {}',
    'מה חושבים {} על החוק החדש?',
    'הודעה של {} על המשא ומתן',
    '{} והשכנים שלהם',
    'תערוכה על חייהם של {}',
  ],
  zh: [
    '{}生活在很多国家',
    '一本关于{}历史的新书',
    '民意调查询问了{}对经济的看法',
    '这个节日是{}组织的',
    '{}怎么看新法律？',
    '{}就谈判发表声明',
    '{}和他们的邻居',
    '一个关于{}生活的展览',
  ],
};

const fill = (frame: string, phrase: string) => frame.replace('{}', phrase);

/** Neutral sentences naming groups: every frame with every group of its language. */
export function groupNamingExamples(): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const [language, groups] of Object.entries(GROUPS)) {
    for (const frame of GROUP_FRAMES[language] ?? []) {
      for (const group of groups) {
        out.push({ text: fill(frame, group), source: 'synthetic-groups', targets: [0, 0, 0, 0] });
      }
    }
  }
  return out;
}

export function syntheticExamples(): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const language of LEXICON_LANGUAGES) {
    const frames = THREAT_FRAMES[language] ?? ['{}'];
    for (const raw of LEXICON[language].threat) {
      const phrase = raw.endsWith('*')
        ? raw.slice(0, -1) + (language === 'he' ? 'ערבים' : 'العرب')
        : raw;
      for (const frame of frames) {
        out.push({
          text: fill(frame, phrase),
          source: 'synthetic-threat',
          targets: [1, null, 1, 0],
        });
      }
    }
  }
  for (const language of ['he', 'es'] as const) {
    const frames = INSULT_FRAMES[language];
    const { insult, slur } = LEXICON[language];
    for (const [kind, words] of [
      ['insult', insult],
      ['slur', slur],
    ] as const) {
      words.forEach((word, i) => {
        // Two frames per word, rotating, so every frame appears with many words.
        for (const frame of [frames[i % frames.length], frames[(i + 3) % frames.length]]) {
          out.push({
            text: fill(frame ?? '{}', word),
            source: `synthetic-${language}`,
            targets: [1, kind === 'slur' ? 1 : 0, 0, 0],
          });
        }
      });
    }
    for (const sentence of BENIGN[language]) {
      out.push({ text: sentence, source: `synthetic-${language}`, targets: [0, 0, 0, 0] });
    }
  }
  return [...out, ...groupNamingExamples()];
}
