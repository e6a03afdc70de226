/**
 * The project's own abuse lexicons, written for Parley (not taken from any data set): insults and
 * profanity, slurs aimed at groups, and threat phrases, in the six languages of the seed story.
 *
 * They serve the model twice. At inference a hit becomes a language-independent feature
 * (`lex:insult`, `lex:slur`, `lex:threat`) whose weight is learned from the labelled English,
 * Arabic, Chinese and French data, so it carries over to Spanish and Hebrew, which have no
 * labelled training data here. At training time the threat phrases and the Hebrew lists also seed
 * a small set of generated examples (see `training/synthetic.ts`).
 *
 * Entries are written plainly; they go through the same normaliser as comments before use
 * (normalizeForMatching, then foldEvasions), so "c0nnard" or "i.d.i.o.t" still hits. An entry
 * ending in `*` matches any word that starts with it (Hebrew and Arabic glue prepositions and
 * articles to the next word, so "מוות ל*" covers "מוות לערבים"). Entries that fold onto an
 * everyday word ("ass" folds to "as") are left out on purpose.
 */

export type LexiconKind = 'insult' | 'slur' | 'threat';
export type LexiconLanguage = 'en' | 'fr' | 'es' | 'ar' | 'he' | 'zh';

export const LEXICON: Readonly<Record<LexiconLanguage, Readonly<Record<LexiconKind, string[]>>>> = {
  en: {
    insult: [
      'idiot', 'idiots', 'moron', 'morons', 'stupid', 'imbecile', 'retard', 'retarded', 'bitch',
      'bitches', 'cunt', 'fuck', 'fucking', 'fucker', 'motherfucker', 'shit', 'shithead', 'scum',
      'scumbag', 'dickhead', 'asshole', 'assholes', 'bastard', 'bastards', 'whore', 'slut',
      'piece of shit', 'shut up', 'shut the fuck up', 'dumbass', 'loser', 'pathetic', 'vermin',
      'subhuman', 'filth', 'trash', 'garbage human', 'pig', 'pigs', 'cockroach', 'cockroaches',
      'douchebag', 'jackass', 'twat', 'wanker', 'prick', 'go to hell', 'disgusting',
    ],
    slur: [
      'nigger', 'niggers', 'nigga', 'faggot', 'faggots', 'fag', 'kike', 'kikes', 'raghead',
      'ragheads', 'towelhead', 'towelheads', 'chink', 'chinks', 'sandnigger', 'wetback',
      'wetbacks', 'spic', 'spics', 'tranny', 'dyke', 'camel jockey', 'goatfucker', 'zionazi',
      'zionazis', 'muzzie', 'muzzies', 'jihadi scum', 'dirty jew', 'dirty jews', 'dirty arab',
      'dirty arabs', 'filthy jews', 'filthy arabs', 'filthy muslims',
    ],
    threat: [
      'i will kill you', 'ill kill you', "i'll kill you", "i'm going to kill you", "you're dead", 'i am going to kill you', 'im going to kill you',
      'gonna kill you', 'i will find you', 'we will find you', 'you will die', 'you are dead',
      'youre dead', 'kill yourself', 'kill them all', 'should be shot', 'should be hanged',
      'deserve to die', 'deserves to die', 'i will hurt you', 'watch your back', 'burn them',
      'gas them', 'hang them', 'shoot them', 'bomb them', 'we know where you live',
      'i know where you live', 'death to', 'i will shoot you', 'i will beat you',
      'put a bullet in', 'slit your throat', 'wipe them out', 'exterminate them',
    ],
  },
  fr: {
    insult: [
      'connard', 'connards', 'connasse', 'conne', 'salope', 'salopes', 'pute', 'putes', 'enculé',
      'enculés', 'fils de pute', 'abruti', 'abrutis', 'débile', 'débiles', 'crétin', 'crétins',
      'ordure', 'ordures', 'merde', 'ta gueule', 'fermez vos gueules', 'imbécile', 'imbéciles',
      'idiot', 'idiote', 'idiots', 'bâtard', 'bâtards', 'raclure', 'pourriture', 'déchet',
      'déchets', 'minable', 'minables', 'sous-homme', 'vermine', 'cafard', 'cafards', 'porc',
      'porcs', 'pauvre con', 'va te faire foutre', 'nique ta mère', 'ntm', 'dégénéré', 'dégénérés',
      'mongol', 'attardé', 'teubé', 'bouffon',
    ],
    slur: [
      'bougnoule', 'bougnoules', 'youpin', 'youpins', 'youtre', 'bicot', 'bicots', 'raton',
      'ratons', 'négro', 'négros', 'bamboula', 'sale arabe', 'sales arabes', 'sale juif',
      'sales juifs', 'sale noir', 'sale musulman', 'sales musulmans', 'pédé', 'pédés', 'tarlouze',
      'gouine', 'chinetoque', 'chinetoques', 'niakoué', 'feuj',
    ],
    threat: [
      'je vais te tuer', 'je vais vous tuer', 'je te tue', 'on va te tuer', 'on va vous tuer',
      'crève', 'crevez', 'mort aux', 'il faut les tuer', 'faut les tuer', 'je sais où tu habites',
      'tu vas mourir', 'chambre à gaz', 'je vais te buter', 'on va vous buter', 'on va te buter',
      'on va te retrouver', 'je vais te frapper', 'une balle dans la tête', 'il faut les exterminer',
      'les brûler', 'à mort',
    ],
  },
  es: {
    insult: [
      'idiota', 'idiotas', 'imbécil', 'imbéciles', 'estúpido', 'estúpida', 'estúpidos', 'pendejo',
      'pendejos', 'pendeja', 'cabrón', 'cabrones', 'mierda', 'gilipollas', 'puta', 'putas',
      'hijo de puta', 'hijos de puta', 'hijoputa', 'basura', 'escoria', 'cerdo', 'cerdos',
      'rata', 'ratas', 'subnormal', 'subnormales', 'retrasado', 'retrasados', 'tarado', 'tarados',
      'mamón', 'capullo', 'zorra', 'perra', 'malparido', 'malparidos', 'huevón', 'pelotudo',
      'boludo', 'cállate', 'vete a la mierda', 'que te jodan', 'joder', 'coño', 'asqueroso',
      'asquerosos', 'parásito', 'parásitos', 'alimaña', 'gusano', 'gusanos',
    ],
    slur: [
      'sudaca', 'sudacas', 'moro de mierda', 'moros de mierda', 'judío de mierda',
      'judíos de mierda', 'maricón', 'maricones', 'marica', 'negrata', 'panchito', 'chino de mierda',
      'sionazi', 'sionazis', 'sucio judío', 'sucios judíos', 'sucio árabe', 'sucios árabes',
    ],
    threat: [
      'te voy a matar', 'os voy a matar', 'los voy a matar', 'los vamos a matar', 'te vamos a matar',
      'vas a morir', 'muérete', 'muerte a', 'hay que matarlos', 'sé dónde vives', 'te vamos a encontrar',
      'ojalá te mueras', 'ojalá se mueran', 'te voy a reventar', 'un tiro en la cabeza',
      'hay que exterminarlos', 'quemarlos a todos', 'te mato',
    ],
  },
  ar: {
    insult: [
      'كلب', 'كلاب', 'يا كلب', 'ابن الكلب', 'ولاد الكلب', 'حمار', 'يا حمار', 'حمير', 'حقير',
      'حقيره', 'حقراء', 'واطي', 'وسخ', 'وسخه', 'ولاد الوسخه', 'زباله', 'خنزير', 'خنازير', 'قذر',
      'قذره', 'غبي', 'اغبياء', 'منيك', 'شرموط', 'شرموطه', 'شراميط', 'عاهره', 'كس امك', 'كسمك',
      'ابن الحرام', 'ابن الشرموطه', 'يلعن', 'يلعن ابوك', 'تفو', 'حيوان', 'حيوانات', 'خرا', 'جحش',
      'بهيم', 'بهايم', 'نجس', 'انجاس', 'زق', 'طز', 'متخلف', 'متخلفين', 'عبيط', 'اهبل', 'تافه',
      'سافل', 'سفله', 'ديوث', 'قحبه', 'لعنه الله', 'منحط', 'خسيس', 'جربان', 'معفن', 'نذل',
    ],
    slur: [
      'يهود الخنازير', 'احفاد القرده', 'قرده وخنازير', 'روافض', 'رافضي', 'نواصب', 'صليبي',
      'صليبيين', 'عبيد', 'زنجي', 'مجوس', 'خوارج', 'صهاينه الكلاب',
    ],
    threat: [
      'ساقتلك', 'راح اقتلك', 'رح اقتلك', 'هقتلك', 'بقتلك', 'سنقتلكم', 'الموت ل*', 'اذبحوهم',
      'سنذبحكم', 'يجب قتلهم', 'لازم ينقتلوا', 'نحرقهم', 'موتوا', 'اقتلوهم', 'سنحرقكم',
      'بدبحك', 'هدبحك', 'اعرف وين ساكن', 'رصاصه في راسك', 'ابادتهم',
    ],
  },
  he: {
    insult: [
      'מטומטם', 'מטומטמת', 'מטומטמים', 'אידיוט', 'אידיוטית', 'אידיוטים', 'דביל', 'דבילית',
      'דבילים', 'מפגר', 'מפגרת', 'מפגרים', 'זבל', 'זבל של', 'חרא', 'חרא של', 'בן זונה', 'בני זונות',
      'זונה', 'זונות', 'כוס אמק', 'כוסאמק', 'כוס אמא שלך', 'שרמוטה', 'שרמוטות', 'מניאק', 'מניאקים',
      'חתיכת אפס', 'טיפש', 'טיפשה', 'טיפשים', 'חמור', 'בהמה', 'בהמות', 'כלב', 'כלבה',
      'כלבים', 'חזיר', 'חזירים', 'מנוול', 'מנוולים', 'נבלה', 'נבלות', 'חלאה', 'חלאות', 'טינופת',
      'מסריח', 'מתועב', 'נבזה', 'נבזי', 'עלוב', 'עלובה', 'עלובים', 'מגעיל', 'מגעילה', 'מגעילים',
      'דוחה', 'שקרן', 'שקרנית', 'שקרנים', 'גנב', 'גנבים', 'מושחת', 'מושחתים', 'פושע', 'פושעים',
      'בוגד', 'בוגדת', 'בוגדים', 'תסתום', 'תסתמי', 'סתום את הפה', 'לך תזדיין', 'תזדיין',
      'מזדיין', 'לעזאזל', 'פחדן', 'פחדנים', 'רמאי', 'רמאים', 'צבוע', 'צבועים', 'שפל', 'שפלים',
      'טפיל', 'טפילים', 'פרזיט', 'פרזיטים', 'אוויל', 'אווילים', 'קשקשן',
      'ליצן', 'ליצנים', 'כסיל', 'חסר מוח', 'חסרי מוח', 'סוטה', 'סוטים', 'ערס',
      'ערסים', 'פרחה', 'שמוק', 'שמוקים', 'פוץ', 'נאצי', 'נאצים', 'קאפו', 'רשע', 'רשעים',
    ],
    slur: [
      'ערבוש', 'ערבושים', 'ערבושית', 'סמולני', 'סמולנים', 'סמול', 'יודונאצי', 'יודונאצים',
      'ביביסט', 'ביביסטים', 'כושי', 'כושים', 'מחבלים ערבים', 'ערבים מסריחים', 'יהודון',
      'דוס מסריח', 'דוסים מסריחים', 'פרענק', 'פרענקים', 'אשכנאצי', 'אשכנאצים', 'הומו מסריח',
      'אספסוף', 'חיות אדם', 'בני בליעל',
    ],
    threat: [
      'אני אהרוג אותך', 'אהרוג אותך', 'נהרוג אתכם', 'נהרוג אותך', 'מוות ל*', 'צריך להרוג אותם',
      'שימותו', 'תמות', 'שתמות', 'שתמותי', 'שימות', 'אני יודע איפה אתה גר', 'נשרוף אתכם',
      'לשרוף אותם', 'לשרוף את', 'ימח שמו', 'ימח שמם', 'ימח שמך', 'נמחק אותם', 'למחוק אותם',
      'כדור בראש', 'לתלות אותם', 'נתלה אותך', 'נגיע אליך', 'אני אשבור לך', 'נשבור לכם',
    ],
  },
  zh: {
    insult: [
      '傻逼', '傻b', '煞笔', '沙比', '脑残', '垃圾', '滚蛋', '滚出去', '贱人', '婊子', '畜生', '废物', '白痴',
      '蠢货', '狗东西', '他妈的', '操你妈', '草泥马', '尼玛', '去你妈', '狗日的', '王八蛋', '混蛋',
      '人渣', '贱货', '杂种', '智障', '弱智', '死全家', '狗屎', '恶心', '不要脸', '绿茶婊', '屌丝',
      '猪头', '败类',
    ],
    slur: [
      '黑鬼', '支那', '支那人', '小日本', '鬼子', '阿三', '棒子', '黑皮', '尼哥', '绿绿', '回回',
      '犹太佬', '基佬', '死基佬', '娘炮', '女拳', '田园女权', '蝗虫', '黑蛆', '洋垃圾', '南蛮',
    ],
    threat: [
      '杀了你', '弄死你', '砍死你', '杀光', '去死', '全都该死', '该死', '打死你', '我知道你住哪',
      '弄死他们', '杀了他们', '灭了他们', '砍了你', '烧死',
    ],
  },
};

export const LEXICON_LANGUAGES = Object.keys(LEXICON) as LexiconLanguage[];
export const LEXICON_KINDS: readonly LexiconKind[] = ['insult', 'slur', 'threat'];
