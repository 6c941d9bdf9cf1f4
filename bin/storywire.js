#!/usr/bin/env node
// The `storywire` command: runs the compiled CLI in dist/ (built by `npm run build`, which npm install runs).
import fs from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!fs.existsSync(cli)) {
  console.error('storywire: dist/ is not built; run `npm run build` (npm install and npm ci run it too)');
  process.exit(2);
}
await import(cli.href);
