import type { Principal } from '../../core/principal.js';

/** Resolves an access key id to its secret and principal (backed by the metadata store). */
export interface KeyResolver {
  resolve(accessKeyId: string): Promise<ResolvedKey | undefined>;
}

export interface ResolvedKey {
  readonly secretAccessKey: string;
  readonly principal: Principal;
  /** Temporary credentials: the request must carry the session token (x-amz-security-token) before expiry. */
  readonly session?: { readonly tokenSha256: string; readonly expiresAt: number };
}

/** Which family of error codes to answer with: each AWS protocol family names auth failures differently. */
export type AuthFamily = 'json' | 'rest-json' | 'query' | 's3';

/** How the payload was signed (S3's x-amz-content-sha256; other services: the hash of the buffered body). */
export type PayloadMode =
  | { readonly kind: 'hash'; readonly sha256: string }
  | { readonly kind: 'unsigned' }
  | { readonly kind: 'streaming-signed'; readonly trailer: boolean }
  | { readonly kind: 'streaming-unsigned-trailer' };

export interface AuthResult {
  readonly principal: Principal;
  readonly payload: PayloadMode;
  /** For streaming-signed payloads: what chunk signatures chain from. */
  readonly signing?: {
    readonly signingKey: Buffer;
    readonly amzDate: string;
    readonly scope: string;
    readonly seedSignature: string;
  };
  /** Whether it came from a presigned query string. */
  readonly presigned: boolean;
}

export interface AuthOptions {
  readonly keys: KeyResolver;
  readonly family: AuthFamily;
  /** Epoch ms. */
  readonly now: number;
  readonly clockSkewSeconds: number;
  /** For non-S3 services: the hex SHA-256 of the already-buffered body. */
  readonly bodySha256?: string;
}
