/**
 * Runs `work` once no earlier `work` under the same scope and key (in this process) is still running. Job items run
 * concurrently, and with several clients two items may want the very same bytes at once (one provider zip under
 * registry.terraform.io and registry.opentofu.org, one nested module called by the caller on either host): the
 * second waits, then finds them stored instead of fetching them again. `scope` is the store, so two data dirs in
 * one process never wait on each other.
 */
export async function withKeyLock<T>(scope: object, key: string, work: () => Promise<T>): Promise<T> {
  let locks = scopes.get(scope);
  if (!locks) {
    locks = new Map();
    scopes.set(scope, locks);
  }
  const earlier = locks.get(key) ?? Promise.resolve();
  let release = (): void => undefined;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = earlier.then(() => mine);
  locks.set(key, tail);
  await earlier;
  try {
    return await work();
  } finally {
    release();
    if (locks.get(key) === tail) locks.delete(key);
  }
}

const scopes = new WeakMap<object, Map<string, Promise<void>>>();
