import type { Store } from '../store/Store';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password';

/**
 * The instructor's password. INSTRUCTOR_PASSWORD, when set, wins at every start (so an
 * operator can reset it); otherwise the first visit to /instructor from this machine sets it.
 * Any change of password ends every instructor session.
 */
export class InstructorAccount {
  constructor(private readonly store: Store) {}

  async applyConfigured(password: string | undefined): Promise<void> {
    if (!password) return;
    const current = this.store.instructors.get();
    if (current && (await verifyPassword(password, current.passwordHash))) return;
    this.replacePassword(await hashPassword(password));
  }

  get needsSetup(): boolean {
    return this.store.instructors.get() === undefined;
  }

  /** First-start setup; false if someone else set a password first. */
  async setUp(password: string): Promise<boolean> {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new Error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    return this.store.instructors.createIfNone(await hashPassword(password));
  }

  async check(password: string): Promise<boolean> {
    const current = this.store.instructors.get();
    return current !== undefined && verifyPassword(password, current.passwordHash);
  }

  /** A new password, given the current one; false when the current one is wrong. */
  async change(currentPassword: string, next: string): Promise<boolean> {
    if (next.length < MIN_PASSWORD_LENGTH)
      throw new Error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters`);
    if (!(await this.check(currentPassword))) return false;
    this.replacePassword(await hashPassword(next));
    return true;
  }

  private replacePassword(passwordHash: string): void {
    this.store.transaction(() => {
      this.store.instructors.setPassword(passwordHash);
      this.store.instructorSessions.deleteAll();
    });
  }
}
