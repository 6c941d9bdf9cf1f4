#!/usr/bin/env node
// `npm run build` (and the `prepare` step of npm install / npm ci): compiles src/ to dist/ with tsc.
// The new build goes to dist.tmp/ and replaces dist/ only when it succeeded, so a failed build leaves the old one.
// Without the compiler (an install with --omit=dev) an existing dist/ is kept as it is.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const tmp = path.join(root, 'dist.tmp');

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (fs.existsSync(path.join(dist, 'cli.js'))) {
    console.log('storywire build: typescript is not installed (production install); using the existing dist/');
    process.exit(0);
  }
  console.error('storywire build: dist/ is missing and typescript is not installed; run `npm ci` (with dev dependencies) then `npm run build`');
  process.exit(1);
}

fs.rmSync(tmp, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  fs.rmSync(tmp, { recursive: true, force: true });
  console.error('storywire build: tsc failed; dist/ left unchanged');
  process.exit(r.status ?? 1);
}
fs.rmSync(dist, { recursive: true, force: true });
fs.renameSync(tmp, dist);
