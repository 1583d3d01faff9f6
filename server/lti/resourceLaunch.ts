import type { LabCatalog } from '../../labkit/catalog';
import type { ClassroomService } from '../classroom/ClassroomService';
import { newLearnerId } from '../classroom/ids';
import { HttpError } from '../http/HttpError';
import type { Log } from '../log/Log';
import { lineItemFor } from './agsClient';
import {
  AGS_ENDPOINT,
  customText,
  displayNameOf,
  LTI,
  SCOPE_LINE_ITEM,
  SCOPE_SCORE,
  teaches,
  type ResourceLinkClaims,
} from './claims';
import type { Handoff } from './Handoffs';
import type { LaunchRepo } from './LaunchRepo';
import type { Platform } from './PlatformsRepo';
import type { PlatformTokens } from './platformTokens';

export interface ResourceLaunchDeps {
  catalog: LabCatalog;
  service: ClassroomService;
  launches: LaunchRepo;
  tokens: PlatformTokens;
  log: Log;
  /** Queues the learner's current scores (a line item seen for the first time gets what was already passed). */
  queueScores(learnerId: string): void;
}

/**
 * A verified resource-link launch becomes someone here: the LMS course (context) is a class of
 * the link's lab, created on its first launch; an instructor or TA gets its dashboard; anyone
 * else is the class's learner for their LMS user id, with no join code, and their scores go
 * to the link's line item.
 */
export async function acceptResourceLaunch(
  platform: Platform,
  claims: ResourceLinkClaims,
  deps: ResourceLaunchDeps,
): Promise<Handoff> {
  const custom = claims[`${LTI}custom`];
  const labs = deps.catalog.list();
  const labId = customText(custom, 'lab') ?? (labs.length === 1 ? labs[0]?.id : undefined);
  const lab = labId ? deps.catalog.get(labId) : undefined;
  if (!lab)
    throw new HttpError(400, 'This course link names no lab here; add it again with "Select content" (deep linking)');
  const stepId = customText(custom, 'step') ?? null;
  if (stepId !== null && !lab.steps.some((step) => step.id === stepId))
    throw new HttpError(400, `This course link names a step the lab does not have (${stepId})`);

  const context = claims[`${LTI}context`];
  const { store } = deps.service;
  const classId = store.transaction(() => {
    const known = deps.launches.classOf(platform.id, context.id, lab.id);
    if (known) return known;
    const course = context.title ?? context.label ?? 'LMS course';
    const { row } = deps.service.createClass(`${course} · ${lab.title}`.slice(0, 120), lab.id);
    deps.launches.linkClass(platform.id, context.id, lab.id, row.id);
    return row.id;
  });
  if (teaches(claims[`${LTI}roles`])) return { kind: 'instructor', classId };

  const learnerId = store.transaction(() => {
    const known = deps.launches.learnerOf(platform.id, claims.sub, classId);
    if (known) return known;
    const learner = store.learners.create({
      id: newLearnerId(),
      displayName: displayNameOf(claims),
      classId,
      createdAt: Date.now(),
    });
    deps.launches.linkLearner(platform.id, claims.sub, classId, learner.id);
    return learner.id;
  });
  deps.service.changes.notify(learnerId);

  const lineItemUrl = await lineItemOf(
    platform,
    claims,
    { labTitle: lab.title, steps: lab.steps.length, stepId },
    deps,
  );
  if (lineItemUrl) {
    deps.launches.saveLineItem({ learnerId, lineItemUrl, platformId: platform.id, labId: lab.id, stepId });
    deps.queueScores(learnerId);
  }
  return { kind: 'learner', learnerId, labId: lab.id };
}

/** The line item the launch names, else (when the LMS lets the tool manage them) the link's own. */
async function lineItemOf(
  platform: Platform,
  claims: ResourceLinkClaims,
  item: { labTitle: string; steps: number; stepId: string | null },
  deps: ResourceLaunchDeps,
): Promise<string | undefined> {
  const ags = claims[AGS_ENDPOINT];
  if (!ags?.scope.includes(SCOPE_SCORE)) return undefined;
  if (ags.lineitem) return ags.lineitem;
  if (!ags.lineitems || !ags.scope.includes(SCOPE_LINE_ITEM)) return undefined;
  const link = claims[`${LTI}resource_link`];
  try {
    return await lineItemFor(deps.tokens, platform, ags.lineitems, {
      resourceLinkId: link.id,
      label: link.title ?? item.labTitle,
      scoreMaximum: item.stepId === null ? item.steps : 1,
      tag: item.stepId ?? 'lab',
    });
  } catch (error) {
    // The lab still opens; the next launch of the link tries again.
    deps.log(`LTI: no line item for link ${link.id} of ${platform.name}: ${String(error)}`, 'warn');
    return undefined;
  }
}
