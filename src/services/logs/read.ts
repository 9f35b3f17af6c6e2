import type { OperationHandler } from '../service.js';
import { logsArn } from '../../core/arn.js';
import { groupNotFound, streamNotFound } from './errors.js';
import { directional, parseDirectional, parseNumberToken } from './tokens.js';

/** The read side of CloudWatch Logs: what `aws logs` and the SageMaker SDK's log tailing call. */

const groupName = (input: { logGroupName?: string; logGroupIdentifier?: string }): string | undefined =>
  input.logGroupName ?? input.logGroupIdentifier?.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '').replace(/:\*$/, '');

export const describeLogGroups: OperationHandler = async (input, ctx) => {
  const limit = input.limit ?? 50;
  const groups = await ctx.platform.store.listLogGroups({ prefix: input.logGroupNamePrefix, after: input.nextToken, limit: limit + 1 });
  const page = groups.slice(0, limit);
  const scope = ctx.platform.config;
  return {
    logGroups: page.map((g) => ({
      logGroupName: g.name,
      creationTime: g.createdAt,
      retentionInDays: g.retentionInDays ?? undefined,
      metricFilterCount: 0,
      arn: logsArn(scope, `log-group:${g.name}:*`),
      logGroupArn: logsArn(scope, `log-group:${g.name}`),
      storedBytes: g.storedBytes,
      logGroupClass: 'STANDARD',
    })),
    nextToken: groups.length > limit ? page[page.length - 1]!.name : undefined,
  };
};

export const describeLogStreams: OperationHandler = async (input, ctx) => {
  const group = groupName(input);
  if (!group || !(await ctx.platform.store.getLogGroup(group))) throw groupNotFound();
  const limit = input.limit ?? 50;
  const offset = parseNumberToken(input.nextToken);
  const streams = await ctx.platform.store.listLogStreams({
    group,
    prefix: input.logStreamNamePrefix,
    orderBy: input.orderBy ?? 'LogStreamName',
    descending: input.descending ?? false,
    offset,
    limit: limit + 1,
  });
  const page = streams.slice(0, limit);
  return {
    logStreams: page.map((s) => ({
      logStreamName: s.name,
      creationTime: s.createdAt,
      firstEventTimestamp: s.firstEventTimestamp ?? undefined,
      lastEventTimestamp: s.lastEventTimestamp ?? undefined,
      lastIngestionTime: s.lastIngestionTime ?? undefined,
      uploadSequenceToken: '1',
      arn: logsArn(ctx.platform.config, `log-group:${group}:log-stream:${s.name}`),
      storedBytes: s.storedBytes,
    })),
    nextToken: streams.length > limit ? String(offset + limit) : undefined,
  };
};

export const getLogEvents: OperationHandler = async (input, ctx) => {
  const store = ctx.platform.store;
  const group = groupName(input);
  if (!group || !(await store.getLogGroup(group))) throw groupNotFound();
  if (!(await store.getLogStream(group, input.logStreamName))) throw streamNotFound();
  const limit = Math.min(input.limit ?? 10_000, 10_000);
  const token = input.nextToken ? parseDirectional(input.nextToken) : input.startFromHead ? { dir: 'f' as const, seq: 0 } : { dir: 'b' as const, seq: Number.MAX_SAFE_INTEGER };
  const base = { group, streams: [input.logStreamName as string], startTime: input.startTime, endTime: input.endTime, limit };
  const events =
    token.dir === 'f'
      ? await store.queryLogEvents({ ...base, afterSeq: token.seq, order: 'asc' })
      : (await store.queryLogEvents({ ...base, beforeSeq: token.seq, order: 'desc' })).reverse();
  const first = events[0]?.seq;
  const last = events[events.length - 1]?.seq;
  return {
    events: events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: directional('f', last ?? (token.dir === 'f' ? token.seq : Math.max(0, token.seq - 1))),
    nextBackwardToken: directional('b', first ?? (token.dir === 'b' ? token.seq : token.seq + 1)),
  };
};

/** filterPattern: space-separated terms (or "quoted phrases"), all of which must appear. */
function patternTerms(pattern: string | undefined): string[] {
  if (!pattern) return [];
  const terms: string[] = [];
  for (const m of pattern.matchAll(/"([^"]*)"|(\S+)/g)) terms.push(m[1] ?? m[2]!);
  return terms.filter((t) => t.length > 0);
}

export const filterLogEvents: OperationHandler = async (input, ctx) => {
  const group = groupName(input);
  if (!group || !(await ctx.platform.store.getLogGroup(group))) throw groupNotFound();
  const limit = Math.min(input.limit ?? 10_000, 10_000);
  const events = await ctx.platform.store.queryLogEvents({
    group,
    streams: input.logStreamNames,
    streamPrefix: input.logStreamNamePrefix,
    startTime: input.startTime,
    endTime: input.endTime,
    contains: patternTerms(input.filterPattern),
    afterSeq: parseNumberToken(input.nextToken),
    order: 'asc',
    limit: limit + 1,
  });
  const page = events.slice(0, limit);
  return {
    events: page.map((e) => ({
      logStreamName: e.stream,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.ingestionTime,
      eventId: String(e.seq).padStart(20, '0'),
    })),
    // The store returns at most 10,000 events, so a full page of 10,000 may have more behind it.
    nextToken: events.length > limit || (page.length === 10_000 && events.length === page.length) ? String(page[page.length - 1]!.seq) : undefined,
    searchedLogStreams: [],
  };
};
