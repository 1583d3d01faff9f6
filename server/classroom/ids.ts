import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sha256Hex } from '../store/sha256';

/** Class ids and learner ids are random, so knowing one never helps guess another. */
export const newClassId = (): string => randomBytes(8).toString('hex');
export const newLearnerId = (): string => `l-${randomBytes(9).toString('hex')}`;
export const newApiToken = (): string => randomBytes(24).toString('base64url');
/** How a class API token is kept at rest. */
export const apiTokenHash = (token: string): string => `sha256:${sha256Hex(token)}`;

export const classIdSchema = z.string().regex(/^[a-f0-9]{16}$/, 'Not a class id');
export const learnerIdSchema = z.string().regex(/^[a-z0-9-]{6,64}$/, 'Not a learner id');
export const machineIdSchema = z.string().regex(/^[a-z0-9-]{1,32}$/, 'Not a machine id');
