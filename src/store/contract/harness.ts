import type { MetadataStore, NewResource } from '../metadata-store.js';

export interface FreshStore {
  /** A store on a new, empty database; not migrated. */
  readonly store: MetadataStore;
  /** Opens another, independent connection (as a second process would) to the same database. */
  another(): Promise<MetadataStore>;
}

export interface StoreHarness {
  fresh(): Promise<FreshStore>;
  /** Removes every database the harness made (stores are closed by the suite first). */
  dispose(): Promise<void>;
}

export interface ContractContext {
  /** The suite's shared, migrated store. Tests isolate themselves by kind / name. */
  store(): MetadataStore;
  /** A second connection to the shared store's database. */
  another(): Promise<MetadataStore>;
  fresh(): Promise<FreshStore>;
}

let counter = 0;
/** A kind no other test uses. */
export const uniqueKind = (label: string): string => `${label}-${process.pid}-${++counter}`;

export function resource(kind: string, id: string, over: Partial<NewResource<unknown>> = {}): NewResource<unknown> {
  return {
    kind,
    id,
    name: id,
    arn: `arn:aws:sagemaker:us-east-1:000000000000:${kind}/${id}`,
    parent: null,
    status: 'InProgress',
    creationTime: 1_700_000_000_000,
    doc: { id },
    ...over,
  };
}
