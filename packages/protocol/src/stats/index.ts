export { mean, sampleStandardDeviation } from './descriptive.js';
export { prePostEffectSize } from './effect-size.js';
export { meanInterval } from './mean-interval.js';
export { normalQuantile } from './normal.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { wilsonInterval } from './wilson.js';
