import { singleServerLab } from '../labs/iptables-single-server';
import { testRuntime, newSessionId } from './support/labRuntime';
const { runtime } = testRuntime('jkeep');
const id = newSessionId();
const inst = await runtime.create(id, singleServerLab.topology);
console.log(JSON.stringify(inst.machines.map((m) => [m.id, m.ref, m.addresses])));
await new Promise((r) => setTimeout(r, Number(process.env.KEEP_MS ?? 600000)));
await runtime.destroy(id);
