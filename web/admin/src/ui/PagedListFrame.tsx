/**
 * The frame of a list the API serves a page at a time (stories, users, mail; see usePagedList):
 * the view's title with the count loaded so far ("+" while more pages remain), the error banner,
 * the list the view renders, the line for an empty list, "Loading…" and "Load more". As a whole
 * page (`page`, the view's tools beside the title) or as a workspace's middle column (`column`,
 * labelled with the title); the filters, rows and actions stay in the view.
 */
import type { ComponentChildren } from 'preact';

/** What the frame reads of usePagedList's answer. */
export interface PagedListState {
  readonly items: readonly unknown[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly error: string | null;
  readonly loadMore: () => Promise<void>;
}

export function PagedListFrame(props: {
  readonly layout: 'page' | 'column';
  readonly title: string;
  /** The count in words, as `(n) => plural(n, 'message')`. */
  readonly count: (n: number) => string;
  readonly list: PagedListState;
  /** Said when the list is loaded, empty and without an error. */
  readonly empty: string;
  /** Beside the title: a search form, say. */
  readonly tools?: ComponentChildren;
  /** The list itself (a table, with what goes above it). */
  readonly children: ComponentChildren;
}) {
  const { list } = props;
  const heading = (
    <h1 class="view-title">
      {props.title}
      {!list.loading && (
        <span class="view-count">
          {props.count(list.items.length)}
          {list.nextCursor ? '+' : ''}
        </span>
      )}
    </h1>
  );
  const banner = list.error && (
    <p class="error banner" role="alert">
      {list.error}
    </p>
  );
  const body = (
    <>
      {props.children}
      {!list.loading && list.items.length === 0 && !list.error && (
        <p class="empty">{props.empty}</p>
      )}
      {list.loading && <p class="muted list-note">Loading…</p>}
      {list.nextCursor && !list.loading && (
        <div class="list-note">
          <button type="button" class="btn" onClick={() => void list.loadMore()}>
            Load more
          </button>
        </div>
      )}
    </>
  );

  if (props.layout === 'page') {
    return (
      <div class="page">
        <div class="page-head">
          {heading}
          {props.tools}
        </div>
        {banner}
        <div class="page-body">{body}</div>
      </div>
    );
  }
  return (
    <section class="column column-list" aria-label={props.title}>
      <div class="list-head">
        <div class="list-title">{heading}</div>
        {props.tools}
      </div>
      {banner}
      <div class="list-scroll">{body}</div>
    </section>
  );
}
