/**
 * The compact service model that scripts/gen-models.ts writes to src/generated/models/<svc>.json:
 * the official botocore model without documentation, keeping every member and constraint that
 * validation, serialisation and code generation need.
 */
export interface ServiceModel {
  readonly _generated?: string;
  readonly metadata: ServiceMetadata;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, ShapeModel>>;
}

export interface ServiceMetadata {
  readonly apiVersion: string;
  readonly endpointPrefix: string;
  /** json | rest-json | rest-xml | query | smithy-rpc-v2-cbor */
  readonly protocol: string;
  readonly protocols?: readonly string[];
  readonly serviceId: string;
  readonly serviceFullName?: string;
  readonly signingName?: string;
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  readonly xmlNamespace?: string;
  readonly uid?: string;
}

export interface OperationModel {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string; readonly responseCode?: number };
  readonly input?: ShapeRef;
  readonly output?: ShapeRef;
  /** Names of the error shapes the operation declares. */
  readonly errors?: readonly string[];
  readonly deprecated?: boolean;
}

export interface ShapeRef {
  readonly shape: string;
  readonly locationName?: string;
  readonly resultWrapper?: string;
  readonly xmlNamespace?: { readonly uri?: string };
}

export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob';

export interface MemberModel {
  readonly shape: string;
  readonly location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  readonly locationName?: string;
  readonly queryName?: string;
  readonly flattened?: boolean;
  readonly xmlAttribute?: boolean;
  readonly xmlNamespace?: { readonly prefix?: string; readonly uri?: string };
  readonly timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  readonly jsonvalue?: boolean;
  readonly idempotencyToken?: boolean;
  readonly hostLabel?: boolean;
  readonly streaming?: boolean;
  readonly eventpayload?: boolean;
  readonly deprecated?: boolean;
}

export interface ShapeModel {
  readonly type: ShapeType;
  readonly members?: Readonly<Record<string, MemberModel>>;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly pattern?: string;
  readonly min?: number;
  readonly max?: number;
  readonly member?: MemberModel;
  readonly key?: MemberModel;
  readonly value?: MemberModel;
  readonly flattened?: boolean;
  readonly locationName?: string;
  readonly timestampFormat?: 'iso8601' | 'rfc822' | 'unixTimestamp';
  readonly sensitive?: boolean;
  readonly union?: boolean;
  readonly payload?: string;
  readonly streaming?: boolean;
  readonly eventstream?: boolean;
  readonly event?: boolean;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
  readonly xmlNamespace?: { readonly uri?: string };
  readonly document?: boolean;
}
