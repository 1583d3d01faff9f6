/**
 * The class API token on a dashboard that may be projected to the class: hidden behind a Show
 * control, and only there at all in the moment it was made (the server keeps only its hash).
 */
export class TokenView {
  private token: string | undefined;

  constructor(
    private readonly text: HTMLElement,
    private readonly show: HTMLButtonElement,
  ) {
    show.addEventListener('click', () => this.reveal(show.getAttribute('aria-pressed') !== 'true'));
    this.set(undefined);
  }

  set(token: string | undefined): void {
    if (token === this.token && token !== undefined) return;
    this.token = token;
    this.show.hidden = token === undefined;
    this.reveal(false);
  }

  private reveal(on: boolean): void {
    this.show.setAttribute('aria-pressed', String(on));
    this.show.textContent = on ? 'Hide token' : 'Show token';
    if (this.token === undefined)
      this.text.textContent = '<class API token: shown once, when created; make a new one to see it>';
    else this.text.textContent = on ? this.token : '•'.repeat(16);
  }
}
