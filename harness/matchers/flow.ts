import type { DialectName } from '../vocabulary.js';
import type { FlowRecorder } from '../recorder/recorder.js';

/**
 * What the message matchers read of a flow: a live FlowRecorder, or any object with the same read methods (a
 * flow loaded from a recording). `dialect` (default `spec`) says what the flow's wire gives: matchers do not
 * assume what it does not (per-run order of the events an upstream engine writes without a key).
 */
export type RecordedFlow = Pick<FlowRecorder, 'messages' | 'ofRole' | 'byRun'> & { readonly dialect?: DialectName };
