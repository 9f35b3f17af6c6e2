import { validationException } from '../../core/errors.js';
import type { AddTagsInput, DeleteTagsInput, ListTagsInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { addTags, readTags, removeTags } from './tags-records.js';
import { requireByArn } from './tags-resource.js';

/**
 * AddTags / ListTags / DeleteTags for any SageMaker resource Clary holds, looked up by its ARN.
 * The model has already checked ≤ 50 tags per request, key/value lengths and patterns, and
 * ListTags' MaxResults ≥ 50.
 */

/** ListTags' page size when MaxResults is left out (the model's minimum). */
const DEFAULT_LIST_TAGS = 50;

const badToken = () => validationException('Invalid pagination token: pass the NextToken of the previous response unchanged.');

/** NextToken of ListTags: the ARN it pages and the offset of the next tag, base64url. */
const encodeToken = (arn: string, offset: number): string => Buffer.from(JSON.stringify(['tags', arn, offset]), 'utf8').toString('base64url');

function decodeToken(token: string, arn: string): number {
  if (!/^[A-Za-z0-9_-]{1,8192}$/.test(token)) throw badToken();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badToken();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 'tags' || parsed[1] !== arn) throw badToken();
  const offset = parsed[2];
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) throw badToken();
  return offset;
}

export const addTagsHandler: OperationHandler<AddTagsInput> = async (input, ctx) => {
  await requireByArn(ctx.platform, input.ResourceArn);
  const tags = await addTags(ctx.platform.store, input.ResourceArn, input.Tags, ctx.platform.now());
  return { Tags: tags };
};

export const listTagsHandler: OperationHandler<ListTagsInput> = async (input, ctx) => {
  await requireByArn(ctx.platform, input.ResourceArn);
  const tags = await readTags(ctx.platform.store, input.ResourceArn);
  const start = input.NextToken === undefined ? 0 : decodeToken(input.NextToken, input.ResourceArn);
  const end = start + (input.MaxResults ?? DEFAULT_LIST_TAGS);
  return { Tags: tags.slice(start, end), NextToken: end < tags.length ? encodeToken(input.ResourceArn, end) : undefined };
};

export const deleteTagsHandler: OperationHandler<DeleteTagsInput> = async (input, ctx) => {
  await requireByArn(ctx.platform, input.ResourceArn);
  await removeTags(ctx.platform.store, input.ResourceArn, input.TagKeys, ctx.platform.now());
  return {};
};
