// msw, loaded for the mocks. msw 2 reads globalThis.localStorage when it loads (its cookie store). From Node 25 on
// that global is a getter which, unless Node was started with --localstorage-file, answers undefined and prints an
// ExperimentalWarning. msw is loaded with the global hidden in that case: it sees what it would get anyway (no
// storage) and nothing is printed. The global is put back at once. (msw 3 no longer reads it outside browsers;
// it needs Node 22, see README "Dependencies".)

async function withoutUnavailableLocalStorage<T>(load: () => Promise<T>): Promise<T> {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'localStorage');
  const storageFile = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some((arg) =>
    arg.startsWith('--localstorage-file'),
  );
  const hide = descriptor?.get !== undefined && descriptor.configurable === true && !storageFile;
  if (!hide) return load();
  Object.defineProperty(globalThis, 'localStorage', {
    value: undefined,
    configurable: true,
    writable: true,
    enumerable: descriptor.enumerable ?? false,
  });
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'localStorage', descriptor);
  }
}

const [msw, mswNode] = await withoutUnavailableLocalStorage(() => Promise.all([import('msw'), import('msw/node')]));

export const { delay, http, HttpResponse } = msw;
export const { setupServer } = mswNode;
