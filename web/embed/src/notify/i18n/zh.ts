/** The notification features' words in Chinese (simplified; see ./en.ts). */
import type { NotifyMessages } from './en.js';

const zh: NotifyMessages = {
  notifications: '通知',
  bell: (n) => (n === 0 ? '通知' : `通知，${n} 条未读`),
  close: '关闭',
  loading: '正在加载…',
  markAllRead: '全部标为已读',
  settings: '邮件设置',
  backToList: '返回通知',
  older: '显示更早的通知',
  empty: '暂无通知。有人回复您的评论或评论有新动态时，会显示在这里。',
  unread: '未读：',
  what: {
    reply: '{name} 回复了您的评论',
    staff: '编辑部的 {name} 在您参与的讨论中回复了',
    mention: '{name} 在评论中提到了您',
    approved: '您的评论已通过审核并发布',
    rejected: '您的评论已被移除',
    featured: '您的评论被设为精选',
  },
  someone: '一位读者',
  reason: '原因：',
  onStory: '文章：{title}',
  anotherStory: '另一篇文章',
  announce: '新通知：{text}',

  settingsTitle: '邮件通知',
  emailLegend: '给我发邮件',
  modes: {
    off: '从不',
    immediate: '立即发送',
    hourly: '每小时汇总一次',
    daily: '每天汇总一次',
  },
  kindsLegend: '通知内容',
  kinds: {
    reply: '对我的评论的回复',
    staff: '编辑部在我参与的讨论中的回复',
    mention: '提到我的名字',
    moderation: '对我的评论的审核决定',
    featured: '我的评论被设为精选',
  },
  listNote: '无论这里如何选择，铃铛下的列表都会显示全部通知。',
  unconfirmed: '确认电子邮箱地址后才会开始发送邮件。',
  bounced: '发往您邮箱的邮件无法送达，因此已停止发送。请在“我的账户”中重新确认邮箱地址。',
  saveSettings: '保存设置',
  settingsSaved: '设置已保存。',

  optIn: '有人回复时给我发邮件',
  optInDone: '有人回复时，我们会给您发邮件。',

  mentionsLabel: '本讨论的读者',
  mentionCount: (n) => `推荐了 ${n} 个名字：可用方向键选择`,

  linkedNotice: '您通过链接打开了一条评论：它显示在最前面，位于它所回复的评论之下。',
  showWhole: '显示完整讨论',
  linkedGone: '链接指向的评论已不可用。',
};

export default zh;
