/**
 * The charts as the pages use them: loaded on their own, beside the page's data instead of before it (a page that
 * imported Recharts directly would wait for its ~100 KB before asking for anything). A placeholder of the chart's
 * size holds its place meanwhile. `preloadCharts` lets the boot start the download with the page's own chunk.
 */
import { type ComponentProps, lazy, Suspense } from 'react';
import { Skeleton } from './ui';

const loadUsage = () => import('./charts');
const loadLines = () => import('./line-chart');

const LazyUsage = lazy(() => loadUsage().then((m) => ({ default: m.UsageChart })));
const LazyLines = lazy(() => loadLines().then((m) => ({ default: m.MultiLineChart })));

export function preloadCharts(): Promise<unknown> {
  return loadUsage();
}

export function preloadLineChart(): Promise<unknown> {
  return loadLines();
}

export function UsageChart(props: ComponentProps<typeof LazyUsage>) {
  return (
    <Suspense fallback={<Skeleton className="chart-skeleton" height="280px" width="100%" />}>
      <LazyUsage {...props} />
    </Suspense>
  );
}

export function MultiLineChart(props: ComponentProps<typeof LazyLines>) {
  return (
    <Suspense fallback={<Skeleton className="chart-skeleton" height="320px" width="100%" />}>
      <LazyLines {...props} />
    </Suspense>
  );
}
