/**
 * @fileoverview The one CSV dialect: cells (quoting, formula injection, withheld numbers),
 * range labels a spreadsheet keeps as text, the filters as a URL writes them, and the basis on
 * every row. The reads' files are checked against their JSON in the API suites, and the
 * pages' downloads against the API's bytes in the browser suite.
 */
import { describe, expect, it } from 'vitest';
import { withBasisColumns } from './basis-columns.js';
import { csvCell, csvFile, csvLabel, filtersText } from './cells.js';

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
