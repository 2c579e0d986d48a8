export { type CacheOptions, createCache } from './cache.js';
export { NAMESPACE_NAMES, NAMESPACES } from './namespaces.js';
export type * from './types.js';
