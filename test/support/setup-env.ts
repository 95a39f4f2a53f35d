// Runs before each test file's modules load. Entity column types are chosen
// from DATABASE_URL when entity classes are defined (src/database/column-types.ts),
// so the database under test must be named here, first.
if (process.env.TEST_DATABASE_URL) {
  process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
} else {
  delete process.env.DATABASE_URL;
}
