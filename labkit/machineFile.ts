/** A file read from a machine (through the host, never the machine's programs). Node-only: the page never sees it. */
export interface MachineFile {
  data: Buffer;
  /** Permission bits, e.g. 0o600. */
  mode: number;
  /** Last modification, ms since the epoch. */
  modifiedAt: number;
}
