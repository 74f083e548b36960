// Test helper: finds a host element in what a hook-free component returns, so a test can call its
// handlers (onClick, onSubmit) without a DOM.
import type { ReactElement, ReactNode } from 'react';

/** The element with `aria-label` in a tree of host elements (the component has no hooks). */
export function byLabel(node: ReactNode, label: string): ReactElement<Record<string, unknown>> | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const hit = byLabel(n, label);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!node || typeof node !== 'object' || !('props' in node)) return undefined;
  const el = node as ReactElement<Record<string, unknown>>;
  if (el.props['aria-label'] === label) return el;
  return byLabel(el.props.children as ReactNode, label);
}
