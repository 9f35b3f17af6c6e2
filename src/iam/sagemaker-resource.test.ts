import { describe, expect, it } from 'vitest';
import { sagemakerResourceOf } from './sagemaker-resource.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };

describe('sagemakerResourceOf', () => {
  it.each([
    ['CreateTrainingJob', { TrainingJobName: 'Job-1' }, 'arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1'],
    ['DescribeEndpointConfig', { EndpointConfigName: 'c' }, 'arn:aws:sagemaker:us-east-1:000000000000:endpoint-config/c'],
    ['StopHyperParameterTuningJob', { HyperParameterTuningJobName: 't' }, 'arn:aws:sagemaker:us-east-1:000000000000:hyper-parameter-tuning-job/t'],
    ['AddTags', { ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/m' }, 'arn:aws:sagemaker:us-east-1:000000000000:model/m'],
    ['CreateUserProfile', { DomainId: 'd-abc', UserProfileName: 'alice' }, 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-abc/alice'],
    ['CreateApp', { DomainId: 'd-abc', UserProfileName: 'alice', AppType: 'JupyterServer', AppName: 'default' }, 'arn:aws:sagemaker:us-east-1:000000000000:app/d-abc/alice/jupyterserver/default'],
    ['UpdateEndpointWeightsAndCapacities', { EndpointName: 'ep', DesiredWeightsAndCapacities: [] }, 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/ep'],
    ['CreateEndpoint', { EndpointName: 'ep', EndpointConfigName: 'cfg' }, 'arn:aws:sagemaker:us-east-1:000000000000:endpoint/ep'],
    ['CreatePresignedDomainUrl', { DomainId: 'd-1', UserProfileName: 'u' }, 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-1/u'],
    ['ListTrainingJobs', {}, '*'],
    ['Search', { Resource: 'TrainingJob' }, '*'],
  ])('%s', (op, input, arn) => {
    expect(sagemakerResourceOf(op, input, scope)).toBe(arn);
  });
});
