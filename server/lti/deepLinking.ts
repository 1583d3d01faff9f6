import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LabModule } from '../../labkit/types';
import { HttpError } from '../http/HttpError';
import { DL, DL_SETTINGS, LTI, teaches, type DeepLinkingClaims } from './claims';
import type { Platform } from './PlatformsRepo';
import { TOOL_ALG, type ToolKeys } from './toolKeys';

interface Pick {
  platform: Platform;
  claims: DeepLinkingClaims;
  until: number;
}

const TTL_MS = 30 * 60_000;

/** An LTI resource link content item (Deep Linking 2.0 §3.4.1), with the line item it creates. */
export interface LinkItem {
  type: 'ltiResourceLink';
  title: string;
  url: string;
  custom: Record<string, string>;
  lineItem: { scoreMaximum: number; label: string; resourceId: string; tag: string };
}

/** The items an instructor picked: the whole lab as one graded item, or one per step. */
export function linkItems(lab: LabModule, perStep: boolean, launchUrl: string): LinkItem[] {
  if (!perStep)
    return [
      {
        type: 'ltiResourceLink',
        title: lab.title,
        url: launchUrl,
        custom: { lab: lab.id },
        lineItem: { scoreMaximum: lab.steps.length, label: lab.title, resourceId: lab.id, tag: 'lab' },
      },
    ];
  return lab.steps.map((step, i) => ({
    type: 'ltiResourceLink',
    title: `${lab.title}: ${i + 1}. ${step.title}`,
    url: launchUrl,
    custom: { lab: lab.id, step: step.id },
    lineItem: { scoreMaximum: 1, label: `${i + 1}. ${step.title}`, resourceId: `${lab.id}/${step.id}`, tag: step.id },
  }));
}

/**
 * Deep linking: a verified LtiDeepLinkingRequest from an instructor opens the picker; its form
 * comes back with the pick id (single use, no cookie needed inside the LMS's frame), and the
 * answer is a JWT signed with the tool's key, posted back to the LMS's return URL.
 */
export class DeepLinking {
  private readonly picks = new Map<string, Pick>();

  constructor(private readonly keys: ToolKeys) {}

  open(platform: Platform, claims: DeepLinkingClaims, now = Date.now()): string {
    if (!teaches(claims[`${LTI}roles`])) throw new HttpError(403, 'Only instructors can add labs to a course');
    if (!claims[DL_SETTINGS].accept_types.includes('ltiResourceLink'))
      throw new HttpError(400, 'This LMS does not accept LTI links here');
    for (const [id, pick] of this.picks) if (pick.until < now) this.picks.delete(id);
    const id = randomBytes(16).toString('base64url');
    this.picks.set(id, { platform, claims, until: now + TTL_MS });
    return id;
  }

  multipleAllowed(pickId: string): boolean {
    return this.picks.get(pickId)?.claims[DL_SETTINGS].accept_multiple !== false;
  }

  /** The signed answer and where to post it; the pick is spent. */
  async answer(pickId: string, items: LinkItem[], now = Date.now()): Promise<{ returnUrl: string; jwt: string }> {
    const pick = this.picks.get(pickId);
    this.picks.delete(pickId);
    if (!pick || pick.until < now)
      throw new HttpError(410, 'This choice has expired; start "Select content" again in the LMS');
    const settings = pick.claims[DL_SETTINGS];
    if (items.length > 1 && settings.accept_multiple === false)
      throw new HttpError(400, 'This LMS accepts one item here; choose the whole lab');
    const jwt = await new SignJWT({
      nonce: randomUUID(),
      [`${LTI}message_type`]: 'LtiDeepLinkingResponse',
      [`${LTI}version`]: '1.3.0',
      [`${LTI}deployment_id`]: pick.claims[`${LTI}deployment_id`],
      [`${DL}content_items`]: items,
      ...(settings.data === undefined ? {} : { [`${DL}data`]: settings.data }),
    })
      .setProtectedHeader({ alg: TOOL_ALG, kid: this.keys.kid, typ: 'JWT' })
      .setIssuer(pick.platform.clientId)
      .setAudience(pick.platform.issuer)
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti(randomUUID())
      .sign(this.keys.privateKey);
    return { returnUrl: settings.deep_link_return_url, jwt };
  }
}
