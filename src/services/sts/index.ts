import type { ServiceModule } from '../service.js';
import { AssumeRole } from './assume-role.js';

/** STS: who am I (the SageMaker SDK calls GetCallerIdentity) and AssumeRole's temporary credentials (docs/iam.md). */
export const stsService: ServiceModule = {
  model: 'sts',
  actionPrefix: 'sts',
  handlers: {
    async GetCallerIdentity(_input, ctx) {
      return { UserId: ctx.principal.userId, Account: ctx.principal.accountId, Arn: ctx.principal.arn };
    },
    AssumeRole,
  },
  // GetCallerIdentity needs no permission in AWS ("No permissions are required to perform this
  // operation"); AssumeRole is authorized on the role it names.
  resourceOf: (operation, input) => (operation === 'AssumeRole' && typeof input?.RoleArn === 'string' ? input.RoleArn : '*'),
};
