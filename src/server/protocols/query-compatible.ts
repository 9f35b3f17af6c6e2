import { ServiceError } from '../../core/errors.js';
import { getServiceModel } from '../../models/index.js';

/**
 * awsQueryCompatible services (CloudWatch) moved from the query protocol to JSON 1.0 and RPC v2
 * CBOR but kept their query error codes: an error's body names its shape
 * (`com.amazonaws.cloudwatch#InvalidParameterValueException`) and the `x-amzn-query-error`
 * header carries the query code and fault (`InvalidParameterValue;Sender`), which the SDKs
 * surface as the error's name. Clary's errors carry the query code; this adds the rest.
 */
const QUERY_COMPATIBLE: Record<string, { model: string; namespace: string }> = {
  cloudwatch: { model: 'cloudwatch', namespace: 'com.amazonaws.cloudwatch' },
};

/** JSON-protocol codes the shared pipeline raises, as the query protocol names them. */
const QUERY_CODE: Record<string, string> = { ValidationException: 'ValidationError' };

const shapesByCode = new Map<string, Map<string, string>>();

function shapeOf(service: string, code: string): string | undefined {
  const spec = QUERY_COMPATIBLE[service];
  if (!spec) return undefined;
  let map = shapesByCode.get(service);
  if (!map) {
    map = new Map();
    for (const [name, shape] of Object.entries(getServiceModel(spec.model)?.shapes ?? {})) {
      const e = (shape as { error?: { code?: string } }).error;
      if ((shape as { exception?: boolean }).exception) map.set(e?.code ?? name, `${spec.namespace}#${name}`);
    }
    shapesByCode.set(service, map);
  }
  return map.get(code);
}

export const isQueryCompatible = (service: string): boolean => service in QUERY_COMPATIBLE;

/** The error with its query code in `x-amzn-query-error`, and the `__type` its body should carry. */
export function queryCompatibleError(service: string, err: ServiceError): { err: ServiceError; type: string } {
  const code = QUERY_CODE[err.code] ?? err.code;
  const fault = err.status >= 500 ? 'Receiver' : 'Sender';
  const withHeader = new ServiceError(code, err.message, err.status, { ...err.fields }, { ...err.headers, 'x-amzn-query-error': `${code};${fault}` });
  return { err: withHeader, type: shapeOf(service, code) ?? code };
}
