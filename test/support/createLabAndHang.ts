// Creates a lab, says so, then waits to be killed: a server that died without cleaning up.
// With TEST_NAMESPACE_TAG, in a test namespace of its own (the tag and this process's pid).
import { loadConfig } from '../../server/config';
import { DockerRuntime } from '../../server/runtime/docker/DockerRuntime';
import { chapterTopology } from '../../labs/iptables-single-server/topology';
import { testNamespace } from './testNamespace';

const session = process.argv[2];
if (!session) throw new Error('usage: createLabAndHang <session-id>');
const tag = process.env.TEST_NAMESPACE_TAG;
const config = loadConfig(tag ? { ...process.env, LAB_INSTANCE: testNamespace(tag) } : process.env);
const runtime = DockerRuntime.fromConfig(config.runtime);
await runtime.create(session, chapterTopology);
console.log(`lab-created ${config.runtime.namespace}`);
setInterval(() => undefined, 60_000);
