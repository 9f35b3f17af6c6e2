/**
 * Regenerates src/compute/catalog/instance-types.json from the vendored SageMaker model
 * (models/aws/sagemaker.service-2.json.gz: the workload enums) and the rules in
 * src/compute/catalog/{confirmed,family-rules,regions}.ts. Deterministic: unchanged inputs give a
 * byte-identical file. Usage: npx tsx scripts/gen-catalog.ts [outFile]
 */
import { readFile, writeFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, stableCatalogJson } from '../src/compute/catalog/build-catalog.js';
import { workloadEnums } from '../src/compute/catalog/workload-enums.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function generateCatalogJson(modelPath = join(root, 'models/aws/sagemaker.service-2.json.gz')): Promise<string> {
  const model = JSON.parse(gunzipSync(await readFile(modelPath)).toString('utf8'));
  return stableCatalogJson(buildCatalog(workloadEnums(model)));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : join(root, 'src/compute/catalog/instance-types.json');
  const json = await generateCatalogJson();
  await writeFile(out, json);
  process.stdout.write(`wrote ${out}\n`);
}
