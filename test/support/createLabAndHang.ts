// Creates a lab, says so, then waits to be killed: a server that died without cleaning up.
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { chapterTopology } from '../../labs/iptables-single-server/topology';

const session = process.argv[2];
if (!session) throw new Error('usage: createLabAndHang <session-id>');
const runtime = DockerRuntime.fromConfig(loadConfig().runtime);
await runtime.create(session, chapterTopology);
console.log('lab-created');
setInterval(() => undefined, 60_000);
