/*
 * The stats barrel: every public statistic is re-exported and is the same function as in its
 * own module.
 */
import { describe, expect, it } from 'vitest';
import * as adjusted from './adjusted-comparison.js';
import * as cumulativeIncidence from './cumulative-incidence.js';
import * as descriptive from './descriptive.js';
import * as effectSize from './effect-size.js';
import * as heterogeneity from './heterogeneity.js';
import * as stats from './index.js';
import * as logistic from './logistic-regression.js';
import * as mantelHaenszel from './mantel-haenszel.js';
import * as meanInterval from './mean-interval.js';
import * as modelExpected from './model-expected.js';
import * as moments from './moments.js';
import * as normal from './normal.js';
import * as quantile from './quantile.js';
import * as regression from './regression-standardisation.js';
import * as special from './special.js';
import * as standardisation from './standardisation.js';
import * as studentT from './student-t.js';
import * as wilson from './wilson.js';

describe('stats/index', () => {
  it('re-exports exactly the public statistics', () => {
    expect(Object.keys(stats).sort()).toEqual([
      'Z95',
      'aalenJohansen',
      'aalenJohansenFromCounts',
      'chiSquareSurvival',
      'commonSupport',
      'compareGroups',
      'directlyStandardise',
      'effectSizeFromMoments',
      'expectedByModel',
      'fitLogistic',
      'interactionTest',
      'mantelHaenszelRiskRatio',
      'mean',
      'meanInterval',
      'meanIntervalFromMoments',
      'momentsFromSums',
      'noiseVarianceOfRate',
      'normalQuantile',
      'prePostEffectSize',
      'quantileType7',
      'rateDifference',
      'regressionStandardise',
      'sampleStandardDeviation',
      'studentTCdf',
      'studentTQuantile',
      'wilsonInterval',
    ]);
  });

  it('re-exports the implementations themselves', () => {
    expect(stats.mean).toBe(descriptive.mean);
    expect(stats.sampleStandardDeviation).toBe(descriptive.sampleStandardDeviation);
    expect(stats.prePostEffectSize).toBe(effectSize.prePostEffectSize);
    expect(stats.meanInterval).toBe(meanInterval.meanInterval);
    expect(stats.normalQuantile).toBe(normal.normalQuantile);
    expect(stats.studentTCdf).toBe(studentT.studentTCdf);
    expect(stats.studentTQuantile).toBe(studentT.studentTQuantile);
    expect(stats.wilsonInterval).toBe(wilson.wilsonInterval);
    expect(stats.meanIntervalFromMoments).toBe(moments.meanIntervalFromMoments);
    expect(stats.effectSizeFromMoments).toBe(moments.effectSizeFromMoments);
    expect(stats.momentsFromSums).toBe(moments.momentsFromSums);
    expect(stats.compareGroups).toBe(adjusted.compareGroups);
    expect(stats.commonSupport).toBe(standardisation.commonSupport);
    expect(stats.directlyStandardise).toBe(standardisation.directlyStandardise);
    expect(stats.rateDifference).toBe(standardisation.rateDifference);
    expect(stats.noiseVarianceOfRate).toBe(standardisation.noiseVarianceOfRate);
    expect(stats.aalenJohansen).toBe(cumulativeIncidence.aalenJohansen);
    expect(stats.quantileType7).toBe(quantile.quantileType7);
    expect(stats.mantelHaenszelRiskRatio).toBe(mantelHaenszel.mantelHaenszelRiskRatio);
    expect(stats.fitLogistic).toBe(logistic.fitLogistic);
    expect(stats.expectedByModel).toBe(modelExpected.expectedByModel);
    expect(stats.regressionStandardise).toBe(regression.regressionStandardise);
    expect(stats.interactionTest).toBe(heterogeneity.interactionTest);
    expect(stats.chiSquareSurvival).toBe(special.chiSquareSurvival);
  });
});
