import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { HttpError } from '../http/HttpError';
import { deepLinkingClaims, LTI, resourceLinkClaims, type DeepLinkingClaims, type ResourceLinkClaims } from './claims';
import type { LaunchRepo } from './LaunchRepo';
import type { Platform, PlatformsRepo } from './PlatformsRepo';

export type Launch =
  | { kind: 'resource'; platform: Platform; claims: ResourceLinkClaims }
  | { kind: 'deep-linking'; platform: Platform; claims: DeepLinkingClaims };

/** Each platform's keys, fetched from its JWKS URL and cached by jose (refetched for an unknown kid). */
export class PlatformKeys {
  private readonly sets = new Map<string, { url: string; set: ReturnType<typeof createRemoteJWKSet> }>();

  of(platform: Platform): ReturnType<typeof createRemoteJWKSet> {
    const known = this.sets.get(platform.id);
    if (known?.url === platform.jwksUrl) return known.set;
    const set = createRemoteJWKSet(new URL(platform.jwksUrl), { timeoutDuration: 10_000, cooldownDuration: 30_000 });
    this.sets.set(platform.id, { url: platform.jwksUrl, set });
    return set;
  }
}

const refused = (why: string): HttpError => new HttpError(401, `This launch was refused: ${why}`, 'lti_refused');

/**
 * A launch as the LTI 1.3 core spec (§5.1.3) and the Security Framework (§5.1.3) say to check
 * it: the state was issued by our login and not used; the id_token is signed by a key of the
 * platform's JWKS, comes from its issuer, is meant for our client id (azp when there are
 * several audiences), has not expired, carries the login's nonce; the deployment is one the
 * instructor registered; the message type and LTI version are ones we handle.
 */
export async function verifyLaunch(
  input: { idToken: string; state: string },
  deps: { launches: LaunchRepo; platforms: PlatformsRepo; keys: PlatformKeys; now: number },
): Promise<Launch> {
  const login = deps.launches.spendLogin(input.state, deps.now);
  if (!login) throw refused('the sign-in has expired or was already used; open the activity from your course again');
  const platform = deps.platforms.get(login.platformId);
  if (!platform) throw refused('this LMS is no longer registered');

  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(input.idToken, deps.keys.of(platform), {
      issuer: platform.issuer,
      audience: platform.clientId,
      algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
      requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
      clockTolerance: 60,
    }));
  } catch (error) {
    throw refused(tokenProblem(error));
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== platform.clientId)
    throw refused('the id_token has several audiences and names another client as azp');
  if (payload.nonce !== login.nonce) throw refused('the id_token does not answer this sign-in (nonce)');

  const deployment = payload[`${LTI}deployment_id`];
  if (typeof deployment !== 'string' || !platform.deploymentIds.includes(deployment))
    throw refused('this deployment of the tool is not registered; add its deployment id to the LMS registration');
  if (payload[`${LTI}version`] !== '1.3.0') throw refused('only LTI version 1.3.0 is supported');

  const type = payload[`${LTI}message_type`];
  if (type === 'LtiResourceLinkRequest') {
    const claims = resourceLinkClaims.safeParse(payload);
    if (!claims.success) throw refused(`a claim is missing or malformed (${claimPath(claims.error)})`);
    return { kind: 'resource', platform, claims: claims.data };
  }
  if (type === 'LtiDeepLinkingRequest') {
    const claims = deepLinkingClaims.safeParse(payload);
    if (!claims.success) throw refused(`a claim is missing or malformed (${claimPath(claims.error)})`);
    return { kind: 'deep-linking', platform, claims: claims.data };
  }
  throw refused(`the message type ${JSON.stringify(type)} is not supported`);
}

function tokenProblem(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the id_token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the id_token's ${error.claim} claim is wrong`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the id_token signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return "no key of the LMS's JWKS signed the id_token";
  if (error instanceof errors.JOSEError) return `the id_token is not valid (${error.code})`;
  return 'the LMS keys could not be read';
}

function claimPath(error: { issues: readonly { path: readonly PropertyKey[] }[] }): string {
  return error.issues.map((issue) => issue.path.map(String).join('.')).join(', ');
}
