import { readFileSync } from 'node:fs';
import type { ServiceModel } from './types.js';

/**
 * Where the generated models live, relative to this module: src/models → src/generated/models
 * (tsx, vitest); dist/models → dist/generated/models when the build copies them, else the
 * source tree's copy next to dist/ (../../src/generated/models).
 */
const CANDIDATES = ['../generated/models/', '../../src/generated/models/'];

const nullProto = <T extends object>(o: T): T => Object.assign(Object.create(null) as T, o);

const cache = new Map<string, ServiceModel | null>();

const SAFE_NAME = /^[a-z0-9-]{1,64}$/;

function load(name: string): ServiceModel | null {
  for (const dir of CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(new URL(`${dir}${name}.json`, import.meta.url), 'utf8');
    } catch {
      continue;
    }
    const model = JSON.parse(text) as ServiceModel;
    // Operation names come off the wire ("SageMaker.__proto__"): lookups must not reach Object.prototype.
    return { ...model, operations: nullProto(model.operations), shapes: nullProto(model.shapes) };
  }
  return null;
}

/** The compact model of a service ("sagemaker", "logs", "sts", …), loaded once and cached; undefined if there is none. */
export function getServiceModel(name: string): ServiceModel | undefined {
  if (!SAFE_NAME.test(name)) return undefined;
  let model = cache.get(name);
  if (model === undefined) {
    model = load(name);
    cache.set(name, model);
  }
  return model ?? undefined;
}
