/** ARNs as SageMaker writes them: the resource name is lower-cased inside the ARN. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

export const sagemakerArn = (scope: ArnScope, type: string, ...path: string[]): string =>
  `arn:aws:sagemaker:${scope.region}:${scope.accountId}:${type}/${path.map((p) => p.toLowerCase()).join('/')}`;

export const iamArn = (scope: ArnScope, resource: string): string => `arn:aws:iam::${scope.accountId}:${resource}`;

export const logsArn = (scope: ArnScope, resource: string): string =>
  `arn:aws:logs:${scope.region}:${scope.accountId}:${resource}`;

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, accountId: m[4]!, resource: m[5]! };
}
