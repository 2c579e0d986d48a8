/**
 * Requests per day over a range, counted from the first day with any use (issue 15: a year's average must not
 * count the months before the first key existed). `since` is that first day when it is not the range's first,
 * so the page can say which days the average covers.
 */
export function perDayAverage(
  series: readonly { date: string; requests: number }[],
  total: number,
): { value: number; since?: string } {
  const first = series.findIndex((d) => d.requests > 0);
  if (first === -1) return { value: 0 };
  const days = series.length - first;
  return { value: Math.round(total / days), since: first > 0 ? series[first].date : undefined };
}
