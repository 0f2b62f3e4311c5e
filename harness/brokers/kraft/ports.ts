import getPort from 'get-port';
import { ConfigError } from '../../errors.js';
import { LOOPBACK, type NodeEndpoints } from './server-properties.js';

/** Client and controller ports for `count` nodes: free loopback ports, or client ports from `pinned` on. */
export async function pickPorts(count: number, pinned?: number): Promise<NodeEndpoints[]> {
  if (pinned !== undefined && (!Number.isInteger(pinned) || pinned < 1 || pinned + count - 1 > 65_535)) {
    throw new ConfigError(
      'CONFIG_INVALID_VALUE',
      `port ${String(pinned)} is not usable for ${count} broker(s): allowed 1..${65_536 - count}.`,
      {
        key: 'port',
        value: pinned,
      },
    );
  }
  const pinnedPorts = pinned === undefined ? [] : Array.from({ length: count }, (_, i) => pinned + i);
  const nodes: NodeEndpoints[] = [];
  for (let i = 0; i < count; i++) {
    // get-port remembers what it handed out in this process, so the picks do not collide.
    const port = pinnedPorts[i] ?? (await getPort({ host: LOOPBACK, exclude: pinnedPorts }));
    const controllerPort = await getPort({ host: LOOPBACK, exclude: pinnedPorts });
    nodes.push({ nodeId: i + 1, port, controllerPort });
  }
  return nodes;
}
