import { connectionListMachines, type LabModule } from './types';

/** The labs one server offers. main.ts builds it from labs/ and hands it to the server. */
export interface LabCatalog {
  list(): readonly LabModule[];
  get(labId: string): LabModule | undefined;
}

export function labCatalog(labs: readonly LabModule[]): LabCatalog {
  const ids = new Set<string>();
  for (const lab of labs) {
    if (ids.has(lab.id)) throw new Error(`two labs share the id "${lab.id}"`);
    ids.add(lab.id);
    for (const f of lab.firewalls) {
      if (!lab.topology.machines.some((m) => m.id === f.machineId)) {
        throw new Error(`lab "${lab.id}" shows the firewall of "${f.machineId}", which its topology does not have`);
      }
    }
    for (const machineId of connectionListMachines(lab)) {
      if (!lab.topology.machines.some((m) => m.id === machineId)) {
        throw new Error(
          `lab "${lab.id}" reads the connection list of "${machineId}", which its topology does not have`,
        );
      }
    }
  }
  return {
    list: () => labs,
    get: (labId) => labs.find((lab) => lab.id === labId),
  };
}
