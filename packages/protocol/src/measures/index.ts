export * from './definitions-version.js';
export * from './fidelity.js';
export * from './flags.js';
export * from './markdown.js';
export * from './registry.js';
export * from './statistics.js';
