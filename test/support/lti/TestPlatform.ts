/**
 * An LTI 1.3 platform (an LMS, as far as a tool can tell) for the tests, written from the
 * specifications: it signs id_tokens with its own key and serves its JWKS, answers the OIDC
 * authorization request with a form_post, issues client-credentials tokens for a JWT assertion
 * signed by the tool's key (verified against the tool's JWKS), and keeps the line items, scores
 * and deep-linking answers it receives. It can also be stopped, and told to fail the next scores.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { idTokenClaims, type LaunchSpec } from './idTokenClaims';

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

export class TestPlatform {
  readonly issuer = 'https://lms.test.example';
  readonly clientId = `tool-${randomUUID().slice(0, 8)}`;
  readonly deploymentId = 'deployment-1';
  readonly scores: ReceivedScore[] = [];
  readonly lineItems: LineItem[] = [];
  readonly deepLinkAnswers: Record<string, unknown>[] = [];
  readonly tokenRequests: { scope: string }[] = [];
  /** Statuses to answer the next score posts with, before accepting again. */
  failScores: number[] = [];
  /** The tool: where its login, launch and keys are. */
  tool = { login: '', launch: '', jwks: '' };

  private keys!: { privateKey: CryptoKey; jwk: JWK };
  private server: http.Server | undefined;
  private port = 0;
  private readonly tokens = new Map<string, string[]>();
  private readonly pending = new Map<string, LaunchSpec>();

  /** Browser-facing pages on "localhost" (another site than the tool's 127.0.0.1); server calls on 127.0.0.1. */
  get pageBase(): string {
    return `http://localhost:${this.port}`;
  }
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  registration() {
    return {
      name: 'Test LMS',
      issuer: this.issuer,
      clientId: this.clientId,
      authUrl: `${this.pageBase}/auth`,
      tokenUrl: `${this.apiBase}/token`,
      jwksUrl: `${this.apiBase}/jwks`,
      deploymentIds: [this.deploymentId],
    };
  }

  async start(port = 0): Promise<void> {
    if (!this.keys) {
      const pair = await generateKeyPair('RS256', { extractable: true });
      this.keys = {
        privateKey: pair.privateKey,
        jwk: { ...(await exportJWK(pair.publicKey)), kid: 'platform-1', alg: 'RS256', use: 'sig' },
      };
    }
    const server = http.createServer(this.app());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** The LMS goes down (connections refused) until start() is called again on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get listeningPort(): number {
    return this.port;
  }

  /** The URL an LMS sends the browser to when someone opens the link: the tool's OIDC login. */
  loginUrl(spec: LaunchSpec): string {
    const hint = randomUUID();
    this.pending.set(hint, spec);
    const url = new URL(this.tool.login);
    url.search = new URLSearchParams({
      iss: this.issuer,
      login_hint: spec.user.sub,
      target_link_uri: this.tool.launch,
      lti_message_hint: hint,
      client_id: this.clientId,
      lti_deployment_id: spec.deploymentId ?? this.deploymentId,
    }).toString();
    return url.toString();
  }

  /** Signs claims as this platform (or with `key`, a forger's). */
  async sign(
    claims: Record<string, unknown>,
    key: CryptoKey = this.keys.privateKey,
    kid = 'platform-1',
  ): Promise<string> {
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
  }

  scoresFor(userId: string): ReceivedScore[] {
    return this.scores.filter((s) => s.status === 200 && s.body.userId === userId);
  }

  private app(): express.Express {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.get('/jwks', (_req, res) => res.json({ keys: [this.keys.jwk] }));
    app.get('/auth', (req, res, next) => void this.authorize(req, res).catch(next));
    app.post('/token', (req, res, next) => void this.token(req, res).catch(next));
    app.get('/lineitems', (req, res) => {
      if (!this.authorized(req, LINE_ITEM_SCOPE)) return void res.status(401).end();
      const link = req.query.resource_link_id;
      res.json(this.lineItems.filter((item) => link === undefined || item.resourceLinkId === link));
    });
    app.post('/lineitems', express.json({ type: 'application/vnd.ims.lis.v2.lineitem+json' }), (req, res) => {
      if (!this.authorized(req, LINE_ITEM_SCOPE)) return void res.status(401).end();
      const body = req.body as Omit<LineItem, 'id'>;
      const item = { ...body, id: `${this.apiBase}/lineitems/${this.lineItems.length + 1}` };
      this.lineItems.push(item);
      res.status(201).json(item);
    });
    app.post('/lineitems/:n/scores', express.json({ type: 'application/vnd.ims.lis.v1.score+json' }), (req, res) => {
      if (!this.authorized(req, SCORE_SCOPE)) return void res.status(401).end();
      const lineItem = `${this.apiBase}/lineitems/${req.params.n}`;
      const body = scoreBody.safeParse(req.body);
      const status = !body.success
        ? 400
        : !this.lineItems.some((i) => i.id === lineItem)
          ? 404
          : (this.failScores.shift() ?? 200);
      this.scores.push({ lineItem, status, body: req.body as ReceivedScore['body'] });
      res.status(status).end();
    });
    app.post('/deep-link-return', (req, res, next) => void this.deepLinkReturn(req, res).catch(next));
    app.get('/course', (req, res) =>
      res.type('html').send(coursePage(typeof req.query.launch === 'string' ? req.query.launch : '')),
    );
    return app;
  }

  private async authorize(req: express.Request, res: express.Response): Promise<void> {
    const q = req.query as Record<string, string | undefined>;
    const spec = this.pending.get(q.lti_message_hint ?? '');
    const ok =
      spec &&
      q.scope === 'openid' &&
      q.response_type === 'id_token' &&
      q.response_mode === 'form_post' &&
      q.prompt === 'none' &&
      q.client_id === this.clientId &&
      q.redirect_uri === this.tool.launch &&
      q.login_hint === spec.user.sub &&
      q.state &&
      q.nonce;
    if (!ok || !spec || !q.nonce || !q.state) return void res.status(400).send('invalid authorization request');
    const claims = idTokenClaims(this, spec, q.nonce);
    const token = await this.sign(spec.tamper ? spec.tamper(claims) : claims, spec.signWith);
    res.type('html').send(formPost(this.tool.launch, { id_token: token, state: q.state }));
  }

  private async token(req: express.Request, res: express.Response): Promise<void> {
    const body = req.body as Record<string, string>;
    if (
      body.grant_type !== 'client_credentials' ||
      body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
    )
      return void res.status(400).json({ error: 'unsupported_grant_type' });
    try {
      const { payload } = await jwtVerify(body.client_assertion ?? '', createRemoteJWKSet(new URL(this.tool.jwks)), {
        issuer: this.clientId,
        subject: this.clientId,
        audience: `${this.apiBase}/token`,
        requiredClaims: ['jti', 'exp', 'iat'],
      });
      if (typeof payload.jti !== 'string') throw new Error('no jti');
    } catch {
      return void res.status(401).json({ error: 'invalid_client' });
    }
    const scope = body.scope ?? '';
    this.tokenRequests.push({ scope });
    const token = randomUUID();
    this.tokens.set(token, scope.split(' '));
    res.json({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope });
  }

  private authorized(req: express.Request, scope: string): boolean {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    return token !== undefined && (this.tokens.get(token)?.includes(scope) ?? false);
  }

  private async deepLinkReturn(req: express.Request, res: express.Response): Promise<void> {
    const { payload } = await jwtVerify(
      (req.body as Record<string, string | undefined>).JWT ?? '',
      createRemoteJWKSet(new URL(this.tool.jwks)),
      {
        issuer: this.clientId,
        audience: this.issuer,
        requiredClaims: ['nonce', 'exp', 'iat'],
      },
    );
    if (payload['https://purl.imsglobal.org/spec/lti/claim/message_type'] !== 'LtiDeepLinkingResponse')
      return void res.status(400).end();
    this.deepLinkAnswers.push(payload);
    const items = (payload['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] ?? []) as {
      title: string;
      lineItem?: Omit<LineItem, 'id'>;
    }[];
    for (const item of items) {
      if (item.lineItem)
        this.lineItems.push({ ...item.lineItem, id: `${this.apiBase}/lineitems/${this.lineItems.length + 1}` });
    }
    res.type('html').send(`<!doctype html><title>Added</title><h1>Added ${items.length} item(s) to the course</h1>`);
  }
}

const attr = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function formPost(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${attr(k)}" value="${attr(v)}">`)
    .join('');
  return `<!doctype html><html lang="en"><title>Signing in</title><body><form id="f" method="post" action="${attr(action)}">${inputs}<button>Continue</button></form><script>document.getElementById('f').submit()</script></body></html>`;
}

/** A course page, as an LMS shows it: the activity opens inside a frame of the page. */
function coursePage(launch: string): string {
  return `<!doctype html><html lang="en"><title>Firewalls 101</title><body><h1>Firewalls 101</h1>
<p><a id="activity" href="${attr(launch)}" target="tool">iptables lab</a></p>
<iframe name="tool" title="Activity" width="900" height="400"></iframe></body></html>`;
}
