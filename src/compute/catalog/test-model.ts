import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/** Test helper: the vendored botocore SageMaker model, read independently of the catalog. */
export function botocoreSageMaker(): { shapes: Record<string, { enum?: string[] }> } {
  const gz = readFileSync(new URL('../../../models/aws/sagemaker.service-2.json.gz', import.meta.url));
  return JSON.parse(gunzipSync(gz).toString('utf8'));
}
