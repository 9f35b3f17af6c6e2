import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { COMPAT_HEADER, implementedOperations, renderCompatibility } from '../../scripts/gen-compat.js';
import { sagemakerService } from '../../src/services/sagemaker/index.js';

describe('scripts/gen-compat.ts', () => {
  it('docs/compatibility.md is current (run `npm run gen:compat` after adding a handler)', async () => {
    const committed = await readFile(new URL('../../docs/compatibility.md', import.meta.url), 'utf8');
    const fresh = await renderCompatibility();
    expect(fresh.startsWith(COMPAT_HEADER)).toBe(true);
    expect(fresh === committed, 'docs/compatibility.md is stale: run npm run gen:compat').toBe(true);
  });

  it('counts a SageMaker operation as implemented exactly when the module has its handler', async () => {
    const ops = await implementedOperations('sagemaker');
    expect([...ops].sort()).toEqual(Object.keys(sagemakerService.handlers).sort());
    const doc = await renderCompatibility();
    for (const op of ops) expect(doc).toContain(`| ${op} | yes |`);
    expect(doc).toContain('| CreateDomain | ');
  });
});
