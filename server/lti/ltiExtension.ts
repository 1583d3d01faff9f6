import type { ExtensionDeps, ServerExtension } from '../app/ServerExtension';
import { requireInstructor } from '../classroom/requestGuards';
import { DeepLinking } from './deepLinking';
import { Handoffs } from './Handoffs';
import { LaunchRepo } from './LaunchRepo';
import { ltiApi } from './ltiApi';
import { ltiRouter } from './ltiRouter';
import { PlatformsRepo } from './PlatformsRepo';
import { PlatformTokens } from './platformTokens';
import { ScoreOutbox } from './ScoreOutbox';
import { scoreOf } from './scoresOf';
import { ScoresRepo } from './ScoresRepo';
import { loadToolKeys, type ToolKeys } from './toolKeys';
import { PlatformKeys } from './verifyLaunch';

interface Running {
  keys: ToolKeys;
  platforms: PlatformsRepo;
  launches: LaunchRepo;
  scores: ScoresRepo;
  tokens: PlatformTokens;
  outbox: ScoreOutbox;
  queueScores(learnerId: string): void;
}

/**
 * The LTI 1.3 tool as a server extension: launches and deep linking (site routes, since the
 * LMS posts them from its own site), the instructor's registration API, and AGS scores, queued
 * as each pass is stored and sent by the outbox. Its state lives in its own lti_* tables.
 */
export function ltiExtension(): ServerExtension {
  let running: Running | undefined;
  const need = (): Running => {
    if (!running) throw new Error('the LTI extension has not started');
    return running;
  };

  return {
    name: 'lti',
    start(deps: ExtensionDeps) {
      const keys = loadToolKeys(deps.dataDir);
      const platforms = new PlatformsRepo(deps.db);
      const launches = new LaunchRepo(deps.db);
      const scores = new ScoresRepo(deps.db);
      const tokens = new PlatformTokens(keys);
      const outbox = new ScoreOutbox({ scores, platforms, tokens, log: deps.log });
      const { store } = deps.classroom;
      const queueScores = (learnerId: string): void => {
        for (const link of launches.lineItemsOf(learnerId)) {
          const score = scoreOf(link, { catalog: deps.catalog, progress: store.progress });
          if (score) outbox.add(score);
        }
      };
      running = { keys, platforms, launches, scores, tokens, outbox, queueScores };
      // Whatever a previous server left waiting goes out now.
      outbox.kick();
    },
    onCheckResult(result) {
      if (result.verdict.passed) need().queueScores(result.learnerId);
    },
    routes(router, deps) {
      const r = need();
      router.use(
        '/instructor/lti',
        requireInstructor(deps.signIn.instructors),
        ltiApi(r.platforms, r.scores, deps.classroom.store),
      );
    },
    siteRoutes(router, deps) {
      const r = need();
      router.use(
        ltiRouter({
          catalog: deps.catalog,
          service: deps.classroom,
          platforms: r.platforms,
          launches: r.launches,
          keys: r.keys,
          platformKeys: new PlatformKeys(),
          handoffs: new Handoffs(),
          deepLinking: new DeepLinking(r.keys),
          cookies: deps.signIn.learners,
          instructorTokens: deps.signIn.instructors,
          tokens: r.tokens,
          queueScores: (learnerId) => r.queueScores(learnerId),
          log: deps.log,
        }),
      );
    },
    close: () => running?.outbox.close(),
  };
}
