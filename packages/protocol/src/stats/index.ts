export { mean, sampleStandardDeviation } from './descriptive.js';
export { prePostEffectSize } from './effect-size.js';
export { meanInterval } from './mean-interval.js';
export {
  effectSizeFromMoments,
  meanIntervalFromMoments,
  momentsFromSums,
  type SampleMoments,
  type SampleSums,
} from './moments.js';
export { normalQuantile } from './normal.js';
export { studentTCdf, studentTQuantile } from './student-t.js';
export { wilsonInterval } from './wilson.js';
