import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The libraries the page inlines, read from the installed packages at render time (no network when viewed). */
export interface PageAssets {
  readonly uplotJs: string;
  readonly uplotCss: string;
}

const require = createRequire(import.meta.url);
let cached: PageAssets | undefined;

/**
 * uPlot's browser build (an IIFE defining `uPlot`) and its stylesheet. Resolved as a dependency of this package,
 * so it works from a clone and from an installed tarball alike.
 */
export function pageAssets(): PageAssets {
  cached ??= {
    uplotJs: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    uplotCss: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return cached;
}

/** Text safe inside a <script> element: no `</script` or `<!--` can end or confuse it. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside a <script type="application/json"> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
