/**
 * Training examples written for the project: ordinary news-discussion comments (about the article,
 * other comments, sources, sharing, thanks, disagreement, links to newspapers and public bodies)
 * and clear spam (channel promotion, money and crypto schemes, giveaways, bought followers), in
 * the six languages. The labelled sets have no such comments: YouTube taught "share", "comment",
 * "subscribe" and any link as spam, and the tweets almost never use them. These sentences are
 * separate from, and written apart from, the evaluation set models/fairness/benign-news-*.json,
 * which is never trained on; the link domains here are other sites than the ones it uses.
 * Deterministic: frames × fillers, in order.
 */
import type { TrainingExample } from './datasets.ts';

interface Frames {
  /** Sentences with `{}` replaced by each filler in turn. */
  frames: string[];
  fillers: string[];
}

interface LanguageSet {
  benign: (string | Frames)[];
  spam: (string | Frames)[];
}

const SETS: Record<string, LanguageSet> = {
  en: {
    benign: [
      {
        frames: [
          'Thanks for {}.',
          'Thank you for {}, it helped me understand the vote.',
          'Really appreciate {}.',
        ],
        fillers: [
          'sharing the report',
          'posting the full text',
          'this explainer',
          'the correction',
          'writing about our town',
        ],
      },
      {
        frames: [
          'The original document is here: {}',
          'For context, see {}',
          'Reuters had more detail on this: {}',
        ],
        fillers: [
          'https://www.reuters.com/world/',
          'https://apnews.com/article/elections',
          'https://www.who.int/news',
          'https://www.nytimes.com/section/politics',
          'https://europa.eu/newsroom',
        ],
      },
      {
        frames: [
          'I agree with the comment above about {}.',
          'The previous comment is wrong about {}.',
          'A comment on {}: the article leaves it out.',
          'Can someone share a source on {}?',
        ],
        fillers: [
          'the rent figures',
          'the school budget',
          'the ceasefire talks',
          'the new bus line',
        ],
      },
      'Please share this with your neighbours, the consultation closes on Friday.',
      'I shared the article on my street group, people were asking about the roadworks.',
      'First time commenting, long time reader.',
      'I posted the same question on the other thread but nobody answered.',
      'My subscription is worth it for the investigations alone.',
      'Just subscribed to the newsletter after reading this.',
      'The comments section is better moderated than it used to be.',
      'Check the figures again, the chart says 12 percent but the text says 21.',
      'Check the council minutes, they were published on Monday.',
      'Interesting read. I would like to see a follow-up in a year.',
      'Not sure I agree, but thanks for laying out both sides.',
      'Where can I find the full speech?',
      'Good reporting, and a fair headline for once.',
      'Link to the study please?',
      'The website of the ministry has the full list of schools.',
      'Another site reported a different number, which one is right?',
      'I will forward this to my sister, she works at the hospital.',
      // Short remarks about comments and sharing: YouTube's ham never says them.
      {
        frames: ['{} comment.', '{} comment above.', 'See the {} comment.'],
        fillers: ['Good', 'Fair', 'The first', 'My earlier', 'The top', 'Your'],
      },
      'No comment.',
      'Comment deleted?',
      'Great comment thread today.',
      'Replying to the comment below.',
      'Same comment on the other article.',
      'Comments are closed on the other page.',
      'Thanks for sharing.',
      'Thanks for the share.',
      'Worth sharing.',
      'Shared with my family.',
      'Sharing this widely.',
      'Share the link to the report?',
      'Subscribers only, unfortunately.',
      'The other site has the full video.',
      'Another site, same story.',
    ],
    spam: [
      {
        frames: [
          'Check out my channel {}',
          'Please subscribe to my channel {}',
          'Visit my page {}',
        ],
        fillers: [
          'for daily gaming videos!!',
          'and like my new song',
          'www.youtube.com/user/beatz4u',
          'I post funny videos every day',
        ],
      },
      {
        frames: [
          '{} http://tinyurl.com/cash7',
          '{} visit www.fastmoney-online.net',
          '{} DM me now',
        ],
        fillers: [
          'Earn $300 a day from home!',
          'Double your bitcoin in 24 hours!',
          'Best crypto investment, guaranteed profit!',
          'Win a free gift card today!',
        ],
      },
      'Buy 10000 Instagram followers cheap, instant delivery, order now',
      'I made $8000 last month with this trading bot, contact me on Telegram',
      'Hot singles in your area, click the link in my profile',
      'Get rich fast, ask me how, WhatsApp me',
      'Free Netflix accounts, claim yours at www.free-acc-now.net',
    ],
  },
  fr: {
    benign: [
      {
        frames: ['Merci pour {}.', 'Merci beaucoup pour {}, c’est très utile.'],
        fillers: [
          'le partage',
          'ce reportage',
          'la correction',
          'le texte intégral',
          'cette analyse',
        ],
      },
      {
        frames: ['Le document original est ici : {}', 'Pour le contexte, voir {}'],
        fillers: [
          'https://www.service-public.fr',
          'https://www.lefigaro.fr/politique',
          'https://www.francetvinfo.fr',
          'https://www.legifrance.gouv.fr',
        ],
      },
      {
        frames: [
          'Je suis d’accord avec le commentaire précédent sur {}.',
          'Un commentaire sur {} : l’article n’en parle pas.',
          'Quelqu’un peut-il partager une source sur {} ?',
        ],
        fillers: [
          'les loyers',
          'le budget des écoles',
          'les négociations',
          'la nouvelle ligne de bus',
        ],
      },
      'Partagez autour de vous, la consultation se termine vendredi.',
      'J’ai partagé l’article dans le groupe du quartier.',
      'Premier commentaire, mais je vous lis depuis longtemps.',
      'Je me suis abonné à la lettre d’information après cet article.',
      'Vérifiez les chiffres, le graphique dit 12 % et le texte 21 %.',
      'Pas sûr d’être d’accord, mais merci de présenter les deux points de vue.',
      'Où peut-on trouver le discours complet ?',
      'Le site du ministère publie la liste complète des écoles.',
      'Un autre site donne un chiffre différent, lequel est juste ?',
      'Bon reportage, et un titre honnête.',
      'Bon commentaire.',
      'Merci du partage.',
      'Voir mon commentaire plus haut.',
      'Même article sur l’autre site.',
    ],
    spam: [
      {
        frames: ['Abonnez-vous à ma chaîne {}', 'Venez voir ma page {}'],
        fillers: [
          'pour des vidéos de jeux !!',
          'et likez ma nouvelle chanson',
          'www.youtube.com/c/mixfr',
        ],
      },
      {
        frames: ['{} http://tinyurl.com/gain7', '{} écrivez-moi en privé'],
        fillers: [
          'Gagnez 300 € par jour depuis chez vous !',
          'Doublez vos bitcoins en 24 heures !',
          'Carte cadeau gratuite à gagner aujourd’hui !',
        ],
      },
      'Achetez 10000 abonnés Instagram pas cher, livraison immédiate',
      'J’ai gagné 8000 € le mois dernier avec ce robot de trading, contactez-moi sur Telegram',
    ],
  },
  es: {
    benign: [
      {
        frames: ['Gracias por {}.', 'Muchas gracias por {}, es muy útil.'],
        fillers: [
          'compartirlo',
          'este reportaje',
          'la corrección',
          'el texto completo',
          'este análisis',
        ],
      },
      {
        frames: ['El documento original está aquí: {}', 'Para más contexto, ver {}'],
        fillers: [
          'https://www.boe.es',
          'https://www.elmundo.es/espana.html',
          'https://www.rtve.es/noticias/',
          'https://www.who.int/es',
        ],
      },
      {
        frames: [
          'Estoy de acuerdo con el comentario anterior sobre {}.',
          'Un comentario sobre {}: el artículo no lo menciona.',
          '¿Alguien puede compartir una fuente sobre {}?',
        ],
        fillers: [
          'los alquileres',
          'el presupuesto escolar',
          'las negociaciones',
          'la nueva línea de autobús',
        ],
      },
      'Compártanlo, la consulta pública termina el viernes.',
      'Compartí la noticia en el grupo del barrio.',
      'Primer comentario, pero los leo desde hace mucho.',
      'Me suscribí al boletín después de leer esto.',
      'Revisen las cifras, el gráfico dice 12 % y el texto 21 %.',
      'No sé si estoy de acuerdo, pero gracias por presentar las dos posturas.',
      '¿Dónde se puede leer el discurso completo?',
      'La web del ministerio tiene la lista completa de colegios.',
      'Otro sitio da una cifra distinta, ¿cuál es la correcta?',
      'Buen reportaje, y un titular honesto.',
      'Buen comentario.',
      'Gracias por compartir.',
      'Ver mi comentario de arriba.',
      'La misma noticia en el otro sitio.',
    ],
    spam: [
      {
        frames: ['Suscríbete a mi canal {}', 'Visiten mi página {}'],
        fillers: [
          'para videos de juegos!!',
          'y denle like a mi nueva canción',
          'www.youtube.com/c/mixes',
        ],
      },
      {
        frames: ['{} http://tinyurl.com/gana7', '{} escríbeme por privado'],
        fillers: [
          '¡Gana 300 dólares al día desde casa!',
          '¡Duplica tus bitcoins en 24 horas!',
          '¡Tarjeta regalo gratis hoy!',
        ],
      },
      'Compra 10000 seguidores de Instagram baratos, entrega inmediata',
      'Gané 8000 dólares el mes pasado con este bot de trading, contáctame por Telegram',
    ],
  },
  ar: {
    benign: [
      {
        frames: ['شكرا على {}.', 'شكرا جزيلا على {}، مفيد جدا.'],
        fillers: ['نشر التقرير', 'هذا التحقيق', 'التصحيح', 'النص الكامل', 'هذا التحليل'],
      },
      {
        frames: ['الوثيقة الأصلية هنا: {}', 'للمزيد من السياق: {}'],
        fillers: [
          'https://www.alarabiya.net',
          'https://www.who.int/ar',
          'https://www.un.org/ar',
          'https://www.ahram.org.eg',
        ],
      },
      {
        frames: [
          'أتفق مع التعليق السابق بخصوص {}.',
          'تعليق على {}: المقال لم يذكر ذلك.',
          'هل يمكن لأحد أن يشارك مصدرا عن {}؟',
        ],
        fillers: ['الإيجارات', 'ميزانية المدارس', 'المفاوضات', 'خط الحافلات الجديد'],
      },
      'شاركوا الخبر، الاستشارة العامة تنتهي يوم الجمعة.',
      'شاركت المقال في مجموعة الحي.',
      'أول تعليق لي، لكني أتابعكم منذ زمن.',
      'اشتركت في النشرة البريدية بعد قراءة هذا.',
      'راجعوا الأرقام، الرسم يقول 12 بالمئة والنص يقول 21.',
      'لست متأكدا أنني أتفق، لكن شكرا لعرض وجهتي النظر.',
      'أين يمكن قراءة الخطاب كاملا؟',
      'موقع الوزارة ينشر القائمة الكاملة للمدارس.',
      'موقع آخر ذكر رقما مختلفا، أيهما الصحيح؟',
      'تقرير جيد وعنوان منصف.',
    ],
    spam: [
      {
        frames: ['اشترك في قناتي {}', 'زوروا صفحتي {}'],
        fillers: ['لفيديوهات الألعاب!!', 'ولايك لأغنيتي الجديدة', 'www.youtube.com/c/arabmix'],
      },
      {
        frames: ['{} http://tinyurl.com/rbh7', '{} راسلني على الخاص'],
        fillers: [
          'اربح 300 دولار يوميا من البيت!',
          'ضاعف البيتكوين في 24 ساعة!',
          'بطاقة هدايا مجانية اليوم!',
        ],
      },
      'اشتري 10000 متابع انستغرام بسعر رخيص وتسليم فوري',
      'ربحت 8000 دولار الشهر الماضي مع روبوت التداول هذا، تواصل معي على تيليجرام',
    ],
  },
  he: {
    benign: [
      {
        frames: ['תודה על {}.', 'תודה רבה על {}, מאוד מועיל.'],
        fillers: ['השיתוף', 'התחקיר הזה', 'התיקון', 'הטקסט המלא', 'הניתוח הזה'],
      },
      {
        frames: ['המסמך המקורי נמצא כאן: {}', 'להרחבה: {}'],
        fillers: [
          'https://www.ynet.co.il',
          'https://main.knesset.gov.il',
          'https://www.kan.org.il',
          'https://www.who.int',
        ],
      },
      {
        frames: [
          'מסכים עם התגובה הקודמת לגבי {}.',
          'הערה על {}: הכתבה לא מזכירה את זה.',
          'מישהו יכול לשתף מקור על {}?',
        ],
        fillers: ['שכר הדירה', 'תקציב בתי הספר', 'המשא ומתן', 'קו האוטובוס החדש'],
      },
      'שתפו, ההתייעצות הציבורית נגמרת ביום שישי.',
      'שיתפתי את הכתבה בקבוצת השכונה.',
      'תגובה ראשונה, אבל אני קורא אתכם הרבה זמן.',
      'נרשמתי לניוזלטר אחרי שקראתי את זה.',
      'תבדקו את המספרים, בגרף כתוב 12 אחוז ובטקסט 21.',
      'לא בטוח שאני מסכים, אבל תודה על הצגת שני הצדדים.',
      'איפה אפשר לקרוא את הנאום המלא?',
      'באתר המשרד יש את הרשימה המלאה של בתי הספר.',
      'אתר אחר פרסם מספר אחר, מה נכון?',
      'כתבה טובה וכותרת הוגנת.',
    ],
    spam: [
      {
        frames: ['תירשמו לערוץ שלי {}', 'תבקרו בדף שלי {}'],
        fillers: ['לסרטוני גיימינג!!', 'ותעשו לייק לשיר החדש', 'www.youtube.com/c/mixil'],
      },
      {
        frames: ['{} http://tinyurl.com/kesef7', '{} שלחו לי הודעה בפרטי'],
        fillers: [
          'הרוויחו 300 שקל ביום מהבית!',
          'הכפילו את הביטקוין תוך 24 שעות!',
          'כרטיס מתנה בחינם היום!',
        ],
      },
      'קנו 10000 עוקבים באינסטגרם בזול, משלוח מיידי',
      'הרווחתי 8000 שקל בחודש שעבר עם בוט המסחר הזה, דברו איתי בטלגרם',
    ],
  },
  zh: {
    benign: [
      {
        frames: ['谢谢{}。', '非常感谢{}，很有帮助。'],
        fillers: ['分享报告', '这篇调查', '及时更正', '公布全文', '这篇分析'],
      },
      {
        frames: ['原始文件在这里：{}', '背景资料见：{}'],
        fillers: [
          'http://www.people.com.cn',
          'https://www.chinadaily.com.cn',
          'https://www.who.int/zh',
          'http://www.npc.gov.cn',
        ],
      },
      {
        frames: [
          '同意楼上关于{}的评论。',
          '关于{}说一句：文章没有提到。',
          '有人能分享一下{}的出处吗？',
        ],
        fillers: ['房租', '学校预算', '谈判', '新公交线路'],
      },
      '大家转发一下，公开征求意见周五截止。',
      '我把文章分享到了小区群里。',
      '第一次评论，但一直在看你们的报道。',
      '看完这篇我订阅了你们的新闻简报。',
      '请核对一下数字，图表写的是百分之十二，正文写的是二十一。',
      '我不一定同意，但谢谢你们把两方面的观点都写出来。',
      '在哪里可以看到讲话全文？',
      '教育部网站上有完整的学校名单。',
      '另一个网站的数字不一样，哪个是对的？',
      '报道不错，标题也很公道。',
    ],
    spam: [
      {
        frames: ['订阅我的频道{}', '来看看我的主页{}'],
        fillers: ['，每天更新游戏视频！！', '，给我的新歌点赞', 'www.youtube.com/c/zhmix'],
      },
      {
        frames: ['{} http://tinyurl.com/qian7', '{}私信我'],
        fillers: ['在家每天轻松赚300元！', '比特币24小时翻倍！', '今天免费领礼品卡！'],
      },
      '便宜买一万个粉丝，马上到账',
      '我上个月用这个交易机器人赚了8000元，加我电报了解',
    ],
  },
};

function expand(items: (string | Frames)[]): string[] {
  return items.flatMap((item) =>
    typeof item === 'string'
      ? [item]
      : item.frames.flatMap((frame) => item.fillers.map((filler) => frame.replace('{}', filler))),
  );
}

/** Benign news comments (spam 0) and spam (spam 1), every language; not toxic either way. */
export function newsCommentExamples(): TrainingExample[] {
  return Object.values(SETS).flatMap(({ benign, spam }) => [
    ...expand(benign).map((text) => ({
      text,
      source: 'project-news',
      targets: [0, 0, 0, 0] as TrainingExample['targets'],
    })),
    ...expand(spam).map((text) => ({
      text,
      source: 'project-news',
      targets: [0, 0, 0, 1] as TrainingExample['targets'],
    })),
  ]);
}
