/**
 * A site's thread order (docs/sorting.md), in the dashboard's Sites view: the order readers get
 * when the page names none (the widget's data-sort), and whether the newsroom's and featured
 * comments lead that order's first page. Each change is saved at once and logged (site.update).
 */
import { useState } from 'preact/hooks';
import { describeError } from '../api/client.js';
import type { AdminSite } from '../api/types.js';
import { useDashboard } from './context.js';

const ORDERS = [
  ['newest', 'Newest'],
  ['oldest', 'Oldest'],
  ['replies', 'Most replies'],
  ['reactions', 'Most reactions'],
  ['best', 'Best (respects against views and age)'],
] as const;

export function SortingSection(props: { site: AdminSite; onChange: (site: AdminSite) => void }) {
  const { api, announce } = useDashboard();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (change: { defaultSort?: string; pinNewsroom?: boolean }, done: string) => {
    setBusy(true);
    try {
      const { site } = await api.updateSite(
        props.site.id,
        change as Parameters<typeof api.updateSite>[1],
      );
      setError(null);
      props.onChange(site);
      announce(done);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="site-section" aria-labelledby="site-sorting-title">
      <h2 id="site-sorting-title">Order of comments</h2>
      <p>
        The order readers see first, unless the page asks for another; readers can still choose.
      </p>
      <label>
        Default order{' '}
        <select
          name="defaultSort"
          value={props.site.defaultSort}
          disabled={busy}
          aria-describedby={error ? 'site-sorting-error' : undefined}
          onChange={(event) => {
            const value = event.currentTarget.value;
            void save({ defaultSort: value }, `Comments are now shown ${value} first.`);
          }}
        >
          {ORDERS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="pinNewsroom"
          checked={props.site.pinNewsroom}
          disabled={busy}
          onChange={(event) => {
            const pin = event.currentTarget.checked;
            void save(
              { pinNewsroom: pin },
              pin ? 'Newsroom and featured comments are pinned.' : 'Nothing is pinned.',
            );
          }}
        />{' '}
        Pin the newsroom’s and featured comments at the top of the default order
      </label>
      <p id="site-sorting-error" class="field-error" role="alert" hidden={!error}>
        {error}
      </p>
    </section>
  );
}
