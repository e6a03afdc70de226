/** 个人主页与已屏蔽的读者（中文，见 ./en.ts）。 */
import type { ProfileMessages } from './en.js';

const zh: ProfileMessages = {
  section: '你的个人主页和你屏蔽的读者',
  privateLabel: '在我的个人主页上不公开我的评论',
  privateHint:
    '其他人将只能看到你的名字、头像和徽章。你自己仍能看到你的评论，管理员也和以前一样能看到全部内容。',
  privateOn: '你的评论现在在个人主页上不公开。',
  privateOff: '你的评论现在会显示在个人主页上。',
  seeProfile: '查看你的个人主页',
  ignoredTitle: '你屏蔽的读者',
  ignoredHint: '在你登录的每台设备上，他们的评论都会为你折叠。对方不会收到通知。',
  ignoredEmpty: '你没有屏蔽任何人。要屏蔽某位读者，请在其评论下选择“屏蔽”。',
  since: (date) => `自 ${date} 起`,
  stopIgnoring: '取消屏蔽',
  stopIgnoringName: (name) => `取消屏蔽 ${name}`,
  stopped: (name) => `你已取消屏蔽 ${name}。`,
};

export default zh;
