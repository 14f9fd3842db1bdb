/**
 * @fileoverview Utility of the mission's breakdowns on the demo network (the simulator's default
 * network, which `pnpm start` loads): see breakdown-utility.ts.
 */
import { DEFAULT_SIMULATION, simulateNetwork } from '@ipt/simulator';
import { describeBreakdownUtility } from './breakdown-utility.js';

describeBreakdownUtility(
  `the demo network (seed ${DEFAULT_SIMULATION.seed}, ${DEFAULT_SIMULATION.episodes} episodes, ${DEFAULT_SIMULATION.clinics} clinics)`,
  () => [...simulateNetwork(DEFAULT_SIMULATION)],
);
