/**
 * Reads what a FHIR export gives: a Bundle (JSON), one resource, or NDJSON (one resource or
 * Bundle a line, as FHIR Bulk Data writes it). Pure: the caller reads the file.
 */

export interface FhirEntry {
  readonly resource: unknown;
  /** The Bundle entry's `fullUrl`, so `urn:uuid:` references inside a bundle resolve. */
  readonly fullUrl?: string;
  /** Where it came from, for errors: `line 12`, `entry 3`. */
  readonly at: string;
}

export class FhirInputError extends Error {
  override readonly name = 'FhirInputError';
}

export function parseFhirInput(text: string): FhirEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new FhirInputError('The FHIR input is empty');
  const whole = tryJson(trimmed);
  if (whole.ok) return entriesOf(whole.value, 'the document');
  const entries: FhirEntry[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const parsed = tryJson(line);
    if (!parsed.ok) {
      throw new FhirInputError(
        `line ${index + 1} is not JSON (${parsed.error}); expected a FHIR Bundle or NDJSON, one resource a line`,
      );
    }
    entries.push(...entriesOf(parsed.value, `line ${index + 1}`));
  }
  return entries;
}

function entriesOf(value: unknown, at: string): FhirEntry[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FhirInputError(`${at} is not a FHIR resource (a JSON object with resourceType)`);
  }
  const resource = value as { resourceType?: unknown; entry?: unknown };
  if (typeof resource.resourceType !== 'string') {
    throw new FhirInputError(`${at} has no resourceType`);
  }
  if (resource.resourceType !== 'Bundle') return [{ resource: value, at }];
  if (resource.entry === undefined) return [];
  if (!Array.isArray(resource.entry)) throw new FhirInputError(`${at}: Bundle.entry is not a list`);
  return resource.entry.flatMap((entry: unknown, index): FhirEntry[] => {
    const { resource: inner, fullUrl } = (entry ?? {}) as { resource?: unknown; fullUrl?: unknown };
    if (inner === undefined) return [];
    const where = `${at}, entry ${index + 1}`;
    if (typeof inner === 'object' && inner !== null && 'entry' in inner) {
      return entriesOf(inner, where);
    }
    return [{ resource: inner, at: where, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) }];
  });
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}
