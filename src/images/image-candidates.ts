/**
 * The local tags an image URI may be found under, in lookup order:
 * 1. the URI exactly as given (an image tagged with its full ECR URI: `podman tag X 123….dkr.ecr.us-east-1.amazonaws.com/repo:tag`);
 * 2. for an ECR URI, the repository and tag alone (`repo:tag`), as built or imported locally;
 * 3. the same under `localhost/` (Podman names what `podman import`/`podman build` makes `localhost/<name>`).
 * A missing tag means `latest`. A digest reference (`repo@sha256:…`) is only looked up as given.
 */
const ECR = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/(.+)$/;

export interface ImageName {
  /** Registry host, when the name has one (`host.tld/…`, `host:port/…`, `localhost/…`). */
  readonly registry: string | undefined;
  /** Path without the registry, e.g. `team/trainer`. */
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImageName(uri: string): ImageName {
  const [withTag, digest] = uri.split('@', 2) as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  const tag = colon > slash ? withTag.slice(colon + 1) : undefined;
  const name = colon > slash ? withTag.slice(0, colon) : withTag;
  const first = name.split('/')[0]!;
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return { registry: hasRegistry ? first : undefined, repository: hasRegistry ? name.slice(first.length + 1) : name, tag, digest };
}

export function localCandidates(uri: string): string[] {
  const parsed = parseImageName(uri);
  if (parsed.digest) return [uri];
  const tag = parsed.tag ?? 'latest';
  const out = [parsed.tag ? uri : `${uri}:latest`];
  const ecr = ECR.exec(uri);
  const bare = ecr || !parsed.registry ? `${parsed.repository}:${tag}` : undefined;
  if (bare) out.push(bare, `localhost/${bare}`);
  return [...new Set(out)];
}
