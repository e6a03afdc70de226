/**
 * The bus channels that are not a story's: each signed-in reader's own, on which their
 * notifications are published (src/notify/notifications.ts) and from which every stream they hold
 * open receives them (src/server/live/viewer-channels.ts).
 */

/**
 * The bus channel of one reader's own events: published with `storyId` set to this, received by
 * every stream the reader holds open, whichever story it is.
 */
export const userChannel = (userId: string): string => `user:${userId}`;

/** The kind of a reader's own events on their channel. */
export const NOTIFICATION_EVENT = 'notification';
