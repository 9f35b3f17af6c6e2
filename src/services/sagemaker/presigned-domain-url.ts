import { accessDenied, validationException } from '../../core/errors.js';
import type { CreatePresignedDomainUrlRequest } from '../../generated/types/sagemaker.js';
import { mintLoginToken } from '../../proxy/login-tokens.js';
import { studioEndpoint } from '../../proxy/studio-endpoint.js';
import { canSeeSpace, viewerOf } from '../../studio/visibility.js';
import type { OperationHandler } from '../service.js';
import { requireDomain } from './domains-doc.js';
import { requireSpace, spaceFacts } from './spaces-doc.js';
import { requireUserProfile } from './user-profiles-doc.js';

const DEFAULT_EXPIRES_S = 300;
const DEFAULT_SESSION_S = 43200;

/**
 * CreatePresignedDomainUrl: AuthorizedUrl = Clary's endpoint + /studio/<domain>/auth?token=…, a
 * one-time token (stored hashed) valid ExpiresInSeconds (5–300, default 300). Opening it starts a
 * browser session for the user profile of SessionExpirationDurationInSeconds (1800–43200, default
 * 43200) and lands on the space's app (docs/studio-apps.md). A user profile may mint URLs only for
 * itself, and only for spaces it may open; the admin (and roles allowed by IAM) for any user.
 */
export const createPresignedDomainUrl: OperationHandler<CreatePresignedDomainUrlRequest> = async (input, ctx) => {
  const { store } = ctx.platform;
  await requireDomain(ctx, input.DomainId);
  const profile = await requireUserProfile(ctx, input.DomainId, input.UserProfileName);
  const user = profile.doc.UserProfileName.toLowerCase();
  const viewer = viewerOf(ctx.principal);
  if (viewer.kind === 'user' && viewer.user.userProfileName !== user) {
    throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: sagemaker:CreatePresignedDomainUrl on resource: ${profile.arn} because a user profile may get presigned URLs only for itself`);
  }
  const expires = input.ExpiresInSeconds ?? DEFAULT_EXPIRES_S;
  if (expires < 5 || expires > 300) throw validationException('ExpiresInSeconds must be between 5 and 300.');
  const session = input.SessionExpirationDurationInSeconds ?? DEFAULT_SESSION_S;
  if (session < 1800 || session > 43200) throw validationException('SessionExpirationDurationInSeconds must be between 1800 and 43200.');
  if (input.LandingUri !== undefined && !/^(app:[A-Za-z]+:[^\s]*|studio::[^\s]*)$/.test(input.LandingUri)) {
    throw validationException(`LandingUri ${input.LandingUri} is not valid: use app:JupyterServer:, app:JupyterLab: or studio::.`);
  }
  if (input.SpaceName !== undefined) {
    const space = await requireSpace(ctx, input.DomainId, input.SpaceName);
    if (!canSeeSpace({ kind: 'user', user: { domainId: input.DomainId, userProfileName: user } }, spaceFacts(space.doc))) {
      throw validationException(`User profile ${profile.doc.UserProfileName} cannot open space ${space.doc.SpaceName}: it is a private space of ${space.doc.OwnershipSettings?.OwnerUserProfileName}.`);
    }
  }
  const endpoint = studioEndpoint(ctx.platform);
  if (!endpoint) throw validationException('Clary has no Studio endpoint yet; try again once it is up.');
  const now = ctx.platform.now();
  const token = await mintLoginToken(store, {
    domainId: input.DomainId, userProfileName: user, spaceName: input.SpaceName?.toLowerCase(), landingUri: input.LandingUri,
    expiresAt: now + expires * 1000, sessionSeconds: session,
  }, now);
  return { AuthorizedUrl: `${endpoint}/studio/${input.DomainId}/auth?token=${token}` };
};
