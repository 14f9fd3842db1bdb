/** The synthetic FHIR exports under test/fixtures, read as the CLI reads them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const fixture = (name: string): string => readFileSync(`${FIXTURES}${name}`, 'utf8');
/** A clinic secret for tests only (>= 32 bytes). */
export const SECRET = 'synthetic-clinic-secret-for-fhir-tests-0001';
