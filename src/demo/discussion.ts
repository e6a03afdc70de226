/** Demo discussion seeded under the demo story on first start. Written for the project. */
export interface DemoUser {
  key: string;
  displayName: string;
  role?: 'staff';
}
export interface DemoComment {
  author: string; // a DemoUser key
  body: string; // Markdown subset: *emphasis*, **strong**, [link](https://…), > quote, `code`, line breaks
  minutesAfterPublish: number;
  reactedBy: string[]; // DemoUser keys who gave it a "Respect"
  replies?: DemoComment[];
}

export const demoStory = {
  externalId: 'beijing-unity-talks',
  title: 'Hamas and Fatah hold reconciliation talks in Beijing, China confirms',
  author: 'Helena Marsh',
  publishedAt: '2026-11-27T09:00:00Z',
  description:
    'Rival Palestinian movements met in the Chinese capital after an earlier round in Moscow. Beijing calls the dialogue constructive but has not said when it took place.',
} as const;

export const demoUsers: DemoUser[] = [
  { key: 'helena', displayName: 'Helena Marsh', role: 'staff' },
  { key: 'omar', displayName: 'Omar Khalidi' },
  { key: 'rania', displayName: 'رانيا حداد' },
  { key: 'noa', displayName: 'Noa Ben-Ami' },
  { key: 'yossi', displayName: 'Yossi Mizrahi' },
  { key: 'chenwei', displayName: '陈伟' },
  { key: 'xiaoyu', displayName: 'Li Xiaoyu' },
  { key: 'claire', displayName: 'Claire Dubois' },
  { key: 'amadou', displayName: 'Amadou Diallo' },
  { key: 'lucia', displayName: 'Lucía Herrera' },
  { key: 'ben', displayName: 'Ben Whitaker' },
  { key: 'priya', displayName: 'Priya Raman' },
  { key: 'sarah', displayName: "Sarah O'Connell" },
  { key: 'dmitri', displayName: 'Dmitri Volkov' },
  { key: 'kenji', displayName: 'Kenji Watanabe' },
];

