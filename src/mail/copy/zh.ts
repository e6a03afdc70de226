/** Chinese (Simplified) mail. */
import { alertBlocks, digestBlocks } from '../compose.ts';
import type { MailCopy, NotifyParams } from '../templates.ts';

const story = (p: NotifyParams) => `《${p.storyTitle}》`;
const on = (title: string | null | undefined) => (title ? `（文章《${title}》）` : '');

export const zh: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `${name}，你好：` : '你好：'),
  pasteLink: '如果按钮无法使用，请将以下地址复制到浏览器中打开：',
  colon: '：',
  signoff: (brand) => `${brand} 团队`,
  lists: {
    reply: '对你评论的回复',
    staff: '编辑部在你参与的讨论中的回复',
    mention: '提到你的评论',
    moderation: '你的评论的审核结果',
    featured: '你的评论被精选',
    digest: '你的评论相关动态（汇总）',
  },
  footer: (list, site) => `你收到这封邮件，是因为你曾要求 ${site} 通过邮件告诉你${list}。`,
  unsubscribe: '一键退订',
  reasons: {
    abuse: '辱骂',
    hate: '仇恨',
    threat: '威胁',
    spam: '垃圾信息',
    off_topic: '偏离主题',
    illegal: '违法',
    privacy: '隐私',
    misinformation: '虚假信息',
    other: '其他',
  },
  unsubscribePage: {
    title: '退订',
    question: (list) => `不再接收关于${list}的邮件？`,
    undo: '你可以随时在通知设置中重新开启。',
    button: '退订',
    done: (list) => `已完成。你将不再收到关于${list}的邮件。`,
    invalid: '此退订链接无效。请确认你从邮件中复制了完整的地址，或在通知设置中更改你的选择。',
    settings: '你的通知设置',
  },
  templates: {
    verify: (p) => ({
      subject: '请确认你的电子邮箱地址',
      body: [
        '感谢你加入讨论。确认电子邮箱地址后即可发表评论。',
        { button: '确认邮箱地址', href: p.link },
        '该链接 48 小时内有效。如果你没有注册，请忽略此邮件。',
      ],
    }),
    'signup-existing': (p) => ({
      subject: '你已经有账户了',
      body: [
        '有人（可能就是你）尝试用这个电子邮箱地址注册。该地址已有账户，直接登录即可。',
        { button: '登录', href: p.loginLink },
        { link: '忘记密码了？可以在这里设置新密码：', href: p.resetLink },
        '如果这不是你本人的操作，请忽略此邮件，你的账户没有任何变化。',
      ],
    }),
    reset: (p) => ({
      subject: '重置你的密码',
      body: [
        '我们收到了重置你账户密码的请求。',
        { button: '设置新密码', href: p.link },
        '该链接只能使用一次，30 分钟内有效。如果你没有提出此请求，请忽略此邮件，你的密码不会改变。',
      ],
    }),
    'change-email': (p) => ({
      subject: '请确认你的新电子邮箱地址',
      body: [
        '你申请将此地址用于你的账户。确认后即可完成更改。',
        { button: '确认此地址', href: p.link },
        '如果你没有提出此请求，请忽略此邮件，你的账户将继续使用当前地址。',
      ],
    }),
    'email-changed': (p) => ({
      subject: '你的电子邮箱地址已更改',
      body: [
        `你账户的电子邮箱地址已改为 ${p.newEmail}。今后我们会把邮件发到这个地址。`,
        '如果这不是你本人的操作，请立即与我们联系。',
      ],
    }),
    'deletion-scheduled': (p) => ({
      subject: '你的账户即将删除',
      body: [
        `根据你的请求，你的账户将于 ${p.dueAt} 删除，届时你的个人资料将被永久清除。`,
        '改变主意了？在此之前你可以随时取消。',
        { button: '保留我的账户', href: p.cancelLink },
      ],
    }),
    'account-deleted': () => ({
      subject: '你的账户已删除',
      body: [
        '按照你的请求，我们已删除你的账户并清除了你的个人资料。感谢你参与讨论。',
        '这是我们发给你的最后一封邮件。',
      ],
    }),
    'notify-reply': (p) => ({
      subject: `${p.actor} 回复了你的评论`,
      body: [
        `${p.actor} 在${story(p)}下回复了你的评论：`,
        { quote: p.excerpt },
        { button: '查看回复', href: p.link },
      ],
    }),
    'notify-staff': (p) => ({
      subject: `${p.siteName} 的 ${p.actor} 加入了你的讨论`,
      body: [
        `${p.siteName} 编辑部的 ${p.actor} 在${story(p)}下你参与的讨论中作了回复：`,
        { quote: p.excerpt },
        { button: '查看回复', href: p.link },
      ],
    }),
    'notify-answer': (p) => ({
      subject: `${p.actor} 回答了你的问题`,
      body: [
        `${p.siteName} 编辑部的 ${p.actor} 回答了你在${story(p)}下提出的问题：`,
        { quote: p.excerpt },
        { button: '查看回答', href: p.link },
      ],
    }),
    'notify-mention': (p) => ({
      subject: `${p.actor} 提到了你`,
      body: [
        `${p.actor} 在${story(p)}下的一条评论中提到了你：`,
        { quote: p.excerpt },
        { button: '查看评论', href: p.link },
      ],
    }),
    'notify-approved': (p) => ({
      subject: '你的评论已发布',
      body: [
        `你在${story(p)}下的评论已通过审核，现已公开发布：`,
        { quote: p.excerpt },
        { button: '查看我的评论', href: p.link },
      ],
    }),
    'notify-rejected': (p) => ({
      subject: '你的评论未能发布',
      body: [
        `经审核，你在${story(p)}下的评论未能发布。`,
        `原因：${zh.reasons[p.reasonCode.toLowerCase()] ?? zh.reasons.other}`,
        ...(p.note === null ? [] : [`审核员的说明：${p.note}`]),
        '你的评论：',
        { quote: p.excerpt },
        { action: '在文章下查看（仅你本人可见）', href: p.link },
        ...(p.guidelinesLink === null
          ? []
          : [{ link: '我们的社区准则说明了哪些内容可以发布：', href: p.guidelinesLink }]),
      ],
    }),
    'notify-appeal': (p) => ({
      subject:
        p.outcome === 'reversed'
          ? `你的申诉已被接受：你的评论已重新发布`
          : `你的申诉已复核：原决定维持不变`,
      body: [
        p.outcome === 'reversed'
          ? `一位未参与原决定的版主复核了你对${story(p)}上评论的申诉，并撤销了原决定：该评论已重新发布。`
          : `一位未参与原决定的版主复核了你对${story(p)}上评论的申诉。原决定维持不变：该评论仍不发布。`,
        ...(p.note === null ? [] : [`版主的说明：${p.note}`]),
        `你的评论：`,
        { quote: p.excerpt },
        { action: `在文章下查看`, href: p.link },
      ],
    }),
    'notify-featured': (p) => ({
      subject: '你的评论被精选了',
      body: [
        `${p.siteName} 编辑部将你在${story(p)}下的评论选为精选评论：`,
        { quote: p.excerpt },
        { button: '查看我的评论', href: p.link },
        '感谢你为讨论增添价值。',
      ],
    }),
    'notice-received': (p) => ({
      subject: `我们已收到你关于违法内容的举报`,
      body: [
        `我们已收到你对《${p.storyTitle}》下一条评论的违法内容举报，法律依据为：${p.legalGround}`,
        `版主将会审核。该评论：`,
        { action: `在文章下查看`, href: p.link },
      ],
    }),
    'notify-digest': (p) => ({
      subject:
        p.period === 'hourly'
          ? `过去一小时在 ${p.siteName}：回复与你的评论动态`
          : `今日在 ${p.siteName}：回复与你的评论动态`,
      body: [
        p.period === 'hourly'
          ? '以下是过去一小时内与你的评论相关的动态。'
          : '以下是自昨天以来与你的评论相关的动态。',
        ...digestBlocks(p, {
          item: (item) => {
            switch (item.kind) {
              case 'reply':
                return `${item.author} 回复了你的评论：`;
              case 'staff':
                return `编辑部的 ${item.author} 在你的讨论中作了回复：`;
              case 'answer':
                return `编辑部的 ${item.author} 回答了你的问题：`;
              case 'mention':
                return `${item.author} 提到了你：`;
              case 'approved':
                return '你的评论已发布：';
              case 'rejected':
                return `你的评论未能发布（${zh.reasons[item.reasonCode?.toLowerCase() ?? ''] ?? zh.reasons.other}）：`;
              case 'featured':
                return '你的评论被精选：';
              case 'appeal':
                return `版主已对你的申诉作出决定：`;
            }
          },
          open: '在文章中查看',
          moreOnStory: (n) => `本文还有 ${n} 条`,
          moreElsewhere: (n) =>
            `其他文章还有 ${n} 条通知：任一文章下的通知列表中都能看到全部通知。`,
        }),
      ],
    }),
    'moderator-alert': (p) => {
      const words = {
        item: (author: string, reason: string) => `${author} · ${reason}`,
        review: '审核',
      };
      switch (p.kind) {
        case 'pending':
          return {
            subject: `${p.siteName} 有 ${p.count} 条评论等待审核`,
            body: [
              `${p.siteName} 的待审核队列中有新的评论。`,
              ...alertBlocks(p, words),
              { button: '打开队列', href: p.link },
            ],
          };
        case 'reported':
          return {
            subject: `${p.siteName} 有 ${p.count} 条评论被举报`,
            body: [
              `读者举报了以下内容${on(p.storyTitle)}。`,
              ...alertBlocks(p, words),
              { button: '打开举报队列', href: p.link },
            ],
          };
        case 'threshold':
          return {
            subject: `${p.siteName} 的一条评论被反复举报`,
            body: [
              `以下内容被举报的次数已超过你设定的提醒阈值${on(p.storyTitle)}。`,
              ...alertBlocks(p, words),
              { button: '打开举报队列', href: p.link },
            ],
          };
        case 'spike':
          return {
            subject: `${p.siteName} 的评论量激增`,
            body: [
              p.storyTitle
                ? `文章《${p.storyTitle}》收到的评论远多于平常。最新的评论：`
                : '一篇文章收到的评论远多于平常。最新的评论：',
              ...alertBlocks(p, words),
              { button: '查看该文章的评论', href: p.link },
            ],
          };
        case 'digest':
          return {
            subject: `${p.siteName} 有 ${p.count} 条评论等待处理`,
            body: [
              `${p.siteName} 审核队列的当前情况。最先等待的评论：`,
              ...alertBlocks(p, words),
              { button: '打开队列', href: p.link },
            ],
          };
        case 'test':
          return {
            subject: `来自 ${p.siteName} 的测试提醒`,
            body: [
              `这是一条测试。${p.siteName} 的审核提醒会发送到这个地址。`,
              ...alertBlocks(p, words),
              { button: '打开管理后台', href: p.link },
            ],
          };
      }
    },
    'webhook-disabled': (p) => ({
      subject: `${p.siteName} 的一个 Webhook 已被停用`,
      body: [
        `自 ${p.since} 起，发往 ${p.url} 的每次投递都失败了，因此该端点已被停用，不会再向它发送事件。`,
        `最后一次错误：${p.reason}`,
        { button: '查看端点及其投递记录', href: p.link },
        '接收方恢复正常后，请在管理后台重新启用该端点。',
      ],
    }),
  },
};
