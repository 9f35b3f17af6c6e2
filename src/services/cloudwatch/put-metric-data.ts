import type { MetricDatum } from '../../store/metadata-store.js';
import type { OperationHandler } from '../service.js';
import { invalidParameterCombination, invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { toDimensions, type MetricDatumInput } from './shapes.js';

const MAX_DATA = 1000;
const MAX_VALUES = 150;
const MAX_DIMENSIONS = 30;
const TWO_WEEKS_MS = 14 * 86_400_000;
const TWO_HOURS_MS = 2 * 3_600_000;
/** CloudWatch rejects values beyond 2^360 in magnitude (and below 2^-260, except zero). */
const TOO_BIG = 2 ** 360;
const TOO_SMALL = 2 ** -260;

function checkValue(v: number, parameter: string): void {
  const a = Math.abs(v);
  if (!Number.isFinite(v) || a > TOO_BIG || (a !== 0 && a < TOO_SMALL)) throw invalidValue(v, parameter);
}

/** One MetricDatum as the statistic sets it contributes, or a CloudWatch error naming the member. */
export function toStoredData(namespace: string, d: MetricDatumInput, n: number, now: number): MetricDatum[] {
  const p = `MetricData.member.${n}`;
  if (!d) throw invalidValue(null, p);
  if (d.Value !== undefined && d.Values !== undefined) {
    throw invalidParameterCombination(`The parameters ${p}.Value and ${p}.Values are mutually exclusive and you have specified both.`);
  }
  if (d.StatisticValues !== undefined && (d.Value !== undefined || d.Values !== undefined)) {
    throw invalidParameterCombination(`The parameters ${p}.StatisticValues and ${p}.${d.Value !== undefined ? 'Value' : 'Values'} are mutually exclusive and you have specified both.`);
  }
  if (d.Counts !== undefined && d.Values === undefined) {
    throw invalidParameterCombination(`The parameter ${p}.Counts may only be specified with ${p}.Values.`);
  }
  if (d.Value === undefined && d.Values === undefined && d.StatisticValues === undefined) {
    throw missingParameter(`At least one of the parameters ${p}.Value, ${p}.StatisticValues or ${p}.Values must be specified.`);
  }
  const resolution = d.StorageResolution ?? 60;
  if (resolution !== 1 && resolution !== 60) throw invalidValue(resolution, `${p}.StorageResolution`);
  const dims = d.Dimensions ?? [];
  if (dims.some((x) => !x)) throw invalidValue(null, `${p}.Dimensions`);
  if (dims.length > MAX_DIMENSIONS) throw invalidParameterValue(`The collection ${p}.Dimensions must not have a size greater than ${MAX_DIMENSIONS}.`);
  if (new Set(dims.map((x) => x.Name)).size !== dims.length) throw invalidParameterValue(`No duplicate dimension names are allowed in ${p}.Dimensions.`);
  const ts = d.Timestamp?.getTime() ?? now;
  if (!Number.isFinite(ts)) throw invalidValue(d.Timestamp, `${p}.Timestamp`);
  if (ts > now + TWO_HOURS_MS) throw invalidParameterValue(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
  if (ts < now - TWO_WEEKS_MS) throw invalidParameterValue(`The parameter ${p}.Timestamp must specify a time within the past two weeks.`);
  // Standard resolution is kept per minute, high resolution per second.
  const unitMs = resolution === 1 ? 1000 : 60_000;
  const base = { namespace, metricName: d.MetricName, dimensions: toDimensions(dims), timestamp: Math.floor(ts / unitMs) * unitMs, unit: d.Unit ?? 'None' };

  if (d.StatisticValues !== undefined) {
    const s = d.StatisticValues;
    for (const [k, v] of Object.entries(s)) checkValue(v as number, `${p}.StatisticValues.${k}`);
    if (s.SampleCount <= 0) throw invalidValue(s.SampleCount, `${p}.StatisticValues.SampleCount`);
    if (s.Minimum > s.Maximum) throw invalidParameterValue(`The parameter ${p}.StatisticValues.Maximum must be greater than ${p}.StatisticValues.Minimum.`);
    return [{ ...base, sampleCount: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum }];
  }
  if (d.Value !== undefined) {
    checkValue(d.Value, `${p}.Value`);
    return [{ ...base, sampleCount: 1, sum: d.Value, min: d.Value, max: d.Value }];
  }
  const values = d.Values!;
  const counts = d.Counts;
  if (values.length > MAX_VALUES) throw invalidParameterValue(`The collection ${p}.Values must not have a size greater than ${MAX_VALUES}.`);
  if (counts !== undefined && counts.length !== values.length) {
    throw invalidParameterValue(`The parameters ${p}.Values and ${p}.Counts must be arrays of the same size.`);
  }
  const out: MetricDatum[] = [];
  values.forEach((v, i) => {
    checkValue(v, `${p}.Values.member.${i + 1}`);
    const c = counts?.[i] ?? 1;
    if (!Number.isFinite(c) || c < 0) throw invalidValue(c, `${p}.Counts.member.${i + 1}`);
    if (c > 0) out.push({ ...base, sampleCount: c, sum: v * c, min: v, max: v });
  });
  return out;
}

export const putMetricData: OperationHandler<{ Namespace: string; MetricData?: MetricDatumInput[]; EntityMetricData?: { MetricData?: MetricDatumInput[] }[] }, object> = async (
  input,
  ctx,
) => {
  if (input.Namespace.startsWith('AWS/')) throw invalidValue(input.Namespace, 'Namespace');
  const data = [...(input.MetricData ?? []), ...(input.EntityMetricData ?? []).flatMap((e) => e.MetricData ?? [])];
  if (data.length === 0) throw missingParameter('The parameter MetricData is required.');
  if (data.length > MAX_DATA) throw invalidParameterValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);
  const now = ctx.platform.now();
  const stored = data.flatMap((d, i) => toStoredData(input.Namespace, d, i + 1, now));
  await ctx.platform.store.putMetricData(stored);
  return {};
};
