/** No free address slot for another lab: the host is full, not broken (the API answers 503). */
export class PoolExhaustedError extends Error {
  constructor() {
    super('No free lab address slot: the address pool is exhausted');
    this.name = 'PoolExhaustedError';
  }
}
