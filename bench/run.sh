#!/usr/bin/env bash
# Builds the service and the bench in Release, starts the service on loopback, runs the scenarios, prints a summary
# table and stops everything it started. See bench/README.md.
#
#   bench/run.sh                                   SQLite (temp file), in-memory bus: scenarios a and b
#   bench/run.sh --postgres private --rabbitmq private   private PostgreSQL and RabbitMQ nodes: a, b and c
#   bench/run.sh --postgres "Host=127.0.0.1;Port=5432;Username=...;Password=...;Database=..." --rabbitmq amqp://guest:guest@127.0.0.1:5672/
#
# Options: --postgres CONNSTR|private   --rabbitmq URI|private   --scenarios a,b,c   --scale F (multiplies event counts
# and durations, e.g. 0.1 for a quick check)   --keep (leave the temp dir with logs and the SQLite file)
# --wait-quiet (before each scenario, wait up to 5 minutes for the machine to be under 15% busy: on a shared machine a
# build running alongside halves what the service gets)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
POSTGRES=""
RABBITMQ=""
SCENARIOS="a,b,c"
SCALE=1
KEEP=0
WAIT_QUIET=0
while (($#)); do
  case "$1" in
    --postgres) POSTGRES="$2"; shift 2 ;;
    --rabbitmq) RABBITMQ="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    --scale) SCALE="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --wait-quiet) WAIT_QUIET=1; shift ;;
    -h|--help) sed -n '2,13p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /tmp/leadhandoff-bench.XXXXXX)"
chmod 755 "$WORK"   # a private PostgreSQL runs as the postgres user and must reach its directory below
SUMMARY="$WORK/summary.tsv"
API_PID=""
RMQ_NODE=""
PG_DATA=""
RMQ_ENV=()
INFRA_ARGS=()

