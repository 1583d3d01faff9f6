// Child process for the crash test: writes attempts one transaction at a time and prints
// "ack <n>" only after each commit returned. The test SIGKILLs it mid-stream.
import { Store } from '../../../server/store/Store';

const file = process.argv[2];
if (!file) throw new Error('usage: ackWriter <db file>');
const store = Store.open(file);
store.learners.ensure('learner-crash', 'Crash', Date.now());
store.labSessions.insert({
  id: 'crashsession',
  learnerId: 'learner-crash',
  labId: 'lab',
  status: 'ready',
  createdAt: Date.now(),
  lastActivity: Date.now(),
});
for (let n = 0; ; n++) {
  store.transaction(() => {
    store.attempts.record({
      sessionId: 'crashsession',
      stepId: `step-${n}`,
      at: Date.now(),
      passed: n % 2 === 0,
      message: 'x'.repeat(200),
    });
    store.events.record('crashsession', 'check', { n });
  });
  process.stdout.write(`ack ${n}\n`);
}
