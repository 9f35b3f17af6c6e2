import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import { getServiceModel } from '../../models/load.js';
import { validateInput } from '../../models/validate.js';
import { assertAvailableIn, assertInstanceTypeFor } from './index.js';
import { botocoreSageMaker } from './test-model.js';

const thrown = (f: () => void): ServiceError => {
  try {
    f();
  } catch (e) {
    return e as ServiceError;
  }
  throw new Error('expected an error');
};

describe('assertInstanceTypeFor', () => {
  it('gives AWS\'s exact ValidationException, with the whole enum in model order', () => {
    const e = thrown(() => assertInstanceTypeFor('training', 'ml.t2.medium', 'resourceConfig.instanceType'));
    expect(e).toBeInstanceOf(ServiceError);
    expect(e.code).toBe('ValidationException');
    expect(e.status).toBe(400);
    const values = botocoreSageMaker().shapes.TrainingInstanceType!.enum!;
    expect(e.message).toBe(
      `1 validation error detected: Value 'ml.t2.medium' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  });

  it('says exactly what the model validator says for the same CreateTrainingJob', () => {
    const input = {
      TrainingJobName: 'a', RoleArn: 'arn:aws:iam::123456789012:role/r',
      AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'x' },
      OutputDataConfig: { S3OutputPath: 's3://b/p' },
      ResourceConfig: { InstanceType: 'ml.inf1.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 },
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
    };
    const fromValidator = thrown(() => validateInput(getServiceModel('sagemaker')!, 'CreateTrainingJob', input));
    const fromCatalog = thrown(() => assertInstanceTypeFor('training', 'ml.inf1.xlarge', 'resourceConfig.instanceType'));
    expect(fromCatalog.message).toBe(fromValidator.message);
  });

  it('accepts every member of the workload\'s enum, including non-ml values', () => {
    expect(() => assertInstanceTypeFor('hosting', 'ml.t2.medium', 'productionVariants.1.member.instanceType')).not.toThrow();
    expect(() => assertInstanceTypeFor('app', 'system', 'resourceSpec.instanceType')).not.toThrow();
    expect(thrown(() => assertInstanceTypeFor('transform', 'ml.t3.medium', 'transformResources.instanceType')).message)
      .toContain("Value 'ml.t3.medium' at 'transformResources.instanceType'");
  });
});

describe('assertAvailableIn', () => {
  it('throws ResourceLimitExceeded for a type the region does not offer', () => {
    const e = thrown(() => assertAvailableIn('training', 'ml.p5e.48xlarge', 'eu-west-1'));
    expect([e.code, e.status]).toEqual(['ResourceLimitExceeded', 400]);
    expect(e.message).toBe('The requested resource training-job/ml.p5e.48xlarge is not available in this region');
    expect(thrown(() => assertAvailableIn('app', 'ml.geospatial.interactive', 'us-east-1')).message)
      .toBe('The requested resource app/ml.geospatial.interactive is not available in this region');
  });

  it('passes offered types, non-ml values and regions the catalog does not price', () => {
    expect(() => assertAvailableIn('training', 'ml.p5e.48xlarge', 'us-east-1')).not.toThrow();
    expect(() => assertAvailableIn('app', 'ml.geospatial.interactive', 'us-west-2')).not.toThrow();
    expect(() => assertAvailableIn('app', 'system', 'eu-west-1')).not.toThrow();
    expect(() => assertAvailableIn('training', 'ml.p5e.48xlarge', 'sa-east-1')).not.toThrow();
  });
});
