/**
 * @fileoverview The identifying-input corpus: values that would let a record be traced to a
 * person (an email or phone number as a pseudonym, an all-digit client id, names and notes,
 * birth dates, timestamps) are all rejected, each with a message saying what to send instead.
 */
import { describe, expect, it } from 'vitest';
import { validateEvent } from '../src/index.js';
import { FIXED_NOW, IDENTIFYING_CORPUS, SAMPLES } from '../src/testing/index.js';

const started = SAMPLES['episode.started'];

describe('identifying inputs are rejected', () => {
  it.each(IDENTIFYING_CORPUS)('rejects %s', (_label, input, path) => {
    const result = validateEvent(input, { now: FIXED_NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const error = result.errors.find((e) => e.path === path);
    expect(error, `no error at ${path}: ${JSON.stringify(result.errors)}`).toBeDefined();
    expect(error?.message.length).toBeGreaterThan(10);
  });

  it('tells the source to send a pseudonym instead of an email or a number', () => {
    const email = validateEvent(
      { ...started, clientId: 'jane.doe@example.org' },
      { now: FIXED_NOW },
    );
    const digits = validateEvent({ ...started, clientId: '07700900123' }, { now: FIXED_NOW });
    expect(email.ok || email.errors[0]?.message).toMatch(/email address.*pseudonym/);
    expect(digits.ok || digits.errors[0]?.message).toMatch(/record number, phone number or SSN/);
  });

  it('tells the source dates are day precision', () => {
    const result = validateEvent(
      { ...started, occurredOn: '2026-03-02T14:30:00Z' },
      { now: FIXED_NOW },
    );
    expect(result.ok || result.errors[0]?.message).toMatch(/day precision/);
  });
});
