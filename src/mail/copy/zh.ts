/** Chinese (Simplified) account mail. */
import type { MailCopy } from '../templates.ts';

export const zh: MailCopy = {
  dir: 'ltr',
  greeting: (name) => (name ? `${name}，你好：` : '你好：'),
  pasteLink: '如果按钮无法使用，请将以下地址复制到浏览器中打开：',
  colon: '：',
  signoff: (brand) => `${brand} 团队`,
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
  },
};
