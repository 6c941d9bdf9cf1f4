// A child process for tests that open one database from several processes at once: it loads the storage code, prints
// "ready", then for each line on stdin opens (and so migrates) the database that line names and prints "ok" or
// "error: <message>".
import readline from 'node:readline';
import { openStorage } from '../../src/store/index.ts';

readline.createInterface({ input: process.stdin }).on('line', async (db) => {
  try {
    await (await openStorage(db)).close();
    console.log('ok');
  } catch (e) {
    console.log(`error: ${(e as Error).message}`);
  }
});
console.log('ready');
