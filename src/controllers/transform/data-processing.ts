import type { DataProcessing } from '../../generated/types/sagemaker.js';
import { applyJsonPath, parseJsonPath, type PathSegment } from './json-path.js';

/** A record's format for filtering and joining: CSV (fields split at ",", no quoting) or JSON. */
export type RecordFormat = 'csv' | 'json';

export const formatOf = (contentType: string | undefined): RecordFormat =>
  /json/i.test(contentType ?? '') ? 'json' : 'csv';

export class DataProcessingError extends Error {}

const parse = (text: string, format: RecordFormat): unknown => {
  if (format === 'csv') return text.split(',');
  try {
    return JSON.parse(text);
  } catch {
    throw new DataProcessingError(`the record is not valid JSON: ${text.slice(0, 100)}`);
  }
};

const serialize = (value: unknown, format: RecordFormat): string => {
  if (format === 'json') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
};

/**
 * DataProcessing of one job: InputFilter on each input record before it is sent; JoinSource
 * Input (the model's output for a record appended to the original record: CSV fields after the
 * input's fields, JSON under "SageMakerOutput" of an input object, or as the last element of an
 * input array) and OutputFilter on the joined (or bare) output.
 */
export class RecordProcessor {
  private readonly input?: PathSegment[];
  private readonly output?: PathSegment[];
  readonly join: boolean;

  constructor(dp: DataProcessing | undefined, private readonly inputFormat: RecordFormat, private readonly outputFormat: RecordFormat) {
    this.input = dp?.InputFilter && dp.InputFilter !== '$' ? parseJsonPath(dp.InputFilter) : undefined;
    this.output = dp?.OutputFilter && dp.OutputFilter !== '$' ? parseJsonPath(dp.OutputFilter) : undefined;
    this.join = dp?.JoinSource === 'Input';
  }

  /** Whether outputs must be matched record by record (join or output filter). */
  get perRecordOutput(): boolean {
    return this.join || this.output !== undefined;
  }

  filterInput(record: Buffer): Buffer {
    if (!this.input) return record;
    return Buffer.from(serialize(applyJsonPath(parse(record.toString('utf8'), this.inputFormat), this.input), this.inputFormat));
  }

  /** The output line for one record, after the join and the output filter. */
  processOutput(original: Buffer, output: string): string {
    let value: unknown;
    let format = this.outputFormat;
    if (this.join) {
      const input = parse(original.toString('utf8'), this.inputFormat);
      const out = parse(output, this.outputFormat);
      format = this.inputFormat;
      if (Array.isArray(input)) value = this.inputFormat === 'csv' ? [...input, ...(Array.isArray(out) ? out : [out])] : [...input, out];
      else if (input !== null && typeof input === 'object') value = { ...(input as Record<string, unknown>), SageMakerOutput: out };
      else throw new DataProcessingError('JoinSource Input needs a CSV record, a JSON object or a JSON array as input');
    } else {
      value = parse(output, this.outputFormat);
    }
    if (this.output) value = applyJsonPath(value, this.output);
    return serialize(value, format);
  }
}
