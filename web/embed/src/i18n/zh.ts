/**
 * Chinese (Simplified) interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Chinese (Simplified) pages; see ../i18n.ts.
 */
import type { Messages } from '../i18n.js';

const zh: Messages = {
  commentsHeading: (n) => `${n} 条评论`,
  loading: '正在加载评论…',
  retry: '重试',
  networkError: '无法连接评论服务。',
  unknownError: '出现问题，请重试。',
  noComments: '还没有评论。',
  closed: '评论已关闭。',
  joinPrompt: '登录后即可参与讨论。',
  signIn: '登录',
  signOut: '退出登录',
  signedInAs: '当前登录：',
  yourAccount: '我的账户',
  popupBlocked: '浏览器拦截了登录窗口。请允许此页面弹出窗口后重试。',
  reply: '回复',
  edit: '编辑',
  delete: '删除',
  respect: '认可',
  report: '举报',
  reported: '已举报',
  reasons: {
    abuse: '辱骂',
    spam: '垃圾信息',
    off_topic: '偏离主题',
    misinformation: '虚假信息',
    other: '其他',
    hate: '仇恨',
    threat: '威胁',
    illegal: '违法',
    privacy: '隐私',
  },
  deleted: '此评论已被删除',
  awaitingReview: '等待审核',
  removed: '已被版主删除',
  featured: '精选',
  edited: '已编辑',
  inReplyTo: '回复',
  sortBy: '排序',
  sorts: { newest: '最新', oldest: '最早', replies: '回复最多', reactions: '认可最多' },
  newComments: (n) => `${n} 条新评论`,
  loadMore: '加载更多评论',
  showMoreReplies: (n) => (n > 0 ? `显示另外 ${n} 条回复` : '显示更多回复'),
  staff: '编辑部',
  announceSignedOut: '已退出登录',
  commentBy: (name) => `${name} 的评论`,
  replyTo: (name) => `回复 ${name}`,
  badges: { subscriber: '订阅用户', verified: '已认证', staff: '编辑部' },
  copyLink: '复制链接',
  linkCopied: '链接已复制',
  commentLink: '此评论的链接',
};

export default zh;
