import { ServiceError } from '../../core/errors.js';
import type { OperationHandler } from '../service.js';
import { groupNotFound, streamNotFound } from './errors.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The write side, so any client (and Clary's own runners) can put events. */
export const createLogGroup: OperationHandler = async (input, ctx) => {
  if (await ctx.platform.store.getLogGroup(input.logGroupName)) {
    throw new ServiceError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
  }
  await ctx.platform.store.ensureLogGroup(input.logGroupName, ctx.platform.now());
  return {};
};

export const createLogStream: OperationHandler = async (input, ctx) => {
  const store = ctx.platform.store;
  if (!(await store.getLogGroup(input.logGroupName))) throw groupNotFound();
  if (await store.getLogStream(input.logGroupName, input.logStreamName)) {
    throw new ServiceError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
  }
  await store.ensureLogStream(input.logGroupName, input.logStreamName, ctx.platform.now());
  return {};
};

export const putLogEvents: OperationHandler = async (input, ctx) => {
  const store = ctx.platform.store;
  if (!(await store.getLogGroup(input.logGroupName))) throw groupNotFound();
  if (!(await store.getLogStream(input.logGroupName, input.logStreamName))) throw streamNotFound();
  const events = [...(input.logEvents as { timestamp: number; message: string }[])];
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.timestamp < events[i - 1]!.timestamp) {
      throw new ServiceError('InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.', 400);
    }
  }
  // As CloudWatch: events older than 14 days or more than 2 hours ahead are not stored but
  // reported (they are a prefix and a suffix of the chronological batch).
  const now = ctx.platform.now();
  let first = 0;
  while (first < events.length && events[first]!.timestamp < now - 14 * DAY) first++;
  let end = events.length;
  while (end > first && events[end - 1]!.timestamp > now + 2 * HOUR) end--;
  if (end > first) await store.putLogEvents(input.logGroupName, input.logStreamName, events.slice(first, end));
  const rejected = {
    ...(first > 0 ? { tooOldLogEventEndIndex: first } : {}),
    ...(end < events.length ? { tooNewLogEventStartIndex: end } : {}),
  };
  return { nextSequenceToken: undefined, ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}) };
};
