/**
 * The polite aria-live region that tells screen-reader users what just happened
 * ("Comment posted"). It is rendered from the start so that changes to it are announced.
 */
import { Announcer } from '../state/announcer.js';
import { useStoreValue } from '../state/use-store-value.js';
import { useWidget } from './widget-context.js';

export function LiveRegion() {
  const { announcer } = useWidget();
  const message = useStoreValue(announcer, Announcer.key, () => announcer.message);
  return (
    <div class="vh" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
