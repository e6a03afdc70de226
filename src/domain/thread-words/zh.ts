/**
 * The words of a comment thread as a signed-out reader first sees it, in Chinese: see ./en.ts.
 */
import type { ThreadWords } from './en.ts';

const zh: ThreadWords = {
  commentsHeading: (n) => `${n} 条评论`,
  noComments: '还没有评论。',
  closed: '评论已关闭。',
  joinPrompt: '登录后即可参与讨论。',
  signIn: '登录',
  reply: '回复',
  respect: '认可',
  report: '举报',
  deleted: '此评论已被删除',
  featured: '精选',
  /** Marks a comment the site pins above its default order. */
  pinned: '置顶',
  edited: '已编辑',
  inReplyTo: '回复',
  sortBy: '排序',
  sorts: {
    newest: '最新',
    oldest: '最早',
    replies: '回复最多',
    reactions: '认可最多',
    best: '最佳',
  },
  loadMore: '加载更多评论',
  showMoreReplies: (n) => (n > 0 ? `显示另外 ${n} 条回复` : '显示更多回复'),
  staff: '编辑部',
  commentBy: (name) => `${name} 的评论`,
  replyTo: (name) => `回复 ${name}`,
  badges: { subscriber: '订阅用户', verified: '已认证', staff: '编辑部' },
  copyLink: '复制链接',
};

export default zh;
