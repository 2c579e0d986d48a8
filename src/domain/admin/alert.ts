/** The conditions the portal alerts on (docs/product.md §2.7), each a `kp_alert_active{alert}` series. */
export const ALERT_NAMES = [
  'cache_hit_rate_low',
  'redis_memory_high',
  'route_latency_high',
  'sync_failing',
  'crs_timezone_mismatch',
] as const;

export interface Alert {
  name: (typeof ALERT_NAMES)[number];
  message: string;
  /** The figure measured and its threshold (ratios; seconds for latency), and where: for notifications. */
  value?: number;
  threshold?: number;
  where?: string;
}
