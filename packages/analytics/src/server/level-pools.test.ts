/**
 * @fileoverview Levels pooled for a protected audit (here severity bands): a band below k joins its neighbour
 * (the last joins the one before), pools grow until each holds k, and nothing is pooled in an
 * exact answer's terms when every band holds k.
 */
import { SEVERITY_BANDS } from '@ipt/protocol';
import { describe, expect, it } from 'vitest';
import { testDisclosure } from '../testing/disclosure.js';
import { disclosureOf } from './disclosure.js';
import { poolSmallLevels } from './level-pools.js';

const disclosure = disclosureOf('protected', testDisclosure);
const bands = (sizes: Record<string, number>) =>
  new Map(
    Object.entries(sizes).map(([band, count], i) => [band, { eligible: { count, key: i * 7919 } }]),
  );

describe('severity pools', () => {
  it('leave bands of k or more apart', () => {
    const pool = poolSmallLevels(
      bands({ minimal: 40, mild: 50, moderate: 60 }),
      SEVERITY_BANDS,
      disclosure,
    );
    expect(['minimal', 'mild', 'moderate'].map(pool)).toEqual(['minimal', 'mild', 'moderate']);
  });

  it('join a small band to the next, and the last small one to the one before', () => {
    const pool = poolSmallLevels(
      bands({ minimal: 3, mild: 50, moderate: 60, moderately_severe: 40, severe: 2 }),
      SEVERITY_BANDS,
      disclosure,
    );
    expect(pool('minimal')).toBe('minimal+mild');
    expect(pool('mild')).toBe('minimal+mild');
    expect(pool('moderate')).toBe('moderate');
    expect(pool('severe')).toBe('moderately_severe+severe');
  });

  it('grow a pool until it holds k', () => {
    const pool = poolSmallLevels(
      bands({ minimal: 3, mild: 4, moderate: 2, severe: 30 }),
      SEVERITY_BANDS,
      disclosure,
    );
    // 3 + 4 + 2 = 9 < k: the three join the next band too.
    expect(pool('minimal')).toBe('minimal+mild+moderate+severe');
    expect(pool('severe')).toBe(pool('minimal'));
  });
});
