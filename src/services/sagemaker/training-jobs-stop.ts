import { ServiceError, StaleVersionError, validationException } from '../../core/errors.js';
import type { StopTrainingJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { TERMINAL_STATUSES, trainingJobNotFound, TRAINING_JOB_KIND, type TrainingJobDoc } from './training-jobs-doc.js';

/** Optimistic-update attempts before giving up on a job a controller keeps changing. */
const MAX_ATTEMPTS = 20;

/** The stopping intent as the controller will find it: primary and secondary status Stopping, one new transition. */
export function withStopRequested(doc: TrainingJobDoc, now: number): TrainingJobDoc {
  const transitions = doc.SecondaryStatusTransitions.map((t, i, all) => (i === all.length - 1 && t.EndTime === undefined ? { ...t, EndTime: now } : t));
  transitions.push({ Status: 'Stopping', StartTime: now, StatusMessage: 'Stopping the training job' });
  return { ...doc, TrainingJobStatus: 'Stopping', SecondaryStatus: 'Stopping', SecondaryStatusTransitions: transitions, LastModifiedTime: now };
}

/**
 * StopTrainingJob records the intent to stop (TrainingJobStatus Stopping); the controller sends
 * SIGTERM, waits, and sets Stopped. Stopping a job that is already stopping changes nothing;
 * a finished job is refused with SageMaker's message.
 */
export const stopTrainingJob: OperationHandler<StopTrainingJobRequest> = async (input, ctx) => {
  const { store } = ctx.platform;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const record = await store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, input.TrainingJobName);
    if (!record) throw trainingJobNotFound();
    const status = record.doc.TrainingJobStatus;
    if (TERMINAL_STATUSES.has(status)) throw validationException(`The request was rejected because the training job is in status ${status}.`);
    if (status === 'Stopping') return {};
    const now = ctx.platform.now();
    try {
      const updated = await store.updateResource<TrainingJobDoc>(TRAINING_JOB_KIND, record.id, record.version, {
        doc: withStopRequested(record.doc, now),
        status: 'Stopping',
        lastModifiedTime: now,
      });
      if (!updated) throw trainingJobNotFound();
      ctx.platform.changed(TRAINING_JOB_KIND);
      return {};
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new ServiceError('ConflictException', `Training job ${input.TrainingJobName} kept changing while it was being stopped; retry the request.`, 400);
};
