import { sagemakerArn, type ArnScope } from '../core/arn.js';

/**
 * The SageMaker resource an operation acts on, as IAM's Service Authorization Reference names it,
 * for policies scoped by ARN: CreateTrainingJob / DescribeTrainingJob / StopTrainingJob with
 * TrainingJobName → arn:aws:sagemaker:<region>:<acct>:training-job/<name>; tag operations → their
 * ResourceArn; Studio resources under their domain; "*" for lists and anything unscoped.
 */
const VERBS = /^(Create|Describe|Delete|Stop|Start|Update|Retry|BatchDescribe|Get|Put|Add|Attach|Detach|Register|Deregister)/;

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

export function sagemakerResourceOf(operation: string, input: any, scope: ArnScope): string {
  if (!input || typeof input !== 'object') return '*';
  if (typeof input.ResourceArn === 'string') return input.ResourceArn;
  const str = (k: string): string | undefined => (typeof input[k] === 'string' ? input[k] : undefined);
  const type = operation.replace(VERBS, '');
  if (type === operation || operation.startsWith('List')) return '*';
  const domain = str('DomainId');
  switch (type) {
    case 'Domain':
      return domain ? sagemakerArn(scope, 'domain', domain) : '*';
    case 'UserProfile':
      return domain && str('UserProfileName') ? sagemakerArn(scope, 'user-profile', domain, str('UserProfileName')!) : '*';
    case 'Space':
      return domain && str('SpaceName') ? sagemakerArn(scope, 'space', domain, str('SpaceName')!) : '*';
    case 'App': {
      const owner = str('UserProfileName') ?? str('SpaceName');
      return domain && owner && str('AppType') && str('AppName') ? sagemakerArn(scope, 'app', domain, owner, str('AppType')!, str('AppName')!) : '*';
    }
    default: {
      const name = str(`${type}Name`);
      return name ? sagemakerArn(scope, kebab(type), name) : '*';
    }
  }
}

/** The SageMaker module with resource ARNs for authorization, unless it names them itself. */
export function withSageMakerResources<M extends { resourceOf?(operation: string, input: any, platform: { config: ArnScope }): string }>(module: M): M {
  if (module.resourceOf) return module;
  return { ...module, resourceOf: (operation: string, input: any, platform: { config: ArnScope }) => sagemakerResourceOf(operation, input, platform.config) };
}
