import { ServiceError } from '../../core/errors.js';

/** SageMaker Runtime's errors, in its REST-JSON shape (code in x-amzn-ErrorType; 400 unless modeled otherwise). */
export const endpointNotFound = (name: string, account: string) => new ServiceError('ValidationError', `Endpoint ${name} of account ${account} not found.`, 400);

/** Unverified wording (docs/errors.md): no public report says what SageMaker answers for an endpoint that exists but does not serve. */
export const endpointNotInService = (name: string, account: string, status: string) =>
  new ServiceError('ValidationError', `Endpoint ${name} of account ${account} is not in service: its status is ${status}.`, 400);

export const unknownVariant = (name: string, variant: string) =>
  new ServiceError('ValidationError', `The variant name(s) [${variant}] is/are not present in the endpoint ${name}.`, 400);

export const noHealthyInstance = (name: string) =>
  new ServiceError('ServiceUnavailable', `Endpoint ${name} has no instance that can take the request right now; try again.`, 503);

/** The model answered 4xx/5xx: HTTP 424 with what it said, as SageMaker forwards it. */
export function modelError(opts: { status: number; body: string; region: string; account: string; endpoint: string; logGroupArn: string }): ServiceError {
  const kind = opts.status >= 500 ? 'server' : 'client';
  const url = `https://${opts.region}.console.aws.amazon.com/cloudwatch/home?region=${opts.region}#logEventViewer:group=/aws/sagemaker/Endpoints/${opts.endpoint}`;
  return new ServiceError(
    'ModelError',
    `Received ${kind} error (${opts.status}) from primary with message "${opts.body}". See ${url} in account ${opts.account} for more information.`,
    424,
    { OriginalStatusCode: opts.status, OriginalMessage: opts.body, LogStreamArn: opts.logGroupArn },
  );
}

/** The model did not answer within 60 s. */
export const modelTimeout = (logGroupArn: string) =>
  new ServiceError(
    'ModelError',
    'Your invocation timed out while waiting for a response from container primary. Review the latency metrics for each container in Amazon CloudWatch, resolve the issue, and try again.',
    424,
    { OriginalStatusCode: 0, OriginalMessage: 'timeout', LogStreamArn: logGroupArn },
  );
