/**
 * Above the comments: when the story has featured comments, two tabs (all comments, labelled with
 * their count, and "Featured"); and the sort order of all comments. Choosing either reloads the
 * thread. The tabs follow the ARIA tabs pattern: one tab stop, either arrow key selects the other
 * tab (there are two), and the comment list is their panel.
 */
import { SORT_ORDERS } from '../api/types.js';
import type { ListOrder } from '../api/types.js';
import { ROOT } from '../state/thread-store.js';
import { useStoreValue } from '../state/use-store-value.js';
import { ErrorAlert } from './ErrorAlert.js';
import { useAction } from './use-action.js';
import { useWidget } from './widget-context.js';

export function SortSelect() {
  const { t, store, thread, focus } = useWidget();
  const { sort, featured } = useStoreValue(store, ROOT, () => store.root);
  const { busy, error, run } = useAction();
  const onFeatured = sort === 'featured';

  const load = (order: ListOrder) => void run(() => thread.reload(order));
  const other = () => load(onFeatured ? 'newest' : 'featured');

  const choose = (event: Event) => {
    const value = (event.currentTarget as HTMLSelectElement).value;
    const order = SORT_ORDERS.find((known) => known === value);
    if (order) load(order);
  };

  const tab = (selected: boolean, label: string) => (
    <button
      type="button"
      role="tab"
      part="tab"
      id={`tab-${+selected}`}
      aria-selected={selected}
      aria-controls="list"
      tabIndex={selected ? 0 : -1}
      onClick={() => selected || other()}
    >
      {label}
    </button>
  );

  return (
    <div class="toolbar" part="toolbar" aria-busy={busy || undefined}>
      {(featured > 0 || onFeatured) && (
        <div
          role="tablist"
          part="tabs"
          aria-labelledby="heading"
          onKeyDown={(event) => {
            if (!/^Arrow(Left|Right)$/.test(event.key)) return;
            other();
            focus('[aria-selected=false]');
          }}
        >
          {tab(!onFeatured, t.commentsHeading(store.story!.commentCount))}
          {tab(onFeatured, `${t.featured} (${featured})`)}
        </div>
      )}
      {!onFeatured && (
        <>
          <label for="sort">{t.sortBy}</label>
          <select id="sort" part="select" name="sort" value={sort} onChange={choose}>
            {SORT_ORDERS.map((order) => (
              <option key={order} value={order}>
                {t.sorts[order]}
              </option>
            ))}
          </select>
        </>
      )}
      <ErrorAlert message={error} />
    </div>
  );
}
