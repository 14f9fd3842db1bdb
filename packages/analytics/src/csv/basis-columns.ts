import type { BasisStamp } from '../access.js';
import { csvCell } from './cells.js';

/**
 * A CSV answer with its basis on every row (release, asOf, definitionsVersion), as the
 * protected flag is: a row copied out of the file still says where it comes from.
 */
export function withBasisColumns(csv: string, stamp: BasisStamp): string {
  const cells = [stamp.release ?? '', stamp.asOf ?? '', stamp.definitionsVersion]
    .map(csvCell)
    .join(',');
  return csv
    .split('\n')
    .map((line, i) => {
      if (line === '') return line;
      return i === 0 ? `${line},release,asOf,definitionsVersion` : `${line},${cells}`;
    })
    .join('\n');
}
