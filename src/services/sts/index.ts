import type { ServiceModule } from '../service.js';

/** STS: the subset clients call to learn who they are (the SageMaker SDK calls GetCallerIdentity). */
export const stsService: ServiceModule = {
  model: 'sts',
  actionPrefix: 'sts',
  handlers: {
    async GetCallerIdentity(_input, ctx) {
      return { UserId: ctx.principal.userId, Account: ctx.principal.accountId, Arn: ctx.principal.arn };
    },
  },
  // GetCallerIdentity needs no permission in AWS: "No permissions are required to perform this operation."
  resourceOf: () => '*',
};
