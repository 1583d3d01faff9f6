import type { InstructorMe } from '../../../protocol/classViews';
import { api, useCsrfToken } from '../api';

/** Whether an instructor is signed in here; from now on the page's writes carry their CSRF token. */
export async function whoAmI(): Promise<InstructorMe> {
  const me = await api<InstructorMe>('/api/instructor/me');
  useCsrfToken(me.csrfToken);
  return me;
}
