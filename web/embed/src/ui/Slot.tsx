/**
 * A place the notification features fill once their module is loaded (state/features.ts): an
 * element with no box of its own (display: contents), into which the module renders the feature
 * `name` with a Preact of its own. It stays empty until then, or when the module cannot load.
 */
import { useEffect, useRef } from 'preact/hooks';
import { LOADED } from '../state/features.js';
import { useStoreValue } from '../state/use-store-value.js';
import { useWidget } from './widget-context.js';

export function Slot({ name }: { name: string }) {
  const widget = useWidget();
  const { features } = widget;
  const module = useStoreValue(features, LOADED, () => features.module);
  const element = useRef<HTMLDivElement>(null);
  useEffect(
    () => (module && element.current ? module.mount(name, element.current, widget) : undefined),
    [module],
  );
  return <div ref={element} class="slot" />;
}
