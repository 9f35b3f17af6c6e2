import type { MetadataStore } from '../store/metadata-store.js';
import type { TrainingJobDoc } from '../services/sagemaker/training-jobs-doc.js';
import { TRAINING_JOB_KIND } from '../services/sagemaker/training-jobs-doc.js';
import { ConfigError } from '../core/config.js';

const GROUP = '/aws/sagemaker/TrainingJobs';
const TERMINAL = new Set(['Completed', 'Failed', 'Stopped']);

/**
 * `clary logs <job> [--follow]`: a training job's output from CloudWatch Logs, every instance's
 * stream, oldest first, each line prefixed with its host when there are several. With --follow it
 * keeps printing until the job ends.
 */
export async function logsCommand(
  store: MetadataStore,
  job: string,
  opts: { follow?: boolean },
  write: (text: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const rec = await store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, job);
  if (!rec) throw new ConfigError(`no training job named ${job}; \`aws sagemaker list-training-jobs\` lists them`);
  let after = 0;
  for (;;) {
    const events = await store.queryLogEvents({ group: GROUP, streamPrefix: `${job}/`, afterSeq: after, order: 'asc', limit: 1000 });
    const multi = new Set(events.map((e) => e.stream)).size > 1 || (rec.doc.ResourceConfig?.InstanceCount ?? 1) > 1;
    for (const e of events) write(`${multi ? `[${e.stream.slice(job.length + 1).replace(/-\d+$/, '')}] ` : ''}${e.message}\n`);
    if (events.length > 0) after = events[events.length - 1]!.seq;
    if (events.length === 1000) continue;
    if (!opts.follow || signal?.aborted) return;
    const now = await store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, job);
    if (!now || TERMINAL.has(now.doc.TrainingJobStatus)) {
      // One last read: lines shipped just before the status changed.
      const rest = await store.queryLogEvents({ group: GROUP, streamPrefix: `${job}/`, afterSeq: after, order: 'asc', limit: 10_000 });
      for (const e of rest) write(`${e.message}\n`);
      write(`-- ${job}: ${now?.doc.TrainingJobStatus ?? 'gone'}${now?.doc.FailureReason ? `: ${now.doc.FailureReason}` : ''}\n`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `clary metrics <job>`: the job's final metrics (MetricDefinitions matched over its output). */
export async function metricsCommand(store: MetadataStore, job: string): Promise<string> {
  const rec = await store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, job);
  if (!rec) throw new ConfigError(`no training job named ${job}; \`aws sagemaker list-training-jobs\` lists them`);
  const metrics = rec.doc.FinalMetricDataList ?? [];
  if (metrics.length === 0) return `${job} (${rec.doc.TrainingJobStatus}): no metrics${rec.doc.AlgorithmSpecification?.MetricDefinitions?.length ? ' matched yet' : ' (the job has no MetricDefinitions)'}\n`;
  const width = Math.max(6, ...metrics.map((m) => (m.MetricName ?? '').length));
  return (
    `${'METRIC'.padEnd(width)}  VALUE\n` +
    metrics.map((m) => `${(m.MetricName ?? '').padEnd(width)}  ${m.Value}`).join('\n') +
    `\n(${job}, ${rec.doc.TrainingJobStatus})\n`
  );
}
