/**
 * Chinese (Simplified) interface strings, built into their own file (build/web/i18n/) that the widget loads
 * only on Chinese (Simplified) pages; see ../i18n.ts.
 */
import thread from '../../../../src/domain/thread-words/zh.js';
import type { Messages } from '../i18n.js';

const zh: Messages = {
  ...thread,
  loading: '正在加载评论…',
  retry: '重试',
  networkError: '无法连接评论服务。',
  unknownError: '出现问题，请重试。',
  signOut: '退出登录',
  signedInAs: '当前登录：',
  yourAccount: '我的账户',
  popupBlocked: '浏览器拦截了登录窗口。请允许此页面弹出窗口后重试。',
  edit: '编辑',
  delete: '删除',
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
  awaitingReview: '等待审核',
  removed: '已被版主删除',
  newComments: (n) => `${n} 条新评论`,
  announceSignedOut: '已退出登录',
  linkCopied: '链接已复制',
  commentLink: '此评论的链接',
};

export default zh;
