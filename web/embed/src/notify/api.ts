/**
 * The notification endpoints of the API v1, called through the widget's own client (its bearer
 * token, its refresh of an expired session, its errors): see docs/api.md.
 */
import type { ApiClient } from '../api/client.js';
import type { CommentContext, NotificationPage, NotificationSettings } from '../api/types.js';
import type { InboxApi } from './inbox.js';
import type { SettingsApi, SettingsChange } from './settings.js';

export interface NotifyApi extends InboxApi {
  readonly settings: SettingsApi;
  readonly mentions: (storyId: string, prefix: string) => Promise<{ names: string[] }>;
  readonly context: (commentId: string) => Promise<CommentContext>;
}

const LIST_SIZE = 20;

export function notifyApi(api: ApiClient): NotifyApi {
  const segment = encodeURIComponent;
  return {
    list: (cursor) =>
      api.call<NotificationPage>(
        'GET',
        `/notifications?limit=${LIST_SIZE}${cursor ? `&cursor=${segment(cursor)}` : ''}`,
      ),
    read: (body) => api.call<{ unread: number }>('POST', '/notifications/read', body),
    settings: {
      get: () => api.call<NotificationSettings>('GET', '/notifications/settings'),
      put: (change: SettingsChange) =>
        api.call<NotificationSettings>('PUT', '/notifications/settings', change),
    },
    mentions: (storyId, prefix) =>
      api.call<{ names: string[] }>(
        'GET',
        `/stories/${segment(storyId)}/mentions?q=${segment(prefix)}`,
      ),
    context: (commentId) =>
      api.call<CommentContext>('GET', `/comments/${segment(commentId)}/context`),
  };
}
