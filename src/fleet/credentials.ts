/**
 * The fleet's broker credentials (docs/fleet-security.md): the roster of identities and their
 * seed files, the nats-server configuration that gives each the least it needs, and a client's
 * authenticator from its seed file.
 */
export {
  addIdentity,
  FleetCredentialsError,
  parseRoster,
  readRoster,
  removeIdentity,
  rosterFile,
  seedFile,
  ROSTER_FILE,
  SERVICE_ID,
  type FleetIdentity,
  type IdentityRequest,
  type Roster,
} from './credentials/roster.js';
export {
  inboxPrefixFor,
  permissionsFor,
  type PermissionOptions,
  type Permissions,
} from './credentials/permissions.js';
export {
  natsServerConfig,
  natsServerFile,
  type NatsConfigOptions,
  type NatsServerFileOptions,
} from './credentials/server-config.js';
export { fleetAuthenticator, type FleetCredentials } from './credentials/authenticator.js';
