import { execFileSync } from 'node:child_process';

/**
 * A Python that has statsmodels (Debian's python3-statsmodels), for the independent fits of the
 * logistic model. A pyenv `python3` often shadows Debian's, so both are tried. Without one, the
 * oracle suites are skipped with a loud message; under CI (which installs the package) that is
 * a failure.
 */
export function statsmodelsPython(): string | null {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(candidate, ['-c', 'import statsmodels, patsy, scipy'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // try the next
    }
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(
      'No python3 with statsmodels: the independent fit of the logistic model needs it (apt-get install python3-statsmodels).',
    );
  }
  console.warn(
    '\n*** Skipping the statsmodels oracle: no python3 with statsmodels (apt-get install python3-statsmodels). ***\n',
  );
  return null;
}
