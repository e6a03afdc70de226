/**
 * What a server-rendered thread is drawn from: the anonymous JSON page of
 * `GET /stories/{storyId}/comments` (the same bytes' source), and the site's settings as
 * `POST /stories/resolve` gives them. The widget seeds itself from exactly this.
 */
import type { CommentJson, StoryJson, ThreadCommentJson } from '../schemas.ts';
import { presentSiteSettings } from '../presenters.ts';

export interface AnonymousPage {
  story: StoryJson;
  comments: ThreadCommentJson[];
  nextCursor: string | null;
  pending: CommentJson[];
  featuredCount?: number;
}

export type SiteSettingsJson = ReturnType<typeof presentSiteSettings>;
