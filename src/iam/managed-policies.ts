import { parsePolicy, type PolicyDocument } from './policy-document.js';

/**
 * AWS managed policies that exist in every Clary account from the start, under their AWS ARNs
 * (arn:aws:iam::aws:policy/…). The documents are AWS's, trimmed to the services Clary has
 * (AmazonSageMakerFullAccess keeps its SageMaker, S3, Logs, CloudWatch and iam:PassRole
 * statements with AWS's resource patterns and conditions).
 */
export interface ManagedPolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly id: string;
  readonly description: string;
  readonly versionId: string;
  readonly createDate: string;
  readonly updateDate: string;
  readonly document: string;
  readonly parsed: PolicyDocument;
}

const SAGEMAKER_FULL = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowAllNonAdminSageMakerActions',
      Effect: 'Allow',
      Action: ['sagemaker:*', 'sagemaker-geospatial:*'],
      NotResource: ['arn:aws:sagemaker:*:*:domain/*', 'arn:aws:sagemaker:*:*:user-profile/*', 'arn:aws:sagemaker:*:*:app/*', 'arn:aws:sagemaker:*:*:space/*', 'arn:aws:sagemaker:*:*:flow-definition/*'],
    },
    {
      Sid: 'AllowAddTagsForSpace',
      Effect: 'Allow',
      Action: ['sagemaker:AddTags'],
      Resource: ['arn:aws:sagemaker:*:*:space/*'],
      Condition: { StringEquals: { 'sagemaker:TaggingAction': 'CreateSpace' } },
    },
    { Sid: 'AllowStudioActions', Effect: 'Allow', Action: ['sagemaker:CreatePresignedDomainUrl', 'sagemaker:DescribeDomain', 'sagemaker:ListDomains', 'sagemaker:DescribeUserProfile', 'sagemaker:ListUserProfiles', 'sagemaker:DescribeSpace', 'sagemaker:ListSpaces', 'sagemaker:DescribeApp', 'sagemaker:ListApps'], Resource: '*' },
    { Sid: 'AllowAppActionsForUserProfile', Effect: 'Allow', Action: ['sagemaker:CreateApp', 'sagemaker:DeleteApp'], Resource: 'arn:aws:sagemaker:*:*:app/*/*/*/*', Condition: { Null: { 'sagemaker:OwnerUserProfileArn': 'true' } } },
    {
      Sid: 'AllowCloudWatchAndLogs',
      Effect: 'Allow',
      Action: ['cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics', 'cloudwatch:PutMetricAlarm', 'cloudwatch:PutMetricData', 'logs:CreateLogDelivery', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogGroups', 'logs:DescribeLogStreams', 'logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:PutLogEvents', 'iam:ListRoles', 'application-autoscaling:*', 'servicequotas:GetServiceQuota', 'servicequotas:ListServiceQuotas'],
      Resource: '*',
    },
    {
      Sid: 'AllowS3ObjectsInSageMakerBuckets',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
      Resource: ['arn:aws:s3:::*SageMaker*', 'arn:aws:s3:::*Sagemaker*', 'arn:aws:s3:::*sagemaker*'],
    },
    { Sid: 'AllowS3CreateBucket', Effect: 'Allow', Action: ['s3:CreateBucket', 's3:GetBucketLocation', 's3:ListBucket', 's3:ListAllMyBuckets', 's3:GetBucketCors', 's3:PutBucketCors'], Resource: '*' },
    { Sid: 'AllowS3GetObjectTaggedForSageMaker', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::*'], Condition: { StringEqualsIgnoreCase: { 's3:ExistingObjectTag/SageMaker': 'true' } } },
    {
      Sid: 'AllowPassRoleToSageMaker',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: 'arn:aws:iam::*:role/*',
      Condition: { StringEquals: { 'iam:PassedToService': ['sagemaker.amazonaws.com', 'glue.amazonaws.com', 'robomaker.amazonaws.com', 'states.amazonaws.com'] } },
    },
    { Sid: 'AllowPassRoleForSageMakerRoles', Effect: 'Allow', Action: ['iam:PassRole'], Resource: 'arn:aws:iam::*:role/*AmazonSageMaker*', Condition: { StringEquals: { 'iam:PassedToService': ['sagemaker.amazonaws.com'] } } },
    { Sid: 'AllowGetRoleAndCallerIdentity', Effect: 'Allow', Action: ['iam:GetRole', 'sts:GetCallerIdentity'], Resource: '*' },
  ],
};

