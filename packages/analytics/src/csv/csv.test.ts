/**
 * @fileoverview The one CSV dialect: cells (quoting, formula injection, withheld numbers),
 * range labels a spreadsheet keeps as text, the filters as a URL writes them, and the basis on
 * every row; the files of the reads without a REST form. The reads' files are checked against
 * their JSON in the API suites, and the pages' downloads against the API's bytes in the browser
 * suite.
 */
import { RATE_MEASURE_NAMES } from '@ipt/protocol';
import { describe, expect, it } from 'vitest';
import type { OutcomeGroup } from '../types.js';
import { accessLogCsv } from './access-log-csv.js';
import { withBasisColumns } from './basis-columns.js';
import { csvCell, csvFile, csvLabel, filtersText } from './cells.js';
import { expectedRecoveryCsv } from './expected-recovery-csv.js';
import { outcomesCsv } from './outcomes-csv.js';
import { overviewCsv } from './overview-csv.js';
import { trajectoriesCsv } from './trajectories-csv.js';

describe('a CSV cell', () => {
  it('writes numbers in full, a missing or infinite one empty, booleans as words', () => {
    expect([0.123456789, -2, null, Number.NaN, true].map(csvCell)).toEqual([
      '0.123456789',
      '-2',
      '',
      '',
      'true',
    ]);
  });

  it('quotes what must be quoted and never writes a formula', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('-1.5 text')).toBe('-1.5 text');
  });
});

describe('a CSV file', () => {
  it('has a header, a line per row and a final newline', () => {
    expect(
      csvFile(
        ['a', 'b'],
        [
          [1, null],
          ['x', false],
        ],
      ),
    ).toBe('a,b\n1,\nx,false\n');
  });

  it('keeps ranges as text with their unit, and other values as they are', () => {
    expect(csvLabel('sessionBucket', '1-3')).toBe('1-3 sessions');
    expect(csvLabel('ageBand', '18-24')).toBe('18-24 years');
    expect(csvLabel('problemArea', 'grief')).toBe('grief');
  });

  it('writes the filters as the URL does, leaving out empty ones', () => {
    expect(
      filtersText({ medication: ['ipt_only', 'ipt_with_medication'], clinic: [], sex: undefined }),
    ).toBe('medication=ipt_only,ipt_with_medication');
  });

  it('puts the basis on every row, the header included', () => {
    const stamp = {
      release: 'r-2026',
      asOf: '2026-06-30T23:59:59.000Z',
      definitionsVersion: '7.x',
    };
    expect(withBasisColumns('a,b\n1,2\n', stamp)).toBe(
      'a,b,release,asOf,definitionsVersion\n1,2,r-2026,2026-06-30T23:59:59.000Z,7.x\n',
    );
    expect(
      withBasisColumns('a\n1\n', { release: null, asOf: null, definitionsVersion: '7.x' }),
    ).toBe('a,release,asOf,definitionsVersion\n1,,,7.x\n');
  });
});

describe('the files of the views without a REST form', () => {
  it('trajectories: a row per group and session, a withheld point empty, range labels as text', () => {
    const csv = trajectoriesCsv(
      {
        minCellSize: 11,
        protected: true,
        groupBy: 'sessionBucket',
        series: [
          {
            group: '1-3',
            points: [
              { session: 0, suppressed: false, episodes: 40, mean: 15.5, lower: 14, upper: 17 },
              { session: 1, suppressed: true },
            ],
          },
        ],
      },
      { filters: { condition: ['ptsd'] } },
    );
    expect(csv).toBe(
      [
        'sessionBucket,session,suppressed,episodes,mean,ci_lower,ci_upper,minCellSize,protected,filters',
        '1-3 sessions,0,false,40,15.5,14,17,11,true,condition=ptsd',
        '1-3 sessions,1,true,,,,,11,true,condition=ptsd',
        '',
      ].join('\n'),
    );
  });

  it('expected recovery: every band, kept as text, with its episodes', () => {
    const csv = expectedRecoveryCsv({
      minCellSize: 11,
      protected: false,
      bands: [
        { band: '10-12', episodes: 30, points: [{ session: 1, n: 30, p10: 8, p50: 11, p90: 14 }] },
        { band: '22-27', episodes: null, points: [] },
      ],
    });
    expect(csv.split('\n')).toEqual([
      'baseline,band_episodes,session,scores,p10,p50,p90,minCellSize,protected',
      '10-12 at baseline,30,1,30,8,11,14,11,false',
      '',
    ]);
  });

  it('overview: the outcomes breakdown without grouping, as GET /v1/outcomes writes it', () => {
    const total = {
      dimensions: {},
      n: 5,
      suppressed: false,
      finished: null,
      paired: null,
      ...Object.fromEntries(RATE_MEASURE_NAMES.map((r) => [r, null])),
      meanChange: null,
      effectSize: null,
    } as unknown as OutcomeGroup;
    const filters = { ageBand: ['25-34' as const] };
    expect(overviewCsv({ minCellSize: 11, protected: false, total }, { filters })).toBe(
      outcomesCsv({ minCellSize: 11, protected: false, groupBy: [], groups: [total] }, filters),
    );
    expect(overviewCsv({ minCellSize: 11, protected: false, total }, { filters })).toMatch(
      /^group,n,suppressed,/,
    );
  });

  it("access log: each entry's question in `filters`, the log's own filters in `view`", () => {
    const csv = accessLogCsv(
      [
        {
          at: '2026-12-07T01:00:00.000Z',
          principal: 'study-team',
          role: 'researcher',
          via: 'key',
          surface: 'rest',
          procedure: 'outcomes.breakdown',
          filters: 'groupBy=medication',
          cellsReleased: 2,
          cellsWithheld: 0,
          status: 200,
          durationMs: 31,
        },
      ],
      { principal: 'study-team', from: '2026-12-01' },
    );
    expect(csv.split('\n')).toEqual([
      'at,principal,role,via,surface,procedure,filters,cellsReleased,cellsWithheld,status,durationMs,view',
      '2026-12-07T01:00:00.000Z,study-team,researcher,key,rest,outcomes.breakdown,groupBy=medication,2,0,200,31,principal=study-team&from=2026-12-01',
      '',
    ]);
  });
});
