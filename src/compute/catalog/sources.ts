/**
 * Where the catalog's figures come from. Keys are referenced by every figure's `source`.
 * The third-party price copies are of AWS's public list (aws.amazon.com/sagemaker/pricing),
 * dated about 2023–2025; see /work/shared/reference/sagemaker-contracts.md §6 and docs/instances.md.
 */
export const SOURCES: Readonly<Record<string, string>> = {
  'botocore-model': 'models/aws/sagemaker.service-2.json.gz (botocore SageMaker service model): the workload enums',
  jhuapl: 'JHUAPL-DTC-TA2/wiki docs/sagemaker_instances.md (copy of the SageMaker price list, us-east-1)',
  fmbench: 'aws-samples/foundation-model-benchmarking-tool src/fmbench/configs/pricing.yml (SageMaker and EC2 us-east-1 prices)',
  goerlitz: 'goerlitz/nlp-classification notebooks/10kGNAD/sagemaker/README.md (cites aws.amazon.com/sagemaker/pricing)',
  zindi: 'ZindiAfrica/AI-for-Equity-Challenges-Getting-Started-with-AWS-Resources sagemaker_instance_pricing.md',
  'sdk-gpu-info': 'aws/sagemaker-python-sdk src/sagemaker/image_uri_config/instance_gpu_info.json (GPU count and memory)',
  'ec2-specs': 'standard EC2 instance shapes (aws.amazon.com/ec2/instance-types): vCPU by size, GiB per vCPU by family, accelerators per size',
  'ec2-prices':
    'EC2 on-demand Linux list prices, us-east-1, as recorded by the catalog author (not re-checked against aws.amazon.com/ec2/pricing)',
  'clary-rules': 'Clary derivation rules in src/compute/catalog/family-rules.ts and regions.ts (see docs/instances.md)',
  'clary-estimate': 'no public figure was found; a stated assumption in src/compute/catalog/family-rules.ts',
};

/** The date the figures were recorded into Clary (not the date AWS set them). */
export const RECORDED_ON = '2026-11-27';
