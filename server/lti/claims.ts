/**
 * The LTI 1.3 claims the tool reads, checked with zod after the id_token's signature, issuer,
 * audience and expiry were verified: a launch that lacks one or carries the wrong shape is
 * refused with the claim's name, never half-used.
 */
import { z } from 'zod';
import { displayNameSchema } from '../classroom/displayName';

export const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
export const AGS_ENDPOINT = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
export const DL_SETTINGS = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';
export const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';
export const SCOPE_SCORE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const SCOPE_LINE_ITEM = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
export const SCOPE_LINE_ITEM_READ = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly';

const text = z.string().min(1).max(1024);
const url = z.url().max(2048);

const common = z.object({
  sub: text,
  nonce: text,
  name: z.string().max(200).optional(),
  given_name: z.string().max(200).optional(),
  family_name: z.string().max(200).optional(),
  [`${LTI}version`]: z.literal('1.3.0'),
  [`${LTI}deployment_id`]: text,
  [`${LTI}roles`]: z.array(z.string().max(512)).max(100),
  [`${LTI}context`]: z.object({
    id: text,
    title: z.string().max(500).optional(),
    label: z.string().max(200).optional(),
  }),
  [`${LTI}custom`]: z.record(z.string(), z.unknown()).optional(),
});

export const resourceLinkClaims = common.extend({
  [`${LTI}message_type`]: z.literal('LtiResourceLinkRequest'),
  [`${LTI}resource_link`]: z.object({ id: text, title: z.string().max(500).optional() }),
  [`${LTI}target_link_uri`]: url,
  [AGS_ENDPOINT]: z
    .object({ scope: z.array(z.string()).max(20), lineitem: url.optional(), lineitems: url.optional() })
    .optional(),
});

export const deepLinkingClaims = common.extend({
  [`${LTI}message_type`]: z.literal('LtiDeepLinkingRequest'),
  [DL_SETTINGS]: z.object({
    deep_link_return_url: url,
    accept_types: z.array(z.string()).max(20),
    accept_multiple: z.boolean().optional(),
    data: z.string().max(4096).optional(),
  }),
});

export type ResourceLinkClaims = z.infer<typeof resourceLinkClaims>;
export type DeepLinkingClaims = z.infer<typeof deepLinkingClaims>;

/** LIS roles that get the dashboard instead of a lab: instructors, teaching assistants, admins. */
const TEACHING_ROLES = [
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
  'http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
  'http://purl.imsglobal.org/vocab/lis/v2/membership#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator',
  'http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator',
];

export function teaches(roles: readonly string[]): boolean {
  return roles.some((role) => TEACHING_ROLES.includes(role));
}

/** What the LMS knows the person as, held to the rules of a name typed on the join page. */
export function displayNameOf(claims: { name?: string; given_name?: string; family_name?: string }): string {
  const full = claims.name ?? [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  const name = displayNameSchema.safeParse(full.slice(0, 40));
  return name.success ? name.data : 'LMS learner';
}

/** A custom parameter as text (Moodle and Canvas send them as strings). */
export function customText(custom: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = custom?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
