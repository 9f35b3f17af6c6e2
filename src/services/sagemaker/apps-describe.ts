import { validationException } from '../../core/errors.js';
import type { DescribeAppRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ownerOf, requireApp, toDescribeApp } from './apps-doc.js';

/** DescribeApp: the stored app, if the caller may see its space (src/studio/visibility.ts); else ResourceNotFound. */
export const describeApp: OperationHandler<DescribeAppRequest> = async (input, ctx) => {
  // SageMaker's own wording when neither is given (docs/errors.md); both given is ownerOf's message.
  if (input.SpaceName === undefined && input.UserProfileName === undefined) throw validationException('Either UserProfileName or SpaceName must be passed for DescribeApp operation.');
  const owner = ownerOf(input);
  return toDescribeApp((await requireApp(ctx, { ...input, ...owner })).doc);
};
