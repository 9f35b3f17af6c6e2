import { describe, expect, it } from 'vitest';
import { ServiceError } from '../core/errors.js';
import { getServiceModel, validateInput, type ServiceModel } from './index.js';

const sagemaker = getServiceModel('sagemaker')!;
const sts = getServiceModel('sts')!;
const iam = getServiceModel('iam')!;

function failure(model: ServiceModel, op: string, input: Record<string, unknown>): ServiceError {
  try {
    validateInput(model, op, input);
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    return e as ServiceError;
  }
  throw new Error(`${op} accepted ${JSON.stringify(input).slice(0, 200)}`);
}

/** A small model for the constraint kinds the real models use only in combination. */
const fixture: ServiceModel = {
  metadata: { apiVersion: '1', endpointPrefix: 'x', protocol: 'json', serviceId: 'X' },
  operations: { Op: { name: 'Op', http: { method: 'POST', requestUri: '/' }, input: { shape: 'In' } } },
  shapes: {
    In: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'Name' },
        Secret: { shape: 'Secret' },
        Ratio: { shape: 'Ratio' },
        Env: { shape: 'Env' },
        Items: { shape: 'Items' },
        Data: { shape: 'Data' },
        When: { shape: 'When' },
        Flag: { shape: 'Flag' },
        Labels: { shape: 'Labels' },
        Nested: { shape: 'In' },
      },
    },
    Name: { type: 'string', min: 1, max: 5, pattern: '[a-z]+' },
    Secret: { type: 'string', max: 3, sensitive: true },
    Ratio: { type: 'double', min: 0, max: 1 },
    Env: { type: 'map', key: { shape: 'Key' }, value: { shape: 'Val' }, max: 2 },
    Key: { type: 'string', min: 1, max: 3 },
    Val: { type: 'string', max: 16 },
    Items: { type: 'list', member: { shape: 'Name' }, min: 1 },
    Data: { type: 'blob', max: 2 },
    When: { type: 'timestamp' },
    Flag: { type: 'boolean' },
    Labels: { type: 'map', key: { shape: 'Val' }, value: { shape: 'Val' } },
  },
};

