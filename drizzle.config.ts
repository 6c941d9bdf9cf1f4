// drizzle-kit for both engines: DRIZZLE_ENGINE=sqlite (the default) or pg picks the schema and the migrations folder.
//   npm run db:generate                        # SQLite: src/store/sqlite/schema.ts -> drizzle/sqlite/
//   DRIZZLE_ENGINE=pg npm run db:generate      # PostgreSQL: src/store/pg/schema.ts -> drizzle/pg/
// `generate` compares the schema with the folder's last snapshot and needs no database; the credentials below are
// only for drizzle-kit's commands that connect (studio, push), from STORYWIRE_DB.
import { defineConfig } from 'drizzle-kit';

const engine = process.env.DRIZZLE_ENGINE ?? 'sqlite';
if (engine !== 'sqlite' && engine !== 'pg') throw new Error(`DRIZZLE_ENGINE must be sqlite or pg, not ${JSON.stringify(engine)}`);

export default engine === 'pg'
  ? defineConfig({
      dialect: 'postgresql',
      schema: './src/store/pg/schema.ts',
      out: './drizzle/pg',
      dbCredentials: { url: process.env.STORYWIRE_DB ?? 'postgres://storywire@127.0.0.1:5432/storywire' },
    })
  : defineConfig({
      dialect: 'sqlite',
      schema: './src/store/sqlite/schema.ts',
      out: './drizzle/sqlite',
      dbCredentials: { url: process.env.STORYWIRE_DB ?? './data/storywire.db' },
    });
