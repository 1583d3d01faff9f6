/**
 * The session as the API shows it: addresses and terminal URLs, never container ids. Shared with
 * the page, so this module imports nothing that needs Node (web/tsconfig.json checks it).
 */
import type { LabSessionStatus } from '../sessions/labSessionTypes';

export interface SessionView {
  id: string;
  labId: string;
  title: string;
  status: LabSessionStatus;
  /** While status is "broken": what happened and what to do. */
  problem?: string;
  /** After a Resume, until the next sleep or reset: whether the machines moved, or are fresh ones. */
  lastWake: { addressesChanged: boolean; freshMachines: boolean } | null;
  createdAt: string;
  lastActivityAt: string;
  idleExpiresAt: string;
  idleWarningSeconds: number;
  /** While asleep: since when, and when the sleeping lab will be removed. */
  sleptAt: string | null;
  sleepExpiresAt: string | null;
  /** When the lab ends whatever happens (LAB_MAX_HOURS after it started). */
  expiresAt: string;
  expiryWarningSeconds: number;
  networks: { id: string; label: string; subnet: string }[];
  machines: { id: string; label: string; hostname: string; addresses: Record<string, string>; terminalUrl: string }[];
  /** The machines whose firewall the page shows, where their rules file is and the service that loads it. */
  firewalls: { machineId: string; label: string; rulesFile: string; service: string }[];
  links: {
    self: string;
    reset: string;
    keepalive: string;
    sleep: string;
    wake: string;
    end: string;
    lab: string;
    page: string;
    events: string;
  };
}
