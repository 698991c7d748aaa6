#!/usr/bin/env bash
# Starts the local PostgreSQL and MariaDB services if they are installed but stopped (our machines
# start them before a session; this covers a service that died). Never fails by itself: the test
# suites fail loudly when a configured database is unreachable.
set -u
if command -v pg_isready >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
fi
if command -v mariadb-admin >/dev/null && ! mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=root || true
  for _ in $(seq 1 30); do mariadb-admin -h 127.0.0.1 -u root ping >/dev/null 2>&1 && break; sleep 1; done
fi
exit 0
