import { ServiceError, StaleVersionError, validationException } from '../../core/errors.js';
import type { StopTransformJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { TRANSFORM_TERMINAL, transformJobNotFound, TRANSFORM_JOB_KIND, type TransformJobDoc } from './transform-jobs-doc.js';

/**
 * StopTransformJob records the intent (TransformJobStatus Stopping); the controller stops the
 * instances and sets Stopped. Stopping a stopping job changes nothing; a finished job is refused.
 */
export const stopTransformJob: OperationHandler<StopTransformJobRequest> = async (input, ctx) => {
  const { store } = ctx.platform;
  for (let attempt = 0; attempt < 20; attempt++) {
    const record = await store.getResource<TransformJobDoc>(TRANSFORM_JOB_KIND, input.TransformJobName);
    if (!record) throw transformJobNotFound(input.TransformJobName);
    const status = record.doc.TransformJobStatus;
    if (TRANSFORM_TERMINAL.has(status)) throw validationException(`The request was rejected because the transform job is in status ${status}.`);
    if (status === 'Stopping') return {};
    const now = ctx.platform.now();
    try {
      await store.updateResource<TransformJobDoc>(TRANSFORM_JOB_KIND, record.id, record.version, { doc: { ...record.doc, TransformJobStatus: 'Stopping' }, status: 'Stopping', lastModifiedTime: now });
      ctx.platform.changed(TRANSFORM_JOB_KIND);
      return {};
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new ServiceError('ConflictException', `Transform job ${input.TransformJobName} kept changing while it was being stopped; retry the request.`, 400);
};
