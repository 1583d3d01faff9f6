import '../styles.css';
import './dashboard.css';
import { $ } from '../dom';
import { api } from '../api';
import { whoAmI } from './whoAmI';
import { errorMessage } from '../errorMessage';

/** /instructor: sign in, or on first start (from the server itself) choose the password. */
async function main(): Promise<void> {
  const me = await whoAmI();
  if (me.signedIn) {
    location.replace('/dashboard');
    return;
  }
  const form = $<HTMLFormElement>('#login-form');
  const status = $('#status');
  const setup = me.setupNeeded;
  if (setup && !me.canSetUp) {
    status.textContent =
      'No instructor password is set yet. Open this page on the server itself (http://127.0.0.1), or start the server with INSTRUCTOR_PASSWORD.';
    return;
  }
  if (setup) {
    $('#login-title').textContent = 'Choose the instructor password';
    $('#login-help').textContent = 'First start: this password protects the class dashboard. At least 8 characters.';
    $('#confirm-row').hidden = false;
    $('#login-submit').textContent = 'Set password';
    $<HTMLInputElement>('#password').autocomplete = 'new-password';
  }
  form.hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const password = $<HTMLInputElement>('#password').value;
    if (setup && password !== $<HTMLInputElement>('#password2').value) {
      status.textContent = 'The two passwords differ.';
      return;
    }
    status.textContent = '';
    api(setup ? '/api/instructor/setup' : '/api/instructor/login', { method: 'POST', body: { password } })
      .then(() => location.assign('/dashboard'))
      .catch((error: unknown) => (status.textContent = errorMessage(error)));
  });
}

main().catch(
  (error: unknown) => ($('#status').textContent = `The server could not be reached: ${errorMessage(error)}`),
);
