import { validationException } from '../../core/errors.js';
import type { ListQuery, SortKey } from '../../store/metadata-store.js';

/**
 * SageMaker's List* conventions (MaxResults 1..100 default 10, NextToken, SortBy, SortOrder,
 * NameContains, Creation/LastModifiedTime windows, StatusEquals) mapped onto a store ListQuery.
 * The model validator has already checked types and ranges.
 */
export interface ListInput {
  MaxResults?: number;
  NextToken?: string;
  SortBy?: string;
  SortOrder?: 'Ascending' | 'Descending';
  NameContains?: string;
  CreationTimeAfter?: Date;
  CreationTimeBefore?: Date;
  LastModifiedTimeAfter?: Date;
  LastModifiedTimeBefore?: Date;
  StatusEquals?: string;
}

const SORT_KEYS: Record<string, SortKey> = {
  Name: 'name',
  CreationTime: 'creationTime',
  Status: 'status',
  LastModifiedTime: 'lastModifiedTime',
};

export function toListQuery(
  kind: string,
  input: ListInput,
  defaults: { sortBy: string; sortOrder: 'Ascending' | 'Descending'; parent?: string },
): ListQuery {
  const sortBy = SORT_KEYS[input.SortBy ?? defaults.sortBy];
  if (!sortBy) throw validationException(`SortBy ${input.SortBy} is not supported for this operation.`);
  return {
    kind,
    parent: defaults.parent,
    nameContains: input.NameContains,
    statusEquals: input.StatusEquals,
    creationTimeAfter: input.CreationTimeAfter?.getTime(),
    creationTimeBefore: input.CreationTimeBefore?.getTime(),
    lastModifiedTimeAfter: input.LastModifiedTimeAfter?.getTime(),
    lastModifiedTimeBefore: input.LastModifiedTimeBefore?.getTime(),
    sortBy,
    sortOrder: (input.SortOrder ?? defaults.sortOrder) === 'Ascending' ? 'asc' : 'desc',
    limit: input.MaxResults ?? 10,
    cursor: input.NextToken,
  };
}
