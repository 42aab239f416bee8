# Vedette engine image: the whole npm workspace (core, SDK, first-party plugins), built and
# pruned to production dependencies. See docs/operations.md for running it.
#
#   docker build -t vedette:0.1.0 .
#   docker run -d --name vedette -p 8080:8080 -v vedette-data:/data vedette:0.1.0
#   docker logs vedette 2>&1 | grep vdt_        # the bootstrap admin key, printed once on stderr

# ---- build: compile TypeScript, keep only production dependencies -------------------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 is a native addon: when no prebuilt binary can be downloaded, node-gyp
# compiles it, which needs python3, make and a C++ compiler. Only this stage has them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# node-gyp uses the headers shipped with the image's Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
WORKDIR /app
# The root `prepare` script compiles every workspace during `npm ci`, so the sources must be
# there first (no package.json-only layer: it would not save the build).
COPY . .
RUN npm ci
# Already done by `prepare`; explicit so a change to that script cannot leave dist/ empty.
RUN npm run build
RUN npm prune --omit=dev

# ---- runtime ----------------------------------------------------------------------------
FROM node:20-bookworm-slim
# Optional system tools for two check types; everything else is pure Node:
# - iputils-ping: `type: icmp` monitors (@vedette/check-icmp runs the system `ping`).
#   Debian gives /usr/bin/ping the cap_net_raw file capability; it is removed so that ping
#   uses unprivileged ICMP datagram sockets (net.ipv4.ping_group_range) instead. A binary
#   with file capabilities cannot even be started in a container whose capabilities are
#   dropped (Kubernetes `drop: [ALL]`): execve fails with EPERM.
# - monitoring-plugins-basic: `type: nagios` monitors (check_http, check_tcp, check_ping...
#   in /usr/lib/nagios/plugins). check_icmp and check_dhcp need root and do not work here.
# Drop either line if you do not use those check types.
RUN apt-get update \
 && apt-get install -y --no-install-recommends iputils-ping monitoring-plugins-basic \
 && setcap -r /usr/bin/ping \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 vedette \
 && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vedette \
 && mkdir -p /data /etc/vedette \
 && chown 10001:10001 /data
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# A default config so `docker run` works without a mount: the bundled example (it monitors
# the engine itself). Mount your own file over it.
COPY --from=build /app/core/examples/vedette.yaml /etc/vedette/vedette.yaml
USER 10001:10001
# SQLite database and WAL files (single node), or PostgreSQL spill files (cluster).
VOLUME /data
EXPOSE 8080
# /health answers while the process lives. The slim image has no curl: ask with Node.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('node:http').get('http://127.0.0.1:8080/health', (r) => process.exit(r.statusCode === 200 ? 0 : 1)).on('error', () => process.exit(1)).setTimeout(4000, () => process.exit(1))"]
ENTRYPOINT ["node", "core/dist/cli/main.js"]
# --host: the config's server.host defaults to 127.0.0.1, unreachable from outside a container.
# --data-dir: relative paths in a config resolve against the config file's directory
# (/etc/vedette, read-only for this user); this puts the data on the volume whatever the file says.
CMD ["start", "--config", "/etc/vedette/vedette.yaml", "--host", "0.0.0.0", "--data-dir", "/data"]
