import { describe, expect, it } from 'vitest';
import { RecordProcessor } from './data-processing.js';

const b = (s: string) => Buffer.from(s);

describe('DataProcessing of one record', () => {
  it('CSV: InputFilter, then the join with the original record and the OutputFilter', () => {
    const p = new RecordProcessor({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' }, 'csv', 'csv');
    expect(String(p.filterInput(b('id7,1.5,2')))).toBe('1.5,2');
    expect(p.processOutput(b('id7,1.5,2'), '0.9')).toBe('id7,0.9');
  });

  it('JSON: the output joins an input object under SageMakerOutput, an input array as its last element', () => {
    const obj = new RecordProcessor({ InputFilter: '$.features', JoinSource: 'Input', OutputFilter: "$['id','SageMakerOutput']" }, 'json', 'json');
    expect(String(obj.filterInput(b('{"id":3,"features":[1,2]}')))).toBe('[1,2]');
    expect(obj.processOutput(b('{"id":3,"features":[1,2]}'), '{"score":0.5}')).toBe('{"id":3,"SageMakerOutput":{"score":0.5}}');
    const arr = new RecordProcessor({ JoinSource: 'Input' }, 'json', 'json');
    expect(arr.processOutput(b('[1,2]'), '7')).toBe('[1,2,7]');
  });

  it('no DataProcessing: records pass unchanged and outputs are not matched per record', () => {
    const p = new RecordProcessor(undefined, 'csv', 'csv');
    expect(p.perRecordOutput).toBe(false);
    expect(String(p.filterInput(b('a,b')))).toBe('a,b');
  });
});
