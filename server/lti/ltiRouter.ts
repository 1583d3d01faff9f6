import { randomBytes } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { LabCatalog } from '../../labkit/catalog';
import { signInCookieOptions } from '../auth/cookieOptions';
import { setLearnerCookie } from '../auth/setLearnerCookie';
import type { LearnerCookies } from '../auth/learnerCookie';
import { HttpError } from '../http/HttpError';
import { limitPerClient } from '../http/rateLimit';
import type { Log } from '../log/Log';
import { INSTRUCTOR_COOKIE, INSTRUCTOR_SESSION_MS, type InstructorTokens } from '../classroom/instructorToken';
import type { DeepLinking } from './deepLinking';
import { linkItems } from './deepLinking';
import type { Handoffs } from './Handoffs';
import type { LaunchRepo } from './LaunchRepo';
import { html, PAGE_SCRIPT, sendPage } from './ltiPages';
import type { PlatformsRepo } from './PlatformsRepo';
import type { ResourceLaunchDeps } from './resourceLaunch';
import { acceptResourceLaunch } from './resourceLaunch';
import type { ToolKeys } from './toolKeys';
import { verifyLaunch, type PlatformKeys } from './verifyLaunch';
import { toolUrls } from './toolUrls';

export interface LtiRouterDeps extends ResourceLaunchDeps {
  catalog: LabCatalog;
  platforms: PlatformsRepo;
  launches: LaunchRepo;
  keys: ToolKeys;
  platformKeys: PlatformKeys;
  handoffs: Handoffs;
  deepLinking: DeepLinking;
  cookies: LearnerCookies;
  instructorTokens: InstructorTokens;
  log: Log;
}

const loginParams = z.object({
  iss: z.string().min(1).max(1024),
  login_hint: z.string().min(1).max(4096),
  target_link_uri: z.string().max(2048).optional(),
  lti_message_hint: z.string().max(4096).optional(),
  client_id: z.string().max(1024).optional(),
  lti_deployment_id: z.string().max(1024).optional(),
});
const launchBody = z.object({ id_token: z.string().min(1).max(65_536), state: z.string().min(1).max(200) });
const pickBody = z.object({ pick: z.string().max(64), lab: z.string().max(64), items: z.enum(['lab', 'steps']) });

/**
 * The LTI endpoints the LMS and the browser reach: the tool's keys (JWKS), OIDC login
 * initiation, the launch (the LMS posts it from its own site, so it is mounted ahead of the
 * same-site check), the deep-linking pick, and /lti/enter, which signs the person in on a
 * window of our own. Errors show as a page, since a person is looking at them.
 */
