#!/usr/bin/env bash
# Installs the servers the integration tests start privately (RabbitMQ, PostgreSQL) from Debian packages.
# Idempotent and fast when both are present: apt is only touched when something is missing.
#
# System services the packages may start are left alone: the test fixtures run their own nodes on other loopback
# ports, data dirs and socket dirs. A running system RabbitMQ owns epmd (port 4369) under its own cookie, which was
# checked not to matter: epmd only maps node names to ports, and each private node has a unique name and cookie.
set -euo pipefail

rabbitmq_present() { [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; }
postgres_present() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }

missing=()
rabbitmq_present || missing+=(rabbitmq-server)
postgres_present || missing+=(postgresql)

if ((${#missing[@]} > 0)); then
  if [[ ${EUID} -ne 0 ]]; then
    echo "install-test-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-test-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"
fi

rabbitmq_present || { echo "install-test-deps: rabbitmq-server still missing" >&2; exit 1; }
postgres_present || { echo "install-test-deps: PostgreSQL server binaries still missing" >&2; exit 1; }
# As root the fixture runs PostgreSQL as the postgres user, which refuses to run as root.
if [[ ${EUID} -eq 0 ]]; then
  command -v runuser >/dev/null || { echo "install-test-deps: runuser (util-linux) missing" >&2; exit 1; }
  id postgres >/dev/null 2>&1 || { echo "install-test-deps: no postgres user" >&2; exit 1; }
fi
