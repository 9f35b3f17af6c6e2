import type { TestProject } from 'vitest/node';
import { provideSharedPostgres } from './postgres-global.js';

/**
 * Runs once before the suite: starts one throwaway PostgreSQL cluster that every test file shares
 * (each file creates its own database in it with createTestDatabase()).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  return provideSharedPostgres(project);
}
