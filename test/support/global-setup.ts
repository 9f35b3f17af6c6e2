/** Runs once before the suite. Services the tests need (e.g. PostgreSQL) are started by their own helpers. */
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
