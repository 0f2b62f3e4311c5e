import type { FlowRecorder } from '../recorder/recorder.js';

/** What the message matchers read of a flow: a live FlowRecorder, or any object with the same read methods (a flow loaded from a recording). */
export type RecordedFlow = Pick<FlowRecorder, 'messages' | 'ofRole' | 'byRun'>;
