import type { OperationHandler } from '../service.js';
import { invalidValue } from './errors.js';
import { fromDimensions } from './shapes.js';
import { decodeListToken, encodeListToken } from './tokens.js';

const PAGE = 500;
const TWO_WEEKS_MS = 14 * 86_400_000;
const THREE_HOURS_MS = 3 * 3_600_000;

interface Input {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: { Name: string; Value?: string }[];
  NextToken?: string;
  RecentlyActive?: 'PT3H';
  IncludeLinkedAccounts?: boolean;
  OwningAccount?: string;
}

/** ListMetrics: metrics with data in the past two weeks (or three hours with RecentlyActive), 500 a page. */
export const listMetrics: OperationHandler<Input, object> = async (input, ctx) => {
  const filters = input.Dimensions ?? [];
  if (filters.some((f) => !f)) throw invalidValue(null, 'Dimensions');
  const now = ctx.platform.now();
  const series = await ctx.platform.store.listMetricSeries({
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: filters.map((f) => ({ name: f.Name, value: f.Value })),
    activeSince: now - (input.RecentlyActive === 'PT3H' ? THREE_HOURS_MS : TWO_WEEKS_MS),
    afterId: decodeListToken(input.NextToken),
    limit: PAGE + 1,
  });
  const page = series.slice(0, PAGE);
  return {
    Metrics: page.map((s) => ({ Namespace: s.namespace, MetricName: s.metricName, Dimensions: fromDimensions(s.dimensions) })),
    ...(series.length > PAGE ? { NextToken: encodeListToken(page[page.length - 1]!.id) } : {}),
  };
};
