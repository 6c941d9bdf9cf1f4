// The package's own name, version and homepage, read once from package.json.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { name: string; version: string; homepage: string };

/** Name, version and homepage of this package. */
export const PACKAGE = Object.freeze({ name: pkg.name, version: pkg.version, homepage: pkg.homepage });
