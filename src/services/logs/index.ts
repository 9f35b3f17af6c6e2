import type { ServiceModule } from '../service.js';
import { describeLogGroups, describeLogStreams, filterLogEvents, getLogEvents } from './read.js';
import { createLogGroup, createLogStream, putLogEvents } from './write.js';

/** CloudWatch Logs (JSON 1.1, Logs_20140328.*): training and endpoint output lives here. */
export const logsService: ServiceModule = {
  model: 'logs',
  actionPrefix: 'logs',
  handlers: {
    DescribeLogGroups: describeLogGroups,
    DescribeLogStreams: describeLogStreams,
    GetLogEvents: getLogEvents,
    FilterLogEvents: filterLogEvents,
    CreateLogGroup: createLogGroup,
    CreateLogStream: createLogStream,
    PutLogEvents: putLogEvents,
  },
};
