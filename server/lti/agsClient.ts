/** Assignment and Grade Services 2.0: posting a score, and finding or creating a line item. */
import { z } from 'zod';
import type { Platform } from './PlatformsRepo';
import { PlatformError, platformFetch, type PlatformTokens } from './platformTokens';

export interface Score {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: string;
  gradingProgress: string;
  /** Milliseconds since the epoch; sent as ISO 8601. */
  timestamp: number;
}

/** `{lineitem}/scores`, keeping the line item URL's query (Moodle puts the item id there). */
export function scoresUrl(lineItemUrl: string): string {
  const url = new URL(lineItemUrl);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

export async function postScore(
  tokens: PlatformTokens,
  platform: Platform,
  lineItemUrl: string,
  score: Score,
): Promise<void> {
  const token = await tokens.token(platform);
  const res = await platformFetch(scoresUrl(lineItemUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v1.score+json' },
    body: JSON.stringify({ ...score, timestamp: new Date(score.timestamp).toISOString() }),
  });
  if (res.status === 401) tokens.forget(platform.id);
  if (!res.ok) throw new PlatformError(res.status, `score answered HTTP ${res.status}`);
}

const lineItem = z.object({ id: z.url(), resourceLinkId: z.string().optional(), tag: z.string().optional() });

/**
 * The line item of a resource link when the launch named none (the link was added by hand, not
 * by deep linking): the first one the LMS lists for the link, else a new one.
 */
export async function lineItemFor(
  tokens: PlatformTokens,
  platform: Platform,
  lineItemsUrl: string,
  item: { resourceLinkId: string; label: string; scoreMaximum: number; tag: string },
): Promise<string> {
  const token = await tokens.token(platform);
  const list = new URL(lineItemsUrl);
  list.searchParams.set('resource_link_id', item.resourceLinkId);
  const found = await platformFetch(list.toString(), {
    headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' },
  });
  if (!found.ok) throw new PlatformError(found.status, `line items answered HTTP ${found.status}`);
  const items = z.array(lineItem).safeParse(await found.json().catch(() => undefined));
  const existing = items.success ? items.data.find((i) => i.resourceLinkId === item.resourceLinkId) : undefined;
  if (existing) return existing.id;
  const created = await platformFetch(lineItemsUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/vnd.ims.lis.v2.lineitem+json' },
    body: JSON.stringify(item),
  });
  if (!created.ok) throw new PlatformError(created.status, `creating a line item answered HTTP ${created.status}`);
  const parsed = lineItem.safeParse(await created.json().catch(() => undefined));
  if (!parsed.success) throw new PlatformError(502, 'the new line item has no id');
  return parsed.data.id;
}
