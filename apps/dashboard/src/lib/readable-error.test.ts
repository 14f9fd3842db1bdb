// A refused input reads as its messages, never as zod's JSON.
import { describe, expect, it } from 'vitest';
import { readableError } from './readable-error';

describe('readableError', () => {
  it("turns zod's issues into their messages, after the field", () => {
    const zod = JSON.stringify([
      {
        code: 'invalid_format',
        path: ['name'],
        message: 'a cohort name is 1-64 letters, digits, spaces, ".", "_" or "-"',
      },
      { code: 'invalid_value', path: ['filters', 'condition', 0], message: 'Invalid option' },
    ]);
    expect(readableError(zod)).toBe(
      'name: a cohort name is 1-64 letters, digits, spaces, ".", "_" or "-"; condition.0: Invalid option',
    );
  });

  it('leaves a message that is not JSON as it is', () => {
    expect(readableError('sign in again')).toBe('sign in again');
    expect(readableError('{"a":1}')).toBe('{"a":1}');
  });
});
