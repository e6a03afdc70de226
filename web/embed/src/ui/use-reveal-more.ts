/**
 * Loads more comments (a page of the thread or of a comment's replies) and moves focus to the
 * first one added, so keyboard and screen-reader users continue reading where the new ones begin.
 */
import type { Action } from './use-action.js';
import { useAction } from './use-action.js';
import { commentSelector, useWidget } from './widget-context.js';

export function useRevealMore(
  load: () => Promise<readonly string[]>,
): Action & { readonly reveal: () => void } {
  const { focus } = useWidget();
  const action = useAction();
  const reveal = () =>
    void action.run(async () => {
      const [firstAdded] = await load();
      if (firstAdded) focus(commentSelector(firstAdded));
    });
  return { ...action, reveal };
}
