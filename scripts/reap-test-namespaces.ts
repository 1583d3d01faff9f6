/**
 * Before npm test: removes what killed test runs left behind (their namespaces' labs, disks and
 * networks), never anything of a namespace whose test process or server still runs.
 * See scripts/lib/testNamespaceReaper.ts.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { reapDeadTestNamespaces } from './lib/testNamespaceReaper';

const root = path.resolve(import.meta.dirname, '..');
// A test runtime without a DATA_DIR keeps its disks under the default one, ./data of the checkout.
const reaped = await reapDeadTestNamespaces({
  diskDirs: [path.join(root, 'data', 'disks')].filter((dir) => existsSync(dir)),
  log: (line) => console.log(line),
});
console.log(`${reaped.length} dead test namespace(s) cleaned up`);
