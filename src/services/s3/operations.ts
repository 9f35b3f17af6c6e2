/**
 * The S3 operations Clary implements (names as in the S3 model), for docs/compatibility.md.
 * Keep in step with handler.ts's routing.
 */
export const S3_OPERATIONS = [
  'ListBuckets', 'CreateBucket', 'DeleteBucket', 'HeadBucket', 'GetBucketLocation', 'GetBucketVersioning', 'GetBucketAcl', 'GetObjectAcl',
  'ListObjects', 'ListObjectsV2', 'PutObject', 'GetObject', 'HeadObject', 'DeleteObject', 'DeleteObjects', 'CopyObject',
  'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', 'ListMultipartUploads',
  // Answered with S3's own "not configured" errors, as for a bucket that has none:
  'GetBucketTagging', 'GetBucketPolicy', 'GetBucketCors', 'GetBucketEncryption', 'GetBucketLifecycleConfiguration', 'GetBucketWebsite',
  'GetBucketReplication', 'GetPublicAccessBlock', 'GetBucketOwnershipControls', 'GetObjectLockConfiguration',
] as const;
