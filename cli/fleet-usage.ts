/** The `fleet` command group's usage, apart from the commands so that `help` loads no NATS code. */
export const DEFAULT_KEYS_DIR = './fleet-keys';
export const DEFAULT_BROKER_LISTEN = '127.0.0.1:4222';
export const DEFAULT_BROKER_STORE = './fleet-jetstream';

export const FLEET_KEYS_USAGE = `  medhjalparen fleet keys add (--robot ID --site SITE | --kiosk ID --site SITE | --service) [--dir DIR] [--force]
  medhjalparen fleet keys list [--dir DIR]
  medhjalparen fleet keys remove ID [--dir DIR]
  medhjalparen fleet keys server-config [--dir DIR] [--listen HOST:PORT] [--store DIR] [--robot-desk-watch] > nats.conf
      the fleet broker's credentials: add makes an identity's nkey pair, its seed in DIR/ID.nk
      (mode 0600, never printed; the fleet service's is DIR/fleet.nk) and its public key in
      DIR/roster.json (default DIR ${DEFAULT_KEYS_DIR}; never commit it); --force replaces an
      identity's keys; server-config prints a whole nats-server configuration (listen, default
      ${DEFAULT_BROKER_LISTEN}; JetStream store, default ${DEFAULT_BROKER_STORE}; each identity's
      permissions): run it again after add or remove and restart nats-server (docs/fleet-security.md)
`;

export const DEFAULT_FLEET_DATA = './fleet-data';

export const FLEET_SERVE_USAGE = `  medhjalparen fleet serve [--nats nats://HOST:PORT] [--keys DIR | --key FILE] [--robot ID@SITE]...
      [--site DIR]... [--listen HOST:PORT] [--data DIR] [--duration S]
      the fleet service: provisions the broker (default nats://${DEFAULT_BROKER_LISTEN}), gives tasks to
      the best placed robot, watches that every robot is alive, and serves the fleet console
      (default 127.0.0.1:8090; accounts in --data, default ${DEFAULT_FLEET_DATA}: users add NAME --role admin
      --data ${DEFAULT_FLEET_DATA}); the robots are the roster's in --keys DIR (whose fleet.nk is the
      service's key) and any --robot ID@SITE; --site: each site's folder (default the sample floor)
`;

export const FLEET_REQUEST_USAGE = `  medhjalparen fleet request --site SITE --destination ID --meet ID [--language fi|sv|en] [--plain]
      [--nats nats://HOST:PORT] [--key FILE]
      a kiosk's escort request: a robot comes to the customer at --meet (a destination id) and
      takes them to --destination; prints the task's id (--key: a kiosk's seed, fleet keys add --kiosk)
`;

export const FLEET_COMMAND_USAGE = FLEET_KEYS_USAGE + FLEET_SERVE_USAGE + FLEET_REQUEST_USAGE;