export function ltiRouter(deps: LtiRouterDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '96kb', parameterLimit: 20 });
  const launches = limitPerClient('LTI launches', 600, 600_000);

  router.get('/lti/lti.js', (_req, res) => {
    res.type('text/javascript').setHeader('cache-control', 'no-cache');
    res.send(PAGE_SCRIPT);
  });

  router.get('/lti/jwks', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=3600');
    res.json(deps.keys.jwks);
  });

  // OIDC third-party initiated login (LTI Security Framework §5.1.1): the LMS may GET or POST it.
  router.all('/lti/login', launches, form, (req, res) => {
    if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, 'Use GET or POST');
    const params = loginParams.safeParse(req.method === 'POST' ? req.body : req.query);
    if (!params.success) throw new HttpError(400, 'The LMS sent an incomplete login (iss and login_hint are needed)');
    const p = params.data;
    const platform = deps.platforms.byIssuer(p.iss, p.client_id);
    if (!platform) throw new HttpError(400, 'This LMS is not registered here; ask the instructor to add it');
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    deps.launches.startLogin(state, nonce, platform.id, Date.now());
    const auth = new URL(platform.authUrl);
    const query = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      prompt: 'none',
      client_id: platform.clientId,
      redirect_uri: toolUrls(req).launch,
      login_hint: p.login_hint,
      state,
      nonce,
      ...(p.lti_message_hint === undefined ? {} : { lti_message_hint: p.lti_message_hint }),
    };
    for (const [key, value] of Object.entries(query)) auth.searchParams.set(key, value);
    res.redirect(302, auth.toString());
  });

  router.post('/lti/launch', launches, form, async (req, res) => {
    const body = launchBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'The LMS sent no id_token and state');
    const launch = await verifyLaunch(
      { idToken: body.data.id_token, state: body.data.state },
      { launches: deps.launches, platforms: deps.platforms, keys: deps.platformKeys, now: Date.now() },
    );
    if (launch.kind === 'deep-linking') {
      const pick = deps.deepLinking.open(launch.platform, launch.claims);
      sendPage(res, 'Add a lab to the course', pickerPage(deps.catalog, pick, deps.deepLinking.multipleAllowed(pick)));
      return;
    }
    const handoff = await acceptResourceLaunch(launch.platform, launch.claims, deps);
    const code = deps.handoffs.issue(handoff);
    const what = handoff.kind === 'learner' ? 'your lab' : 'the class dashboard';
    sendPage(
      res,
      'Open the lab',
      html`<h1>${handoff.kind === 'learner' ? 'Your lab is ready' : 'Your class'}</h1>
        <p>It opens in a window of its own, so that it works whichever cookies your browser blocks.</p>
        <p>
          <a class="button" id="open-lab" href="/lti/enter?code=${code}" target="_blank">Open ${what}</a>
        </p>`,
    );
  });

  router.post('/lti/deep-link', form, async (req, res) => {
    const body = pickBody.safeParse(req.body);
    if (!body.success) throw new HttpError(400, 'Choose a lab');
    const lab = deps.catalog.get(body.data.lab);
    if (!lab) throw new HttpError(400, 'No such lab');
    const items = linkItems(lab, body.data.items === 'steps', toolUrls(req).launch);
    const answer = await deps.deepLinking.answer(body.data.pick, items);
    sendPage(
      res,
      'Adding the lab',
      html`<h1>Adding ${lab.title} to the course…</h1>
        <form method="post" action="${answer.returnUrl}" data-autosubmit>
          <input type="hidden" name="JWT" value="${answer.jwt}" /><button type="submit">Continue</button>
        </form>`,
      { formAction: answer.returnUrl },
    );
  });

  // Reached in a window of our own (never inside the LMS frame): the code becomes our cookie.
  router.get('/lti/enter', launches, async (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code : '';
    const handoff = deps.handoffs.take(code);
    if (!handoff)
      throw new HttpError(410, 'This link was already used or has expired; open the activity from your course again');
    if (handoff.kind === 'instructor') {
      res.cookie(INSTRUCTOR_COOKIE, deps.instructorTokens.issue(), signInCookieOptions(req, INSTRUCTOR_SESSION_MS));
      res.redirect(303, `/dashboard?class=${encodeURIComponent(handoff.classId)}`);
      return;
    }
    setLearnerCookie(req, res, deps.cookies, handoff.learnerId);
    const session = await deps.service.startLab(handoff.learnerId, handoff.labId).catch((error: unknown) => {
      deps.log(`LTI: the lab of ${handoff.learnerId} did not start: ${String(error)}`, 'warn');
      throw new HttpError(
        503,
        'The lab could not be started just now; open the activity from your course again in a few minutes',
      );
    });
    res.redirect(303, `/lab?session=${encodeURIComponent(session.id)}`);
  });

  router.use('/lti', ((error, _req, res, next) => {
    if (!(error instanceof HttpError) || res.headersSent) {
      next(error);
      return;
    }
    sendPage(
      res,
      'The lab could not open',
      html`<h1>The lab could not open</h1>
        <p class="error" role="alert">${error.message}</p>`,
      {
        status: error.status,
      },
    );
  }) satisfies express.ErrorRequestHandler);

  return router;
}

function pickerPage(catalog: LabCatalog, pick: string, multiple: boolean) {
  const labs = catalog.list();
  return html`<h1>Add a lab to the course</h1>
    <form method="post" action="/lti/deep-link">
      <input type="hidden" name="pick" value="${pick}" />
      <fieldset>
        <legend>Lab</legend>
        ${labs.map(
          (lab, i) =>
            html`<label
              ><input type="radio" name="lab" value="${lab.id}" ${i === 0 ? html` checked` : html``} /> ${lab.title}
              (${String(lab.steps.length)} steps)</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>Graded as</legend>
        <label><input type="radio" name="items" value="lab" checked /> One grade for the lab: the steps passed</label>
        ${multiple ? html`<label><input type="radio" name="items" value="steps" /> One grade per step</label>` : html``}
      </fieldset>
      <button type="submit">Add to the course</button>
    </form>`;
}