const SAGEMAKER_READ_ONLY = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['sagemaker:Describe*', 'sagemaker:List*', 'sagemaker:BatchGet*', 'sagemaker:BatchDescribe*', 'sagemaker:Search', 'sagemaker:RenderUiTemplate', 'sagemaker:GetSearchSuggestions', 'sagemaker:QueryLineage', 'sagemaker:GetLineageGroupPolicy', 'sagemaker:GetModelPackageGroupPolicy', 'sagemaker:GetSagemakerServicecatalogPortfolioStatus'], Resource: '*' },
    { Effect: 'Allow', Action: ['application-autoscaling:DescribeScalableTargets', 'application-autoscaling:DescribeScalingActivities', 'application-autoscaling:DescribeScalingPolicies', 'application-autoscaling:DescribeScheduledActions', 'cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmsForMetric'], Resource: '*' },
  ],
};

const S3_FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 's3-object-lambda:*'], Resource: '*' }] };
const S3_READ_ONLY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 's3:Describe*', 's3-object-lambda:Get*', 's3-object-lambda:List*'], Resource: '*' }] };
const LOGS_FULL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:*'], Resource: '*' }] };
const CLOUDWATCH_FULL = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['application-autoscaling:DescribeScalingPolicies', 'autoscaling:Describe*', 'cloudwatch:*', 'logs:*', 'sns:*', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:GetRole', 'oam:ListSinks'], Resource: '*' },
    { Effect: 'Allow', Action: 'iam:CreateServiceLinkedRole', Resource: 'arn:aws:iam::*:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents*', Condition: { StringLike: { 'iam:AWSServiceName': 'events.amazonaws.com' } } },
  ],
};

function managed(name: string, id: string, description: string, versionId: string, createDate: string, updateDate: string, doc: object, path = '/'): ManagedPolicy {
  const document = JSON.stringify(doc, null, 4);
  return { name, arn: `arn:aws:iam::aws:policy${path}${name}`, path, id, description, versionId, createDate, updateDate, document, parsed: parsePolicy(document) };
}

export const MANAGED_POLICIES: readonly ManagedPolicy[] = [
  managed('AmazonSageMakerFullAccess', 'ANPAJZ5IWYMXO5QDB4QOG', 'Provides full access to Amazon SageMaker via the AWS Management Console and SDK. Also provides select access to related services (e.g., S3, ECR, CloudWatch Logs).', 'v28', '2017-11-29T13:07:59Z', '2024-11-30T00:00:00Z', SAGEMAKER_FULL),
  managed('AmazonSageMakerReadOnly', 'ANPAJTZ2FTFCQ6CFLQA2O', 'Provides read only access to Amazon SageMaker via the AWS Management Console and SDK.', 'v12', '2017-11-29T13:07:09Z', '2024-11-30T00:00:00Z', SAGEMAKER_READ_ONLY),
  managed('AmazonS3FullAccess', 'ANPAIFIR6V6BVTRAHWINE', 'Provides full access to all buckets via the AWS Management Console.', 'v2', '2015-02-06T18:40:58Z', '2021-09-27T20:16:37Z', S3_FULL),
  managed('AmazonS3ReadOnlyAccess', 'ANPAIZTJ4DXE7G6AGAE6M', 'Provides read only access to all buckets via the AWS Management Console.', 'v3', '2015-02-06T18:40:59Z', '2023-08-10T21:31:39Z', S3_READ_ONLY),
  managed('CloudWatchLogsFullAccess', 'ANPAJ3ZGNWK2R5HW5BQFO', 'Provides full access to CloudWatch Logs', 'v1', '2015-02-06T18:40:54Z', '2015-02-06T18:40:54Z', LOGS_FULL),
  managed('CloudWatchFullAccess', 'ANPAIKEABORKUXN6DEAZU', 'Provides full access to CloudWatch.', 'v4', '2015-02-06T18:40:56Z', '2023-12-07T00:00:00Z', CLOUDWATCH_FULL),
];

const BY_ARN = new Map(MANAGED_POLICIES.map((p) => [p.arn, p]));

export const managedPolicy = (arn: string): ManagedPolicy | undefined => BY_ARN.get(arn);
