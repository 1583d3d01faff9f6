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
import { idTokenClaims, type LaunchSpec } from './idTokenClaims';
import { gradeServiceRoutes, type GradeServiceHost, type LineItem, type ReceivedScore } from './gradeService';
import { coursePage, formPost } from './platformPages';

export class TestPlatform implements GradeServiceHost {
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
    gradeServiceRoutes(app, this);
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

  /** Whether the request carries a token this platform issued for `scope`. */
  authorized(req: express.Request, scope: string): boolean {
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
