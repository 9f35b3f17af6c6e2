import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, HEADER, SERVICES } from '../../scripts/gen-models.js';

const committed = new URL('../../src/generated/', import.meta.url).pathname;
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('scripts/gen-models.ts', () => {
  it('regenerating from the unchanged models reproduces the committed files byte for byte', async () => {
    const out = await mkdtemp(join(tmpdir(), 'clary-gen-'));
    dirs.push(out);
    await generate(out);
    for (const sub of ['models', 'types']) {
      const fresh = (await readdir(join(out, sub))).sort();
      expect((await readdir(join(committed, sub))).sort()).toEqual(fresh);
      for (const f of fresh) {
        const [a, b] = await Promise.all([readFile(join(out, sub, f), 'utf8'), readFile(join(committed, sub, f), 'utf8')]);
        expect(a === b, `${sub}/${f} differs: run npm run gen`).toBe(true);
      }
    }
  });

  it('marks every file as generated and keeps the constraints validation needs', async () => {
    expect(SERVICES).toContain('sagemaker');
    for (const svc of SERVICES) {
      const model = JSON.parse(await readFile(join(committed, 'models', `${svc}.json`), 'utf8'));
      expect(model._generated).toBe(HEADER);
      expect(JSON.stringify(model)).not.toContain('"documentation"');
      const ts = await readFile(join(committed, 'types', `${svc}.ts`), 'utf8');
      expect(ts.startsWith(`// ${HEADER}`)).toBe(true);
    }
    const sm = JSON.parse(await readFile(join(committed, 'models', 'sagemaker.json'), 'utf8'));
    expect(sm.shapes.TrainingJobName).toEqual({ max: 63, min: 1, pattern: '[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}', type: 'string' });
    expect(sm.shapes.CreateTrainingJobRequest.required).toContain('RoleArn');
    expect(Object.keys(sm.operations)).toHaveLength(403);
    const s3 = JSON.parse(await readFile(join(committed, 'models', 's3.json'), 'utf8'));
    expect(s3.shapes.PutObjectRequest.members.Bucket).toMatchObject({ location: 'uri', locationName: 'Bucket' });
    expect(s3.shapes.NoSuchKey).toMatchObject({ exception: true, error: { httpStatusCode: 404 } });
  });
});