describe('validateInput: constraint messages (Coral format)', () => {
  it('reports a pattern violation and a missing required member together, sorted by member name', () => {
    const e = failure(sagemaker, 'DescribeTrainingJob', { TrainingJobName: 'bad_name' });
    expect(e.code).toBe('ValidationException');
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      "1 validation error detected: Value 'bad_name' at 'trainingJobName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}',
    );
    const two = failure(sagemaker, 'CreateEndpoint', { EndpointName: 'ok' });
    expect(two.message).toBe(
      "1 validation error detected: Value null at 'endpointConfigName' failed to satisfy constraint: Member must not be null",
    );
  });

  it('length, range and enum phrasings', () => {
    const e = failure(sagemaker, 'ListTrainingJobs', { MaxResults: 1000, SortBy: 'Nope', NameContains: 'x'.repeat(64) });
    expect(e.message).toBe(
      '3 validation errors detected: ' +
        "Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100; " +
        "Value 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' at 'nameContains' failed to satisfy constraint: Member must have length less than or equal to 63; " +
        "Value 'Nope' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [Name, CreationTime, Status]",
    );
    const min = failure(fixture, 'Op', { Name: '', Ratio: -0.5 });
    expect(min.message).toBe(
      '3 validation errors detected: ' +
        "Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value '' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+; " +
        "Value '-0.5' at 'ratio' failed to satisfy constraint: Member must have value greater than or equal to 0",
    );
  });

  it('paths into lists of structures are 1-based with ".member"', () => {
    const e = failure(sagemaker, 'AddTags', {
      ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/x',
      Tags: [{ Key: 'ok', Value: 'v' }, { Key: 'k' }, null],
    });
    expect(e.message).toBe(
      "2 validation errors detected: Value null at 'tags.2.member.value' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'tags.3.member' failed to satisfy constraint: Member must not be null",
    );
    const deep = failure(sagemaker, 'CreateTrainingJob', {
      TrainingJobName: 'j',
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'img' },
      OutputDataConfig: { S3OutputPath: 's3://b/o' },
      ResourceConfig: { InstanceType: 'local', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 60 },
      InputDataConfig: [{ ChannelName: 'train', DataSource: {} }, { ChannelName: 'bad name', DataSource: {} }],
    });
    expect(deep.message).toContain("Value 'bad name' at 'inputDataConfig.2.member.channelName' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9\\.\\-_]+");
    expect(deep.message).toMatch(/Value 'local' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: \[ml\.m4\.xlarge, /);
  });

  it('lists of simple values and maps are reported once for the collection', () => {
    const e = failure(sagemaker, 'DeleteTags', { ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/m', TagKeys: ['', 'ok'] });
    expect(e.message).toBe(
      "1 validation error detected: Value '[, ok]' at 'tagKeys' failed to satisfy constraint: Member must satisfy constraint: " +
        '[Member must have length less than or equal to 128, Member must have length greater than or equal to 1, ' +
        'Member must satisfy regular expression pattern: ([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)]',
    );
    const m = failure(fixture, 'Op', { Name: 'a', Env: { abcd: 'v', b: 'much-too-long-value', c: 'x' } });
    expect(m.message).toBe(
      '3 validation errors detected: ' +
        "Value '{abcd=v, b=much-too-long-value, c=x}' at 'env' failed to satisfy constraint: Member must have length less than or equal to 2; " +
        "Value '{abcd=v, b=much-too-long-value, c=x}' at 'env' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 3, Member must have length greater than or equal to 1]; " +
        "Value '{abcd=v, b=much-too-long-value, c=x}' at 'env' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 16]",
    );
  });

  it('hides sensitive values, prints blobs as Java buffers and doubles with ".0"', () => {
    const e = failure(fixture, 'Op', { Name: 'a', Secret: 'hunter2', Data: 'AAAA', Ratio: 2 });
    expect(e.message).toBe(
      '3 validation errors detected: ' +
        "Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3; " +
        "Value '2.0' at 'ratio' failed to satisfy constraint: Member must have value less than or equal to 1; " +
        "Value 'java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]' at 'data' failed to satisfy constraint: Member must have length less than or equal to 2",
    );
  });

  it('stops at 10 violations', () => {
    const e = failure(fixture, 'Op', { Name: 'a', Items: Array.from({ length: 30 }, () => '') });
    expect(e.message.startsWith('1 validation error detected')).toBe(true);
    const many = { Name: 'A', Nested: { Name: 'B', Nested: { Name: 'C', Nested: { Name: 'D', Nested: { Name: 'E', Nested: { Name: 'F', Nested: { Name: 'G', Nested: { Name: 'H', Nested: { Name: 'I', Nested: { Name: 'J', Nested: { Name: 'K', Nested: { Name: 'L' } } } } } } } } } } } };
    const ten = failure(fixture, 'Op', many);
    expect(ten.message.startsWith('10 validation errors detected: ')).toBe(true);
    expect(ten.message.split('; ')).toHaveLength(10);
  });
});

describe('validateInput: types', () => {
  it('returns the input with model types and without unknown members', () => {
    const out = validateInput(fixture, 'Op', { Name: 'ab', When: 1700000000.5, Data: 'AAE=', Flag: true, Ratio: 0.5, Unknown: { x: 1 } });
    expect(out).toEqual({ Name: 'ab', When: new Date(1700000000500), Data: Buffer.from([0, 1]), Flag: true, Ratio: 0.5 });
    expect(validateInput(sagemaker, 'ListTrainingJobs', { MaxResults: 10.9 })).toEqual({ MaxResults: 10 });
    expect(validateInput(sagemaker, 'ListTrainingJobs', { CreationTimeAfter: '2024-01-02T03:04:05Z' })).toEqual({ CreationTimeAfter: new Date('2024-01-02T03:04:05Z') });
  });

  it('type mismatches are SerializationException', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ MaxResults: '10' }, 'class java.lang.String can not be converted to an Integer'],
      [{ MaxResults: true }, 'class java.lang.Boolean can not be converted to an Integer'],
      [{ NameContains: 5 }, 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String'],
      [{ NameContains: ['a'] }, 'Start of list found where not expected'],
      [{ NameContains: { a: 1 } }, 'Start of structure or map found where not expected.'],
      [{ CreationTimeAfter: 'yesterday' }, "'yesterday' can not be converted to milliseconds since epoch"],
    ];
    for (const [input, message] of cases) {
      const e = failure(sagemaker, 'ListTrainingJobs', input);
      expect([e.code, e.status, e.message]).toEqual(['SerializationException', 400, message]);
    }
    expect(failure(sagemaker, 'AddTags', { ResourceArn: 'a', Tags: { Key: 'k' } }).message).toBe('Start of structure or map found where not expected.');
    expect(failure(sagemaker, 'AddTags', { ResourceArn: 'a', Tags: 'k' }).message).toBe('Expected list or null');
    expect(failure(fixture, 'Op', { Name: 'a', Data: 'not base64!' }).code).toBe('SerializationException');
    expect(failure(fixture, 'Op', { Name: 'a', Flag: 'yes' }).message).toBe("'YES' can not be converted to an Boolean");
  });

  it('JSON null counts as absent', () => {
    expect(validateInput(sagemaker, 'ListTrainingJobs', { MaxResults: null })).toEqual({});
    expect(failure(sagemaker, 'DescribeTrainingJob', { TrainingJobName: null }).message).toContain("Value null at 'trainingJobName'");
  });
});

