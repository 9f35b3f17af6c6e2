import { ServiceError } from '../core/errors.js';
import type { OperationHandler, ServiceModule } from '../services/service.js';

/**
 * iam:PassRole, as SageMaker checks it: an operation that hands a role to the service (RoleArn of
 * CreateTrainingJob, CreateProcessingJob, …; ExecutionRoleArn of CreateModel) needs the caller to
 * be allowed iam:PassRole on that role with iam:PassedToService = sagemaker.amazonaws.com
 * (AmazonSageMakerFullAccess grants exactly that). The admin passes any role.
 */
const ROLE_FIELDS = ['RoleArn', 'ExecutionRoleArn'] as const;

export function withPassRole(module: ServiceModule, service: string): ServiceModule {
  const handlers: Record<string, OperationHandler> = {};
  for (const [op, handler] of Object.entries(module.handlers)) {
    handlers[op] = async (input, ctx) => {
      if (!ctx.principal.isAdmin && input && typeof input === 'object') {
        for (const field of ROLE_FIELDS) {
          const arn = (input as Record<string, unknown>)[field];
          if (typeof arn !== 'string') continue;
          const d = await ctx.platform.authorizer.authorize(ctx.principal, { action: 'iam:PassRole', resource: arn, context: { 'iam:PassedToService': service } });
          if (!d.allowed) throw new ServiceError('AccessDeniedException', d.reason, 400);
        }
      }
      return handler(input, ctx);
    };
  }
  return { ...module, handlers };
}
