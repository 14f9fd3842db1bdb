/**
 * @fileoverview Utility of the mission's breakdowns on a network of the size the issue measured
 * (2,400 episodes, 4 clinics): see breakdown-utility.ts.
 */
import { simulateNetwork } from '@ipt/simulator';
import { describeBreakdownUtility } from './breakdown-utility.js';

describeBreakdownUtility('a network of 2,400 episodes in 4 clinics', () => [
  ...simulateNetwork({ seed: 2400, episodes: 2400, clinics: 4 }),
]);