describe('validateInput: query protocol coercion', () => {
  it('coerces strings, .member.N lists and .entry.N maps, and calls the error ValidationError', () => {
    const out = validateInput(sts, 'AssumeRole', {
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      RoleSessionName: 'sess',
      DurationSeconds: '900',
      Tags: { member: { '2': { Key: 'b', Value: '2' }, '1': { Key: 'a', Value: '1' }, x: { Key: 'ignored' } } },
      TransitiveTagKeys: { member: { '1': 'a' } },
    });
    expect(out).toEqual({
      RoleArn: 'arn:aws:iam::000000000000:role/r',
      RoleSessionName: 'sess',
      DurationSeconds: 900,
      Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }],
      TransitiveTagKeys: ['a'],
    });
    const e = failure(sts, 'AssumeRole', { RoleArn: 'arn:aws:iam::000000000000:role/r', RoleSessionName: 'a:b', DurationSeconds: '899' });
    expect(e.code).toBe('ValidationError');
    expect(e.message).toBe(
      "2 validation errors detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900; " +
        "Value 'a:b' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    );
  });

  it('an empty list parameter is an empty list; bad numbers are InvalidParameterValue', () => {
    expect(validateInput(iam, 'ListRoles', { MaxItems: '10', PathPrefix: '/' })).toEqual({ MaxItems: 10, PathPrefix: '/' });
    const out = validateInput(iam, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{}', Tags: '' });
    expect(out.Tags).toEqual([]);
    const e = failure(iam, 'ListRoles', { MaxItems: 'ten' });
    expect([e.code, e.status]).toEqual(['InvalidParameterValue', 400]);
    expect(failure(sts, 'AssumeRole', { RoleArn: { nested: 'x' }, RoleSessionName: 'sess' }).code).toBe('InvalidParameterValue');
  });
});

describe('validateInput: hostile input', () => {
  it('deep nesting is refused without blowing the stack', () => {
    let deep: Record<string, unknown> = { Name: 'a' };
    for (let i = 0; i < 50_000; i++) deep = { Name: 'a', Nested: deep };
    const e = failure(fixture, 'Op', deep);
    expect(e.code).toBe('SerializationException');
    let q: Record<string, unknown> = {};
    for (let i = 0; i < 50_000; i++) q = { member: { '1': q } };
    expect(() => validateInput(iam, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{}', Tags: q })).toThrow(ServiceError);
  });

  it('a 1 MB string gets a length error with a bounded message', () => {
    const e = failure(sagemaker, 'DescribeTrainingJob', { TrainingJobName: 'a'.repeat(1 << 20) });
    expect(e.message).toMatch(/^1 validation error detected: Value 'a{2048}\.\.\.' at 'trainingJobName' failed to satisfy constraint: Member must have length less than or equal to 63$/);
  });

  it('odd Unicode is checked by UTF-16 length and the u-flag patterns', () => {
    expect(() => validateInput(sagemaker, 'DescribeTrainingJob', { TrainingJobName: '\u{1F600}' })).toThrow(/regular expression pattern/);
    const out = validateInput(sagemaker, 'AddTags', { ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/m', Tags: [{ Key: 'Ünï 名', Value: 'ẞ ٣ _' }] });
    expect(out.Tags).toEqual([{ Key: 'Ünï 名', Value: 'ẞ ٣ _' }]);
    const lone = failure(sagemaker, 'AddTags', { ResourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:model/m', Tags: [{ Key: 'k', Value: '\u0000\uD800' }] });
    expect(lone.message).toContain("at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern");
    expect(failure(fixture, 'Op', { Name: 'a'.repeat(4), Secret: '😀😀' }).message).toContain("Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 3");
  });

  it('prototype-pollution keys stay plain data', () => {
    const input = JSON.parse('{"Name":"a","__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}},"Labels":{"__proto__":"v","constructor":"c"}}');
    const out = validateInput(fixture, 'Op', input);
    expect(Object.keys(out)).toEqual(['Name', 'Labels']);
    const env = out.Labels as Record<string, unknown>;
    expect(Object.getPrototypeOf(env)).toBe(Object.prototype);
    expect(Object.keys(env)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const q = validateInput(iam, 'TagRole', { RoleName: 'r', Tags: { member: { '1': { Key: '__proto__', Value: 'v' } } }, __proto__: 'x' });
    expect(q).toEqual({ RoleName: 'r', Tags: [{ Key: '__proto__', Value: 'v' }] });
  });
});

describe('getServiceModel', () => {
  it('loads each generated model once and refuses odd names', () => {
    expect(getServiceModel('sagemaker')).toBe(sagemaker);
    expect(getServiceModel('../models/sagemaker')).toBeUndefined();
    expect(getServiceModel('no-such-service')).toBeUndefined();
  });

  it('operation names from the wire never reach Object.prototype', () => {
    for (const op of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(sagemaker.operations[op]).toBeUndefined();
      expect(validateInput(sagemaker, op, {})).toEqual({});
    }
  });
});

describe('validateInput: protocol override', () => {
  it('coerces query strings for a model whose first protocol is not query (CloudWatch)', () => {
    const cw = getServiceModel('cloudwatch')!;
    expect(cw.metadata.protocol).not.toBe('query');
    const out = validateInput(cw, 'ListMetrics', { Namespace: 'AWS/EC2', RecentlyActive: 'PT3H', IncludeLinkedAccounts: 'true' }, { protocol: 'query' });
    expect(out).toEqual({ Namespace: 'AWS/EC2', RecentlyActive: 'PT3H', IncludeLinkedAccounts: true });
    expect(() => validateInput(cw, 'ListMetrics', { IncludeLinkedAccounts: 'true' })).toThrow(/can not be converted to an Boolean/);
  });
});
