// Script: writes feeds.schema.json beside feeds.json from the zod schema (`npm run schema:emit`).
import fs from 'node:fs';
import { configJsonSchema } from './schema.ts';

fs.writeFileSync('feeds.schema.json', `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
console.log('wrote feeds.schema.json');
