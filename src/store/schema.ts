// The schema the store runs on today: SQLite's (src/store/sqlite/schema.ts). PostgreSQL's, kept in step with it,
// is src/store/pg/schema.ts; tests/store/schema-parity.test.ts fails when the two differ in tables or columns.
export * from './sqlite/schema.ts';
