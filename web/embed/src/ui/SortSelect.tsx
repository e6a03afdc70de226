/**
 * The sort order selector; choosing an order reloads the thread in that order.
 */
import { useId } from 'preact/hooks';
import { SORT_ORDERS } from '../api/types.js';
import { ROOT } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { ErrorAlert } from './ErrorAlert.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

export function SortSelect() {
  const { t, store, thread } = useWidget();
  const sort = useStoreValue(store, ROOT, () => store.root.sort);
  const { busy, error, run } = useAction();
  const selectId = useId();

  const choose = (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    const order = SORT_ORDERS.find((known) => known === value);
    if (order) void run(() => thread.reload(order));
  };

  return (
    <div class="toolbar">
      <label for={selectId}>{t.sortBy}</label>
      <select
        id={selectId}
        name="sort"
        value={sort}
        aria-busy={busy || undefined}
        onChange={choose}
      >
        {SORT_ORDERS.map((order) => (
          <option key={order} value={order}>
            {t.sorts[order]}
          </option>
        ))}
      </select>
      <ErrorAlert message={error} />
    </div>
  );
}
