import type { ServiceModule } from '../service.js';
import { getMetricData } from './get-metric-data.js';
import { getMetricStatistics } from './get-metric-statistics.js';
import { listMetrics } from './list-metrics.js';
import { putMetricData } from './put-metric-data.js';

/**
 * CloudWatch metrics (the subset SageMaker users touch; docs/metrics.md). One module answers all
 * three of CloudWatch's protocols: query (XML), JSON 1.0 (awsQueryCompatible) and RPC v2 CBOR.
 */
export const cloudwatchService: ServiceModule = {
  model: 'cloudwatch',
  actionPrefix: 'cloudwatch',
  handlers: {
    PutMetricData: putMetricData,
    GetMetricStatistics: getMetricStatistics,
    GetMetricData: getMetricData,
    ListMetrics: listMetrics,
  },
};
