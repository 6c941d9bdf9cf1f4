// The `storywire` command (bin/storywire.js runs its compiled form, dist/cli.js): see cli/dispatch.ts.
import { main } from './cli/dispatch.ts';

process.exitCode = await main(process.argv.slice(2));
