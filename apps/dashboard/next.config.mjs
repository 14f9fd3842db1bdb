// Plain JavaScript: Node 20 loads it without a TypeScript step.
/** @type {import('next').NextConfig} */
const config = {
  // Served by the ingest process (one port); the build must not phone home.
  poweredByHeader: false,
  reactStrictMode: true,
  typescript: { tsconfigPath: './tsconfig.json' },
};

export default config;
