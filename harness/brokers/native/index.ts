export {
  NativeBrokerProvider,
  type NativeNodeInfo,
  type NativeProviderOptions,
  type NativeStartTimings,
  type StartedNativeBroker,
} from './provider.js';
