/**
 * A place the notification features fill once their module is loaded (state/features.ts): an
 * element with no box of its own (display: contents), into which the module renders the feature
 * `name`, given `props`, with a Preact of its own. The feature is rendered before the browser
 * paints (a layout effect), as soon as the module is there; until then the slot shows its
 * children, if any (a placeholder), and it stays so when the module cannot load. The props are
 * those of the render that mounted the feature.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { LOADED } from '../state/features.js';
import { useStoreValue } from '../state/use-store-value.js';
import { useWidget } from './widget-context.js';

interface SlotProps {
  readonly name: string;
  readonly props?: object;
  /** Shown until the feature is rendered. */
  readonly children?: ComponentChildren;
}

export function Slot({ name, props, children }: SlotProps) {
  const widget = useWidget();
  const { features } = widget;
  const module = useStoreValue(features, LOADED, () => features.module);
  const element = useRef<HTMLDivElement>(null);
  useLayoutEffect(
    () =>
      module && element.current ? module.mount(name, element.current, widget, props) : undefined,
    [module],
  );
  return (
    <>
      {!module && children}
      <div ref={element} class="slot" />
    </>
  );
}
