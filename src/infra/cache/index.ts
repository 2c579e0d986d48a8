export { type CacheOptions, createCache } from './cache.js';
export { CACHE_CHANNEL, type InvalidationChannel } from './channel-invalidation.js';
export { NAMESPACE_NAMES, NAMESPACES } from './namespaces.js';
export type * from './types.js';
