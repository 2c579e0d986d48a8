import type { ReactNode } from 'react';

/**
 * A table (or a snippet) that may scroll sideways on a phone. A region the mouse can scroll must be reachable by
 * keyboard too (axe: scrollable-region-focusable): it is a named, focusable region, so Tab reaches it and the
 * arrow keys scroll it. Named after what it holds, so a screen reader announces more than "region".
 */
export function ScrollRegion({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className={className ? `table-wrap ${className}` : 'table-wrap'} tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
