/**
 * The platform's Assignment and Grade Services (LTI AGS): line items a tool lists and creates,
 * and the scores it posts to them, each call checked for a token of its scope.
 */
import express from 'express';
import { z } from 'zod';

export const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const LINE_ITEM_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';

export interface ReceivedScore {
  lineItem: string;
  status: number;
  body: {
    userId: string;
    scoreGiven: number;
    scoreMaximum: number;
    activityProgress: string;
    gradingProgress: string;
    timestamp: string;
  };
}

export interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  resourceLinkId?: string;
  tag?: string;
}

const scoreBody = z.object({
  userId: z.string().min(1),
  scoreGiven: z.number().min(0),
  scoreMaximum: z.number().positive(),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
  timestamp: z.iso.datetime({ offset: true }),
});

/** What the grade service keeps and checks, on the platform. */
export interface GradeServiceHost {
  readonly apiBase: string;
  readonly lineItems: LineItem[];
  readonly scores: ReceivedScore[];
  failScores: number[];
  authorized(req: express.Request, scope: string): boolean;
}

export function gradeServiceRoutes(app: express.Express, platform: GradeServiceHost): void {
  app.get('/lineitems', (req, res) => {
    if (!platform.authorized(req, LINE_ITEM_SCOPE)) return void res.status(401).end();
    const link = req.query.resource_link_id;
    res.json(platform.lineItems.filter((item) => link === undefined || item.resourceLinkId === link));
  });
  app.post('/lineitems', express.json({ type: 'application/vnd.ims.lis.v2.lineitem+json' }), (req, res) => {
    if (!platform.authorized(req, LINE_ITEM_SCOPE)) return void res.status(401).end();
    const body = req.body as Omit<LineItem, 'id'>;
    const item = { ...body, id: `${platform.apiBase}/lineitems/${platform.lineItems.length + 1}` };
    platform.lineItems.push(item);
    res.status(201).json(item);
  });
  app.post('/lineitems/:n/scores', express.json({ type: 'application/vnd.ims.lis.v1.score+json' }), (req, res) => {
    if (!platform.authorized(req, SCORE_SCOPE)) return void res.status(401).end();
    const lineItem = `${platform.apiBase}/lineitems/${req.params.n}`;
    const body = scoreBody.safeParse(req.body);
    const status = !body.success
      ? 400
      : !platform.lineItems.some((i) => i.id === lineItem)
        ? 404
        : (platform.failScores.shift() ?? 200);
    platform.scores.push({ lineItem, status, body: req.body as ReceivedScore['body'] });
    res.status(status).end();
  });
}
