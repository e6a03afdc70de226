/**
 * memo(): wraps a function component so that it re-renders only when its props change
 * (shallowly), keeping list updates local to the items that changed.
 */
import { Component, h } from 'preact';
import type { ComponentType, FunctionComponent } from 'preact';

export function memo<Props extends object>(render: FunctionComponent<Props>): ComponentType<Props> {
  return class Memo extends Component<Props> {
    override shouldComponentUpdate(next: Props): boolean {
      return !shallowEqual(this.props, next);
    }

    override render() {
      return h(render, this.props);
    }
  };
}

function shallowEqual(a: object, b: object): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}
