/** 在评论组件中屏蔽读者（中文，见 ./en.ts）。 */
import type { IgnoreMessages } from './en.js';

const zh: IgnoreMessages = {
  ignore: '屏蔽',
  ignoreName: '屏蔽 {name}',
  collapsed: '一条来自你已屏蔽的读者的评论',
  show: '显示',
  hide: '隐藏',
  stopIgnoring: '取消屏蔽',
  ignored: '你已屏蔽 {name}，其评论将被折叠。',
  unignored: '你已取消屏蔽 {name}。',
  listTitle: '你屏蔽的读者',
  listEmpty: '你没有屏蔽任何人。',
  failed: '操作失败，请重试。',
};

export default zh;
