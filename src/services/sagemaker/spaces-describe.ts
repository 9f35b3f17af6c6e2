import type { DescribeSpaceRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { requireSpace, toDescribeSpace } from './spaces-doc.js';

/** DescribeSpace: the stored space, if the caller may see it (src/studio/visibility.ts); else ResourceNotFound. */
export const describeSpace: OperationHandler<DescribeSpaceRequest> = async (input, ctx) => toDescribeSpace((await requireSpace(ctx, input.DomainId, input.SpaceName)).doc);
