import { sagemakerArn } from '../core/arn.js';
import { ServiceError } from '../core/errors.js';
import type { RuntimeHandler } from '../server/pipeline.js';
import { resourceTagKeys } from './sagemaker-condition-context.js';

/**
 * SageMaker Runtime (InvokeEndpoint & co.) authorized like the control plane: the action
 * sagemaker:InvokeEndpoint, sagemaker:InvokeEndpointAsync or
 * sagemaker:InvokeEndpointWithResponseStream on arn:aws:sagemaker:<region>:<acct>:endpoint/<name>;
 * a denial is SageMaker Runtime's AccessDeniedException (400). Conditions see the endpoint's tags
 * (sagemaker:ResourceTag/<key>, aws:ResourceTag/<key>) and, for InvokeEndpoint, sagemaker:TargetModel.
 */
const ACTIONS: Record<string, string> = {
  invocations: 'sagemaker:InvokeEndpoint',
  'async-invocations': 'sagemaker:InvokeEndpointAsync',
  'invocations-response-stream': 'sagemaker:InvokeEndpointWithResponseStream',
};

export function withRuntimeAuthorization(handler: RuntimeHandler): RuntimeHandler {
  return async (req, res, ctx, url, body) => {
    if (!ctx.principal.isAdmin) {
      const m = /^\/endpoints\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      const action = m ? ACTIONS[m[2]!] : undefined;
      if (m && action) {
        let name = m[1]!;
        try {
          name = decodeURIComponent(name);
        } catch {
          // Left as sent: the handler answers for a malformed name.
        }
        const resource = sagemakerArn(ctx.platform.config, 'endpoint', name);
        const context = await resourceTagKeys(ctx.platform.store, resource);
        const target = req.headers['x-amzn-sagemaker-target-model'];
        if (action === 'sagemaker:InvokeEndpoint' && typeof target === 'string') context['sagemaker:TargetModel'] = target;
        const d = await ctx.platform.authorizer.authorize(ctx.principal, { action, resource, context });
        if (!d.allowed) throw new ServiceError('AccessDeniedException', d.reason, 400);
      }
    }
    return handler(req, res, ctx, url, body);
  };
}
