/**
 * @fileoverview Capabilities as the only permission vocabulary: the role table's grants,
 * `can`/`assertCan`, and a scan of every source file for a role's name compared anywhere but
 * the role table (a check of `role === 'steward'` is a permission bug waiting to happen: the
 * table changes, the check does not).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Principal } from './access.js';
import {
  assertCan,
  boundClinics,
  CAPABILITY_NAMES,
  can,
  READ_ROLES,
  ROLES,
} from './capabilities.js';
import { AccessDeniedError } from './errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const principal = (role: (typeof READ_ROLES)[number], clinics: string[] = []) =>
  Principal.parse({ name: `p-${role}`, role, clinics, via: 'key' });

describe('the role table', () => {
  it('grants the steward everything and the researcher no row-level or governance view', () => {
    expect(CAPABILITY_NAMES.every((c) => can(principal('steward'), c))).toBe(true);
    for (const c of [
      'outcomes:exact',
      'audit:therapists',
      'episodes:list',
      'dataQuality:read',
      'accessLog:read',
      'releases:manage',
      'cohorts:manageAll',
    ] as const) {
      expect(can(principal('researcher'), c), c).toBe(false);
    }
    expect(can(principal('clinic', ['a']), 'episodes:list')).toBe(true);
    expect(can(principal('clinic', ['a']), 'accessLog:read')).toBe(false);
  });

  it('binds only clinic readers to their clinics', () => {
    expect(boundClinics(principal('clinic', ['a', 'b']))).toEqual(['a', 'b']);
    expect(boundClinics(principal('steward'))).toBeNull();
    expect(boundClinics(principal('researcher'))).toBeNull();
  });

  it('refuses with a 403 error naming the capability and who holds it, not the data', () => {
    expect(() => assertCan(principal('researcher'), 'dataQuality:read')).toThrow(
      new AccessDeniedError(
        'data quality (rejections, dead letters, findings) is for stewards and clinic readers',
      ),
    );
    expect(() => assertCan(principal('steward'), 'accessLog:read')).not.toThrow();
  });

  it('lists only capabilities that exist', () => {
    for (const role of READ_ROLES) {
      for (const c of ROLES[role].capabilities) expect(CAPABILITY_NAMES).toContain(c);
    }
  });
});

/** Source files of the apps and packages, tests and built output aside. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'dist-server', '.next', 'test'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('role names', () => {
  // A comparison with a role's name, or of anything called role with a string.
  const ROLE_CHECK =
    /\brole\b[\w?.\]]*\s*[!=]==?\s*['"]|['"](steward|clinic|researcher)['"]\s*[!=]==?\s*[\w.?]*\brole\b|\.role\s*[!=]==?\s*['"]/;

  it('are compared nowhere: permissions are asked of `can`', () => {
    const files = ['apps', 'packages'].flatMap((top) =>
      readdirSync(join(root, top)).flatMap((name) => sources(join(root, top, name))),
    );
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          ROLE_CHECK.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('would be found if one were compared (the scan can fail)', () => {
    expect(ROLE_CHECK.test("if (principal.role === 'steward') {")).toBe(true);
    expect(ROLE_CHECK.test("const steward = me.data?.role !== 'researcher';")).toBe(true);
    expect(ROLE_CHECK.test("if ('clinic' === role) {")).toBe(true);
    expect(ROLE_CHECK.test("const level = params.get('level') === 'clinic';")).toBe(false);
  });
});
