import { createHash } from 'node:crypto';
import type { Workload } from '../catalog/index.js';

/**
 * The workloads that carry instance quotas, and the quota names SageMaker gives them in Service
 * Quotas (service code "sagemaker"). Per-type names are verified for training and endpoints
 * (reference §6); the others follow the same pattern.
 */
export const QUOTA_WORKLOADS = ['training', 'hosting', 'processing', 'transform', 'app'] as const;
export type QuotaWorkload = (typeof QUOTA_WORKLOADS)[number];

export const isQuotaWorkload = (s: string): s is QuotaWorkload => (QUOTA_WORKLOADS as readonly string[]).includes(s);

/** The catalog workload whose model enum lists the instance types of each quota workload. */
export const CATALOG_WORKLOAD: Readonly<Record<QuotaWorkload, Workload>> = {
  training: 'training',
  hosting: 'hosting',
  processing: 'processing',
  transform: 'transform',
  app: 'app',
};

const PER_TYPE_SUFFIX: Readonly<Record<QuotaWorkload, string>> = {
  training: 'for training job usage',
  hosting: 'for endpoint usage',
  processing: 'for processing job usage',
  transform: 'for transform job usage',
  app: 'for spaces',
};

/** Aggregate quota names; Studio apps have none. */
export const AGGREGATE_NAMES: Readonly<Partial<Record<QuotaWorkload, string>>> = {
  training: 'Number of instances across all training jobs',
  processing: 'Number of instances across all processing jobs',
  transform: 'Number of instances across all transform jobs',
  hosting: 'Total number of instances allowed across all endpoints',
};

/** "ml.g5.xlarge for training job usage". */
export const perTypeQuotaName = (workload: QuotaWorkload, instanceType: string): string => `${instanceType} ${PER_TYPE_SUFFIX[workload]}`;

/**
 * A stable, AWS-looking quota code: "L-" and 8 upper-case hex digits of the name's SHA-256.
 * Stable across versions and installations because it depends on the name only.
 */
export const quotaCode = (name: string): string => `L-${createHash('sha256').update(name).digest('hex').slice(0, 8).toUpperCase()}`;
