import { sagemakerArn, type ArnScope } from '../core/arn.js';
import type { ServiceModule } from '../services/service.js';
import { withPassRole } from './pass-role.js';
import { sagemakerConditionKeys } from './sagemaker-condition-context.js';

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
      if (name) return sagemakerArn(scope, kebab(type), name);
      // UpdateEndpointWeightsAndCapacities → EndpointName: the longest <Type>Name the operation's type starts with.
      let best: string | undefined;
      for (const k of Object.keys(input)) {
        const m = /^([A-Z][A-Za-z]*)Name$/.exec(k);
        if (m && type.startsWith(m[1]!) && typeof input[k] === 'string' && (!best || m[1]!.length > best.length)) best = m[1]!;
      }
      if (best) return sagemakerArn(scope, kebab(best), input[`${best}Name`]);
      // Studio operations on a user profile or space (CreatePresignedDomainUrl …), else on the domain.
      if (domain && str('UserProfileName')) return sagemakerArn(scope, 'user-profile', domain, str('UserProfileName')!);
      if (domain && str('SpaceName')) return sagemakerArn(scope, 'space', domain, str('SpaceName')!);
      return domain ? sagemakerArn(scope, 'domain', domain) : '*';
    }
  }
}

/**
 * The SageMaker module as IAM sees it: resource ARNs and condition keys for authorization (unless
 * the module supplies them itself) and iam:PassRole checked on the roles its operations hand to SageMaker.
 */
export function withSageMakerResources(module: ServiceModule): ServiceModule {
  const scoped: ServiceModule = {
    ...module,
    resourceOf: module.resourceOf ?? ((operation, input, platform) => sagemakerResourceOf(operation, input, platform.config)),
    conditionKeysOf:
      module.conditionKeysOf ??
      ((operation, input, platform, resource) => sagemakerConditionKeys(operation, input, resource, { ...platform.config, store: platform.store })),
  };
  return withPassRole(scoped, 'sagemaker.amazonaws.com');
}