log() { printf '[run.sh %(%H:%M:%S)T] %s\n' -1 "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
scaled() { python3 -c "import sys; print(max(1, round($1 * $SCALE)))"; }

# Percentage of all cores busy over $1 seconds, from /proc/stat.
machine_busy() {
  local a b c d e f g h t1 i1
  read -r _ a b c d e f g h _ </proc/stat; t1=$((a + b + c + d + e + f + g + h)); i1=$((d + e))
  sleep "$1"
  read -r _ a b c d e f g h _ </proc/stat
  echo $((100 * ((a + b + c + d + e + f + g + h - t1) - (d + e - i1)) / (a + b + c + d + e + f + g + h - t1)))
}

wait_quiet() {
  ((WAIT_QUIET)) || return 0
  local busy
  for _ in $(seq 1 60); do
    busy="$(machine_busy 5)"
    ((busy < 15)) && return 0
    log "machine ${busy}% busy with other work; waiting"
  done
  log "still busy after 5 minutes; measuring anyway (see 'everything else' in the report)"
}

cleanup() {
  set +e
  if [[ -n "$API_PID" ]] && kill -0 "$API_PID" 2>/dev/null; then
    kill "$API_PID"; for _ in $(seq 1 100); do kill -0 "$API_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$API_PID" 2>/dev/null && kill -9 "$API_PID"
  fi
  if [[ -n "$RMQ_NODE" ]]; then
    env "${RMQ_ENV[@]}" timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" stop >/dev/null 2>&1
  fi
  if [[ -n "$PG_DATA" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1
  fi
  if ((KEEP)); then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_private_rabbitmq() {
  local dir="$WORK/rabbitmq" port dist
  mkdir -p "$dir"
  port="$(free_port)"; dist="$(free_port)"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\nlog.console = false\n' "$port" >"$dir/rabbitmq.conf"
  echo '[].' >"$dir/enabled_plugins"
  : >"$dir/rabbitmq-env.conf"
  RMQ_NODE="lh-bench-$$@localhost"
  RMQ_ENV=(HOME="$dir" RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_DIST_PORT="$dist" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config"
    SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" ERL_EPMD_ADDRESS=127.0.0.1)
  log "starting a private RabbitMQ node $RMQ_NODE on 127.0.0.1:$port"
  env "${RMQ_ENV[@]}" setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/server.out" 2>&1 </dev/null &
  local node_pid=$! _
  for _ in $(seq 1 180); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$node_pid" 2>/dev/null || { log "RabbitMQ exited:"; tail -20 "$dir/server.out"; exit 1; }
    sleep 0.5
  done
  env "${RMQ_ENV[@]}" timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" await_startup >/dev/null
  [[ -s "$dir/rabbitmq.pid" ]] && INFRA_ARGS+=(--infra-pid "$(cat "$dir/rabbitmq.pid")")
  RABBITMQ="amqp://guest:guest@127.0.0.1:$port/"
}

start_private_postgres() {
  local dir="$WORK/postgres" port
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  mkdir -p "$dir"; chown postgres: "$dir"
  port="$(free_port)"
  PG_DATA="$dir/data"
  log "starting a private PostgreSQL ($PG_BIN) on 127.0.0.1:$port"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C --no-instructions >"$dir/initdb.log"
  # Durability stays at PostgreSQL's defaults (fsync, synchronous_commit on): 202 means durably stored.
  printf "\nlisten_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\n" "$port" "$dir" >>"$PG_DATA/postgresql.conf"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w -t 60 start >/dev/null
  runuser -u postgres -- "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres leadhandoff
  INFRA_ARGS+=(--infra-pid "$(head -1 "$PG_DATA/postmaster.pid")")
  POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=leadhandoff"
}

[[ "$RABBITMQ" == private ]] && start_private_rabbitmq
[[ "$POSTGRES" == private ]] && start_private_postgres

log "building the service and the bench (Release)"
dotnet build -c Release "$ROOT/src/LeadHandoff.Api" -nologo -v q >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
dotnet build -c Release "$ROOT/bench/LeadHandoff.Bench" -nologo -v q >>"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
BENCH="$ROOT/bench/LeadHandoff.Bench/bin/Release/net10.0/LeadHandoff.Bench"

PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
SECRET="whsec_$(head -c 32 /dev/urandom | base64 -w0)"
API_ENV=(ASPNETCORE_URLS="$URL" ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning
  LeadHandoff__Sources__bench__Kind=standard LeadHandoff__Sources__bench__Secrets__0="$SECRET")
if [[ -n "$POSTGRES" ]]; then
  API_ENV+=(LeadHandoff__Storage__Provider=Postgres ConnectionStrings__LeadHandoff="$POSTGRES")
  STORAGE="PostgreSQL"
else
  API_ENV+=(ConnectionStrings__LeadHandoff="Data Source=$WORK/bench.db")
  STORAGE="SQLite"
fi
if [[ -n "$RABBITMQ" ]]; then
  API_ENV+=(LeadHandoff__Bus__Transport=RabbitMq ConnectionStrings__RabbitMq="$RABBITMQ")
  BUS="RabbitMQ"
else
  BUS="in-memory bus"
fi

# The built app host, exactly what `dotnet run -c Release --project src/LeadHandoff.Api --no-launch-profile` starts,
# run directly so that its process id is the service's own (for RSS and CPU sampling).
log "starting the service on $URL ($STORAGE, $BUS)"
(cd "$ROOT/src/LeadHandoff.Api" && exec env "${API_ENV[@]}" ./bin/Release/net10.0/LeadHandoff.Api) >"$WORK/api.log" 2>&1 </dev/null &
API_PID=$!
for _ in $(seq 1 180); do
  curl -sf -o /dev/null "$URL/health/ready" && break
  kill -0 "$API_PID" 2>/dev/null || { log "the service exited:"; tail -30 "$WORK/api.log"; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$URL/health/ready" || { log "the service is not ready after 90 s"; tail -30 "$WORK/api.log"; exit 1; }

bench() {
  wait_quiet
  log "scenario $1"
  timeout 900 "$BENCH" --url "$URL" --source bench --secret "$SECRET" --pid "$API_PID" --summary "$SUMMARY" "${INFRA_ARGS[@]}" --name "$@" ||
    log "scenario $1 failed (exit $?)"
  echo
}

if [[ ",$SCENARIOS," == *,a,* ]]; then
  bench a-max-throughput --events "$(scaled 50000)" --concurrency 64 --leads 10000 --warmup "$(scaled 5000)"
fi
if [[ ",$SCENARIOS," == *,b,* ]]; then
  bench b-latency-2000/s --rate 2000 --duration "$(scaled 20)" --concurrency 64 --leads 10000 --warmup "$(scaled 2000)"
fi
if [[ ",$SCENARIOS," == *,c,* ]]; then
  if [[ -n "$RABBITMQ" ]]; then
    # Every event is a new lead and 30% of the leads qualify: about 300 handoffs/s, evenly spread.
    events="$(scaled 20000)"
    bench c-broker-1000/s --rate 1000 --duration "$(scaled 20)" --concurrency 64 --leads "$events" --qualifying 0.3 \
      --warmup "$(scaled 2000)" --rabbitmq "$RABBITMQ" --broker-timeout 60
  else
    log "scenario c skipped: it needs --rabbitmq"
  fi
fi

echo "== summary: $STORAGE, $BUS, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) =="
[[ -s "$SUMMARY" ]] && column -t -s $'\t' "$SUMMARY"
