/**
 * @ipt/auth: who is asking. Source and read keys (configuration, generation, keyrings that
 * compare hashes in constant time), bearer tokens, dashboard sessions, OIDC sign-in and the
 * principal a request resolves to. What a principal may do is its capabilities
 * (@ipt/analytics); this package only says who it is.
 */
export * from './cookies.js';
export * from './keys/config.js';
export * from './keys/generate.js';
export * from './keys/verify.js';
export type { ReadLimiter } from './limiter.js';
export * from './oidc.js';
export * from './principal.js';
export * from './sessions.js';
