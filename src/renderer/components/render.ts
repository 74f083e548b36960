// Test helper: components render to static HTML with props alone (no DOM library needed).
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

export function html(element: ReactElement): string {
  return renderToStaticMarkup(element);
}

/** The visible text of rendered HTML, tags dropped and whitespace collapsed. */
export function text(element: ReactElement): string {
  return html(element)
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export const noop = () => {};
