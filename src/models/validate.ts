import { ServiceError } from '../core/errors.js';
import { coerceQuery } from './coerce-query.js';
import { collectViolations, type Violations } from './constraints.js';
import { deserializeJson } from './deserialize-json.js';
import type { ServiceModel } from './types.js';

/**
 * Checks an operation's input against the official model and returns it with the model's types
 * (Dates, Buffers, numbers; unknown members dropped). Type mismatches are a SerializationException
 * (JSON) or InvalidParameterValue (query); constraint violations are all collected into one
 * Coral-style message: "2 validation errors detected: Value … at '…' failed to satisfy constraint: …; …".
 * Query services (STS, IAM) call that error ValidationError, JSON services ValidationException.
 * `options.protocol` overrides the model's protocol (for models that speak several, e.g. CloudWatch).
 */
export function validateInput(
  model: ServiceModel,
  operation: string,
  input: Record<string, unknown>,
  options: { readonly protocol?: 'query' | 'json' } = {},
): Record<string, unknown> {
  const op = model.operations[operation];
  if (!op?.input) return {};
  // CloudWatch's model is smithy-rpc-v2-cbor first but also speaks query: the caller may say which arrived.
  const query = (options.protocol ?? model.metadata.protocol) === 'query';
  const typed = (query ? coerceQuery(model, op.input.shape, input) : deserializeJson(model, op.input.shape, input)) ?? {};
  const violations: Violations = { list: [] };
  collectViolations(model, op.input.shape, typed, '', violations);
  const n = violations.list.length;
  if (n > 0) {
    throw new ServiceError(
      query ? 'ValidationError' : 'ValidationException',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.list.join('; ')}`,
      400,
    );
  }
  return typed as Record<string, unknown>;
}