export const demoDiscussion: DemoComment[] = [
  {
    author: 'ben',
    body: 'I\'ve honestly lost count of these "reconciliation" rounds. Mecca, Cairo, Doha, Algiers, then Moscow, now Beijing. Every one ends with a photo and a statement about unity.\n\nWhat is *actually* different this time?',
    minutesAfterPublish: 4,
    reactedBy: ['dmitri', 'yossi', 'kenji', 'sarah', 'amadou', 'priya'],
    replies: [
      {
        author: 'omar',
        body: "Fair question, but the alternative to talking is not talking, and we've all seen where that leads.\n\nTwo things stood out to me: both sides committed to *peaceful means* in so many words, and they discussed concrete issues like statehood rather than just the principle of unity. That's not nothing.",
        minutesAfterPublish: 11,
        reactedBy: ['rania', 'claire', 'lucia', 'noa', 'priya'],
        replies: [
          {
            author: 'ben',
            body: 'Maybe. But "agreed on further steps" without saying which steps is exactly the phrasing every previous round used. I\'ll believe it when there\'s a timetable.',
            minutesAfterPublish: 19,
            reactedBy: ['yossi', 'dmitri', 'kenji'],
            replies: [
              {
                author: 'rania',
                body: 'المشكلة لم تكن يومًا في البيانات، بل في التنفيذ: من يدير الأمن، من يدفع الرواتب، من يتحكم بالمعابر. إذا لم تُحسم هذه الأسئلة، فستبقى «الخطوات الإضافية» حبرًا على ورق.',
                minutesAfterPublish: 27,
                reactedBy: ['omar', 'claire'],
              },
              {
                author: 'omar',
                body: "For anyone who doesn't read Arabic, Rania's point above: the problem was never the statements, it's implementation. Who runs security, who pays salaries, who controls the crossings. Until those are settled, \"further steps\" stay ink on paper.\n\nAgreed, and that's roughly where the 2017 Cairo deal stalled too.",
                minutesAfterPublish: 41,
                reactedBy: ['ben', 'sarah', 'rania', 'kenji'],
              },
            ],
          },
        ],
      },
      {
        author: 'priya',
        body: "Small historical note: the list is long, but the rounds weren't all equal. The 2014 agreement did produce a consensus government, even if it never really governed Gaza and didn't last.",
        minutesAfterPublish: 15,
        reactedBy: ['omar', 'kenji', 'helena'],
      },
    ],
  },
  {
    author: 'noa',
    body: "מעניין שהפגישה נערכה דווקא בבייג'ינג ולא בקהיר או בדוחא, שבדרך כלל מתווכות ביניהם. אני לא בטוחה שסין מבינה לעומק את הדינמיקה בין הפלגים, אבל אם זה מקרב הפסקת אש — אני בעד.",
    minutesAfterPublish: 7,
    reactedBy: ['omar', 'claire', 'sarah', 'lucia'],
    replies: [
      {
        author: 'yossi',
        body: 'נועה, עם כל הכבוד, אחדות עם חמאס היא לא בשורה טובה מבחינתי. השאלה הראשונה צריכה להיות אם חמאס מוכן להכיר בישראל ולהניח את הנשק. על זה אין בכתבה מילה.',
        minutesAfterPublish: 22,
        reactedBy: ['ben', 'dmitri', 'kenji'],
        replies: [
          {
            author: 'noa',
            body: 'נכון שאין על זה מילה — כי זה לא נאמר בתדריך. אבל גם פילוג של שנים לא הביא לנו ביטחון. לפחות תהיה **כתובת אחת** לדבר איתה.',
            minutesAfterPublish: 35,
            reactedBy: ['omar', 'rania', 'sarah', 'priya', 'lucia'],
            replies: [
              {
                author: 'sarah',
                body: "(Read this thread through a translator, so apologies if I've got the nuance wrong.) Noa's \"one address to talk to\" is the most persuasive case for unity I've seen here, and it's coming from an Israeli reader.",
                minutesAfterPublish: 52,
                reactedBy: ['noa', 'omar'],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    author: 'chenwei',
    body: '中方一贯支持巴勒斯坦人民的正当权利。这次能在北京促成对话，说明中国在中东问题上可以发挥*建设性*作用，而不只是经济上的参与。',
    minutesAfterPublish: 9,
    reactedBy: ['xiaoyu', 'omar', 'rania', 'amadou'],
    replies: [
      {
        author: 'dmitri',
        body: 'Respectfully, "constructive role" is also a very convenient image when you want to present yourself as the alternative to Washington. Both things can be true at once.',
        minutesAfterPublish: 18,
        reactedBy: ['ben', 'kenji', 'yossi', 'sarah', 'claire', 'priya'],
        replies: [
          {
            author: 'xiaoyu',
            body: '同意，两者可以同时成立。大国都有自己的利益，这很正常。关键看结果：如果真能推动停火和两国方案，动机反而没那么重要。',
            minutesAfterPublish: 26,
            reactedBy: ['chenwei', 'dmitri', 'lucia', 'omar', 'kenji'],
            replies: [
              {
                author: 'kenji',
                body: "Li Xiaoyu's point, via translate: outcome matters more than motive. I'd add that motive matters for *durability*. A mediator who is also chasing influence may lose interest once the photo opportunity is over.",
                minutesAfterPublish: 38,
                reactedBy: ['dmitri', 'ben', 'priya'],
              },
              {
                author: 'chenwei',
                body: "Replying to Kenji in English: fair, but that applies to every mediator, including the ones in Washington and Moscow. Nobody hosts these talks for free. The question is whether the result helps Palestinians, and we can't know that yet.",
                minutesAfterPublish: 57,
                reactedBy: ['xiaoyu', 'kenji', 'omar', 'claire'],
              },
            ],
          },
        ],
      },
      {
        author: 'amadou',
        body: "Question sincère : est-ce que quelqu'un sait si la Chine propose un plan concret, ou seulement des principes ? Cessation des hostilités, deux États… tout le monde le dit. Le *comment* manque toujours.",
        minutesAfterPublish: 24,
        reactedBy: ['claire', 'priya', 'lucia'],
        replies: [
          {
            author: 'xiaoyu',
            body: '@Amadou (sorry, answering in English): from what was said at the briefing, principles only. No roadmap or written text was published, which the article also points out.',
            minutesAfterPublish: 44,
            reactedBy: ['amadou'],
          },
        ],
      },
    ],
  },
  {
    author: 'sarah',
    body: 'So the Chinese foreign minister personally announced this? That seems like a big deal in itself.',
    minutesAfterPublish: 13,
    reactedBy: [],
    replies: [
      {
        author: 'helena',
        body: "Reporter here, a small clarification: the meeting was confirmed by the ministry's **spokesperson**, Lin Jian, at the regular press briefing, not by the minister. The ministry also didn't give the date of the meeting, which is why the story doesn't have one. Thanks for reading closely.",
        minutesAfterPublish: 17,
        reactedBy: ['sarah', 'kenji', 'priya', 'omar', 'noa', 'dmitri', 'claire'],
        replies: [
          {
            author: 'sarah',
            body: 'Ah, I misread the standfirst. Thanks for the quick reply!',
            minutesAfterPublish: 23,
            reactedBy: ['helena'],
          },
        ],
      },
    ],
  },
  {
    author: 'claire',
    body: "Ce qui me frappe, c'est que les deux délégations ont salué le rôle de la Chine. Après Moscou, Pékin : les Palestiniens diversifient leurs interlocuteurs. Difficile de le leur reprocher quand les médiations occidentales ont donné si peu.",
    minutesAfterPublish: 16,
    reactedBy: ['amadou', 'lucia', 'omar', 'chenwei', 'rania'],
    replies: [
      {
        author: 'amadou',
        body: 'Exactement. Mais diversifier ne veut pas dire avancer. On a vu beaucoup de capitales et peu de résultats.',
        minutesAfterPublish: 29,
        reactedBy: ['ben', 'claire'],
        replies: [
          {
            author: 'claire',
            body: "D'accord, mais l'**unité** reste une condition préalable. Sans interlocuteur unique, aucune négociation sérieuse n'est possible, quelle que soit la capitale qui accueille les discussions.",
            minutesAfterPublish: 46,
            reactedBy: ['amadou', 'noa', 'rania'],
          },
        ],
      },
    ],
  },
  {
    author: 'rania',
    body: 'كفلسطينية، أتعبنا الانقسام أكثر مما يتخيل أحد. عائلتي موزعة بين غزة ورام الله، وحتى الأوراق الرسمية صارت معركة.\nأي خطوة نحو الوحدة هي خطوة لصالح الناس، لا لصالح الفصائل.',
    minutesAfterPublish: 21,
    reactedBy: ['omar', 'lucia', 'claire', 'amadou', 'noa', 'sarah', 'priya', 'chenwei', 'helena'],
    replies: [
      {
        author: 'omar',
        body: 'صدقتِ يا رانيا. لكن الناس سمعوا كلمة «مصالحة» مرات كثيرة. نريد هذه المرة جدولًا زمنيًا واضحًا، لا مجرد بيان.',
        minutesAfterPublish: 33,
        reactedBy: ['rania', 'ben', 'amadou', 'priya'],
      },
      {
        author: 'lucia',
        body: 'Rania, leí tu comentario con el traductor. Mucha fuerza para tu familia. Desde fuera a veces olvidamos que detrás de cada «ronda de diálogo» hay gente esperando algo tan simple como un trámite.',
        minutesAfterPublish: 48,
        reactedBy: ['rania', 'claire', 'omar'],
        replies: [
          {
            author: 'rania',
            body: "Thank you, Lucía. That's exactly it: it's the small things, like a stamped document, that tell you whether unity is real.",
            minutesAfterPublish: 63,
            reactedBy: ['lucia', 'sarah'],
          },
        ],
      },
    ],
  },
  {
    author: 'helena',
    body: 'Thanks, everyone, for a thoughtful discussion so far, and in five languages at last count. A reminder that this thread is moderated: disagree as strongly as you like, but argue with the point, not the person.',
    minutesAfterPublish: 25,
    reactedBy: ['sarah', 'omar', 'noa', 'kenji', 'claire', 'priya', 'lucia', 'xiaoyu'],
  },
  {
    author: 'yossi',
    body: 'Worth noting what\'s *not* in the report: nothing about security arrangements, nothing about who would control the weapons in Gaza. "Specific issues including an independent state" is doing a lot of work in that sentence.',
    minutesAfterPublish: 30,
    reactedBy: ['ben', 'dmitri', 'noa', 'kenji'],
    replies: [
      {
        author: 'helena',
        body: "Fair observation. Our report reflects what the ministry said at the briefing, and it didn't go into security arrangements. We haven't seen a joint text from the two movements; if one is published, we'll update the story.",
        minutesAfterPublish: 39,
        reactedBy: ['yossi', 'priya', 'sarah', 'omar', 'kenji', 'noa'],
        replies: [
          {
            author: 'priya',
            body: 'Appreciate the transparency. An explainer comparing this with the 2017 Cairo agreement would be useful; that one at least got into specifics like handing over the Gaza crossings.',
            minutesAfterPublish: 51,
            reactedBy: ['helena', 'kenji', 'omar'],
          },
        ],
      },
    ],
  },
  {
    author: 'kenji',
    body: "For background, this timeline of earlier reconciliation attempts is useful: [Palestinian reconciliation talks, a timeline](https://example.org/background/palestinian-reconciliation-timeline)\n\nRead the Mecca section. The language is strikingly similar to what we're hearing now, more than twenty years after the 2005 split.",
    minutesAfterPublish: 36,
    reactedBy: ['priya', 'ben', 'sarah', 'claire', 'dmitri'],
    replies: [
      {
        author: 'dmitri',
        body: "Good link, but one correction: the split wasn't in 2005. That was Israel's withdrawal from Gaza. Hamas won the legislative elections in January 2006, and the split itself came in June 2007, when Hamas took control of Gaza after the fighting with Fatah.",
        minutesAfterPublish: 45,
        reactedBy: ['kenji', 'priya', 'omar', 'yossi', 'helena'],
        replies: [
          {
            author: 'kenji',
            body: "You're right, I conflated the disengagement with the split. Thanks for the correction.",
            minutesAfterPublish: 50,
            reactedBy: ['dmitri', 'sarah', 'priya', 'ben'],
          },
        ],
      },
    ],
  },
  {
    author: 'xiaoyu',
    body: '文章写得比较客观。不过我有点好奇，会谈的具体日期为什么不公开？是出于安全考虑吗？',
    minutesAfterPublish: 43,
    reactedBy: ['chenwei', 'kenji'],
    replies: [
      {
        author: 'helena',
        body: "Good question. The ministry didn't say why, and we'd rather not guess. It isn't unusual for talks like these to be confirmed only after they've happened.",
        minutesAfterPublish: 55,
        reactedBy: ['xiaoyu', 'chenwei', 'sarah', 'kenji', 'noa'],
      },
      {
        author: 'chenwei',
        body: '我猜是双方都不想在结果还不确定的时候公布日期。外交上这种做法挺常见的，先谈，再说。',
        minutesAfterPublish: 61,
        reactedBy: ['xiaoyu'],
      },
    ],
  },
  {
    author: 'lucia',
    body: 'Me parece significativo que hablen explícitamente de **medios pacíficos**. Si eso se traduce en algo concreto sobre el terreno, sería lo más importante de toda la noticia.',
    minutesAfterPublish: 58,
    reactedBy: ['claire', 'rania', 'amadou'],
  },
  {
    author: 'ben',
    body: "> both delegations expressed the political will to achieve reconciliation through peaceful means\n\nI'd love to believe it. Ask me again in six months.",
    minutesAfterPublish: 66,
    reactedBy: ['dmitri', 'yossi', 'kenji', 'sarah'],
    replies: [
      {
        author: 'omar',
        body: "Deal. I'll come back to this thread in May, and I hope to be the one saying *I told you so*.",
        minutesAfterPublish: 74,
        reactedBy: ['ben', 'rania', 'lucia', 'claire', 'sarah', 'noa'],
      },
    ],
  },
  {
    author: 'priya',
    body: "Something rarely mentioned in these stories: **elections**. Palestinians haven't voted for a legislature since 2006. Any real unity deal has to end at a ballot box, not just in a shared cabinet.",
    minutesAfterPublish: 80,
    reactedBy: ['rania', 'omar', 'noa', 'claire', 'kenji', 'sarah', 'amadou'],
    replies: [
      {
        author: 'rania',
        body: 'بالضبط. جيل كامل لم يصوّت في حياته قط. الوحدة من دون انتخابات ستكون مجرد تقاسم للسلطة بين الفصيلين.',
        minutesAfterPublish: 88,
        reactedBy: ['priya', 'omar', 'lucia', 'noa', 'amadou'],
        replies: [
          {
            author: 'yossi',
            body: "On this, for once, I agree with Rania. Elections, yes, on condition that the parties running renounce violence. That's the part that always gets skipped.",
            minutesAfterPublish: 97,
            reactedBy: ['noa', 'ben', 'priya', 'dmitri'],
            replies: [
              {
                author: 'rania',
                body: "Then we agree on more than either of us expected. The conditions are where the argument starts, but I'd take that argument over silence.",
                minutesAfterPublish: 109,
                reactedBy: ['yossi', 'noa', 'omar', 'helena', 'sarah', 'priya'],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    author: 'yossi',
    body: 'קראתי שוב את הכתבה. הסינים מדברים על פתרון שתי מדינות, אבל מי בדיוק יחתום מהצד הפלסטיני? זו בדיוק הסיבה שהשיחות האלה חשובות גם לנו, גם אם אני נשאר ספקן.',
    minutesAfterPublish: 92,
    reactedBy: ['noa', 'omar', 'kenji'],
  },
];
