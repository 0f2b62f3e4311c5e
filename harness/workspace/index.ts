// An isolated run on a shared broker (prefix, configuration, topics, clients, starters, one cleanup).
export {
  openWorkspace,
  WORKSPACE_DIALECTS,
  type OpenWorkspaceOptions,
  type RemovedResources,
  type RemoveWhenStopped,
  type Stoppable,
  type Workspace,
  type WorkspaceDialect,
} from './workspace.js';
export {
  workspaceConfig,
  workspacePrefix,
  WORKSPACE_HEARTBEAT_INTERVAL_MS,
  WORKSPACE_SESSION_TIMEOUT_MS,
  type WorkspaceOverrides,
} from './config.js';
