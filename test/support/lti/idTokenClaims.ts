import { randomUUID } from 'node:crypto';
import type { CryptoKey } from 'jose';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';

export const LEARNER_ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
export const INSTRUCTOR_ROLE = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/** One launch the test platform will answer: who, from which link, and any deliberate fault. */
export interface LaunchSpec {
  user: { sub: string; name: string; roles: string[] };
  kind?: 'resource' | 'deep-linking';
  link?: { id: string; title: string; custom?: Record<string, string>; lineItem?: string };
  /** Whether the launch offers AGS (lineitems URL, score and line item scopes). */
  ags?: boolean;
  deploymentId?: string;
  contextId?: string;
  /** Changes the claims before signing (a wrong audience, an expired token…). */
  tamper?: (claims: Record<string, unknown>) => Record<string, unknown>;
  /** Signs with another key (a forger's). */
  signWith?: CryptoKey;
}

interface PlatformFacts {
  issuer: string;
  clientId: string;
  deploymentId: string;
  apiBase: string;
  pageBase: string;
  tool: { launch: string };
}

/** The id_token claims of LTI Core 1.3 §5.3 (resource link) or Deep Linking 2.0 §4.4 (deep linking). */
export function idTokenClaims(p: PlatformFacts, spec: LaunchSpec, nonce: string): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  const common = {
    iss: p.issuer,
    aud: p.clientId,
    sub: spec.user.sub,
    iat: now,
    exp: now + 300,
    nonce,
    jti: randomUUID(),
    name: spec.user.name,
    [`${LTI}version`]: '1.3.0',
    [`${LTI}deployment_id`]: spec.deploymentId ?? p.deploymentId,
    [`${LTI}roles`]: spec.user.roles,
    [`${LTI}context`]: { id: spec.contextId ?? 'course-1', title: 'Firewalls 101', label: 'FW101' },
  };
  if (spec.kind === 'deep-linking')
    return {
      ...common,
      [`${LTI}message_type`]: 'LtiDeepLinkingRequest',
      'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': {
        deep_link_return_url: `${p.pageBase}/deep-link-return`,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        data: 'opaque-platform-data',
      },
    };
  const link = spec.link ?? { id: 'link-1', title: 'iptables lab' };
  return {
    ...common,
    [`${LTI}message_type`]: 'LtiResourceLinkRequest',
    [`${LTI}target_link_uri`]: p.tool.launch,
    [`${LTI}resource_link`]: { id: link.id, title: link.title },
    ...(link.custom ? { [`${LTI}custom`]: link.custom } : {}),
    ...(spec.ags === false
      ? {}
      : {
          'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
            scope: [
              'https://purl.imsglobal.org/spec/lti-ags/scope/score',
              'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
            ],
            lineitems: `${p.apiBase}/lineitems`,
            ...(link.lineItem ? { lineitem: link.lineItem } : {}),
          },
        }),
  };
}
