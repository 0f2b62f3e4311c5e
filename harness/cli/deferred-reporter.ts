/**
 * Progress and warnings for a start whose reporter module is still loading: `up` spawns the broker JVM
 * first and loads the spinner (ora) while it boots. Calls made meanwhile wait and are replayed in order
 * once it has loaded; `flushed` resolves after that, so nothing is lost or reordered before an error or
 * the summary is printed.
 */
export function deferredReporter<Module, Event>(
  loading: Promise<Module>,
  make: (module: Module) => (event: Event) => void,
): { report: (event: Event) => void; flushed: Promise<void> } {
  let report: ((event: Event) => void) | undefined;
  const waiting: Event[] = [];
  const flushed = loading.then((module) => {
    report = make(module);
    for (const event of waiting.splice(0)) report(event);
  });
  return { report: (event) => (report ? report(event) : void waiting.push(event)), flushed };
}
