export * from './cell-key.js';
export * from './period.js';
export * from './perturb.js';
export * from './protect.js';
