// Import boundaries of the workspace (README, "Layout"), checked by `pnpm lint` and so by CI:
//   1. dependencies point one way: each package may depend only on the layers below it, and no
//      app on another app;
//   2. a source file imports only workspace packages its package.json declares (tests may use
//      devDependencies), so no layer is crossed by an undeclared import;
//   3. browser code (apps/dashboard/src) imports no server code: not the warehouse, not the
//      analytics service's /server entry, not Node's modules; the tRPC router only as a type;
//   4. the pure domain (protocol, events) does no I/O: no file system, network, broker or
//      database module.
// Pure over the files it is given a root of, so a test can plant a violation and see it found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Who may depend on whom (workspace packages, by name): the layers of the architecture. */
const ALLOWED = {
  '@ipt/protocol': [],
  '@ipt/events': ['@ipt/protocol'],
  '@ipt/simulator': ['@ipt/protocol', '@ipt/events'],
  '@ipt/warehouse': ['@ipt/protocol', '@ipt/events'],
  '@ipt/analytics': ['@ipt/protocol', '@ipt/events', '@ipt/warehouse'],
  '@ipt/api': ['@ipt/protocol', '@ipt/events', '@ipt/warehouse', '@ipt/analytics'],
  '@ipt/auth': ['@ipt/analytics'],
  '@ipt/http': [
    '@ipt/protocol',
    '@ipt/events',
    '@ipt/warehouse',
    '@ipt/analytics',
    '@ipt/api',
    '@ipt/auth',
  ],
  '@ipt-outcomes/source': [],
};

/**
 * Workspace packages a published package bundles (its build inlines them): declared as
 * devDependencies, imported by its sources. The source client ships the contract and the
 * protocol's rules inside it, so a clinic installs one package.
 */
const BUNDLED = { '@ipt-outcomes/source': ['@ipt/protocol', '@ipt/events'] };

/**
 * Known, named exceptions, each with the work that removes it. A lint rule that whitelists
 * silently would be a check that cannot fail; this list is printed with every run. Empty.
 */
export const EXCEPTIONS = [];

const BROWSER_FORBIDDEN = [
  /^@ipt\/warehouse/,
  /^@ipt\/analytics\/server/,
  /^@ipt\/dashboard\/server/,
  /^node:/,
  /^express$/,
  /^kafkajs$/,
  /^@clickhouse\//,
];
const PURE_FORBIDDEN = [
  /^node:(fs|fs\/promises|net|http|https|child_process|dgram|tls)$/,
  /^express$/,
  /^kafkajs$/,
  /^@clickhouse\//,
  /^chdb$/,
];

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'dist-server', '.next', '.turbo'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** `import x from 'm'`, `export ... from 'm'`, `import('m')`: each with whether it is type-only. */
function importsOf(text) {
  const found = [];
  const statement = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(statement))
    found.push({ module: m[3], typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
    found.push({ module: m[1], typeOnly: false });
  }
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ module: m[1], typeOnly: false });
  }
  return found;
}

const workspaceName = (module) => {
  const m = /^(@ipt\/[^/]+|@ipt-outcomes\/[^/]+)/.exec(module);
  return m === null ? null : m[1];
};
const isTest = (path) =>
  /\.test\.(ts|tsx|mjs)$/.test(path) ||
  /[\\/]test[\\/]/.test(path) ||
  /\.config\.(ts|mts|mjs)$/.test(path);

/** Every boundary broken under `root`, as `file: rule` lines; empty when the layout holds. */
export function checkBoundaries(root) {
  const problems = [];
  const packages = ['packages', 'apps'].flatMap((top) =>
    readdirSync(join(root, top))
      .map((name) => join(root, top, name))
      .filter((dir) => {
        try {
          return statSync(join(dir, 'package.json')).isFile();
        } catch {
          return false;
        }
      }),
  );
  const apps = new Set();
  const manifests = packages.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (relative(root, dir).startsWith('apps')) apps.add(manifest.name);
    return { dir, manifest };
  });
  const excepted = (from, to) => EXCEPTIONS.some((e) => e.from === from && e.to === to);
  for (const { dir, manifest } of manifests) {
    const name = manifest.name;
    const runtime = Object.keys(manifest.dependencies ?? {}).filter((d) => workspaceName(d));
    const dev = Object.keys(manifest.devDependencies ?? {}).filter((d) => workspaceName(d));
    const where = relative(root, join(dir, 'package.json'));
    for (const dep of runtime) {
      if (apps.has(dep) && !excepted(name, dep)) {
        problems.push(
          `${where}: the app ${name} depends on the app ${dep}; apps only compose packages`,
        );
      }
      if (!apps.has(name) && ALLOWED[name] !== undefined && !ALLOWED[name].includes(dep)) {
        problems.push(`${where}: ${name} may not depend on ${dep} (dependencies point one way)`);
      }
    }
    for (const file of sourceFiles(dir)) {
      const path = relative(root, file);
      const text = readFileSync(file, 'utf8');
      const test = isTest(path);
      const browser = path.startsWith(join('apps', 'dashboard', 'src')) && !test;
      const pure =
        (path.startsWith(join('packages', 'protocol', 'src')) ||
          path.startsWith(join('packages', 'events', 'src'))) &&
        !test;
      for (const { module, typeOnly } of importsOf(text)) {
        const pkg = workspaceName(module);
        if (pkg !== null && pkg !== name) {
          const bundled = (BUNDLED[name] ?? []).includes(pkg) && dev.includes(pkg);
          const declared = runtime.includes(pkg) || bundled || (test && dev.includes(pkg));
          if (!declared) problems.push(`${path}: imports ${pkg}, which ${name} does not declare`);
        }
        if (browser && !typeOnly) {
          if (
            BROWSER_FORBIDDEN.some((re) => re.test(module)) ||
            /(^|\/)server(\/|$)/.test(module)
          ) {
            problems.push(`${path}: browser code imports server code (${module})`);
          }
          if (module === '@ipt/api') {
            problems.push(`${path}: browser code imports the tRPC router; import its type only`);
          }
        }
        if (pure && PURE_FORBIDDEN.some((re) => re.test(module))) {
          problems.push(
            `${path}: the pure domain imports ${module} (no I/O in protocol or events)`,
          );
        }
      }
    }
  }
  return problems;
}
