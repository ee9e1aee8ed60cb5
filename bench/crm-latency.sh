#!/usr/bin/env bash
# Webhook → CRM latency: LeadHandoff.Bench posts qualifying events (every event a new lead that qualifies, so one
# handoff each) at a steady rate; the generic HTTP adapter delivers them to a CRM look-alike that measures from the
# webhook's send time to the record's creation. See bench/README.md ("Webhook → CRM").
#
#   bench/crm-latency.sh                        SQLite, in-memory bus, the adapter in-process in the API
#   bench/crm-latency.sh --rabbitmq private     a private RabbitMQ node; the adapter in its own worker process
#   bench/crm-latency.sh --rabbitmq amqp://guest:guest@127.0.0.1:5672/ --rate 100 --duration 30
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RABBITMQ=""
RATE=100
DURATION=30
while (($#)); do
  case "$1" in
    --rabbitmq) RABBITMQ="$2"; shift 2 ;;
    --rate) RATE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "crm-latency.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

WORK="$(mktemp -d /tmp/leadhandoff-crm-bench.XXXXXX)"
PIDS=()
RMQ_NODE=""
RMQ_ENV=()
log() { printf '[crm-latency %(%H:%M:%S)T] %s\n' -1 "$*"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cleanup() {
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  [[ -n "$RMQ_NODE" ]] && env "${RMQ_ENV[@]}" timeout 60 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_ready() {
  for _ in $(seq 1 180); do
    curl -sf -o /dev/null "$1/health/ready" && return 0
    kill -0 "$2" 2>/dev/null || { log "$3 exited:"; tail -30 "$WORK/$3.log"; exit 1; }
    sleep 0.5
  done
  log "$3 not ready after 90 s"; tail -30 "$WORK/$3.log"; exit 1
}

if [[ "$RABBITMQ" == private ]]; then
  dir="$WORK/rabbitmq"; mkdir -p "$dir"; port="$(free_port)"; dist="$(free_port)"
  printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\nlog.console = false\n' "$port" >"$dir/rabbitmq.conf"
  echo '[].' >"$dir/enabled_plugins"; : >"$dir/rabbitmq-env.conf"
  RMQ_NODE="lh-crm-bench-$$@localhost"
  RMQ_ENV=(HOME="$dir" RABBITMQ_NODENAME="$RMQ_NODE" RABBITMQ_MNESIA_BASE="$dir/mnesia" RABBITMQ_LOG_BASE="$dir/log"
    RABBITMQ_PID_FILE="$dir/rabbitmq.pid" RABBITMQ_DIST_PORT="$dist" RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
    RABBITMQ_CONF_ENV_FILE="$dir/rabbitmq-env.conf" RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$dir/advanced.config" ERL_EPMD_ADDRESS=127.0.0.1 ERL_CRASH_DUMP="$dir/erl_crash.dump"
    SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}" RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}")
  log "starting a private RabbitMQ node on 127.0.0.1:$port"
  env "${RMQ_ENV[@]}" setsid /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/server.out" 2>&1 </dev/null &
  node_pid=$!
  for _ in $(seq 1 180); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$node_pid" 2>/dev/null || { log "RabbitMQ exited:"; tail -20 "$dir/server.out"; exit 1; }
    sleep 0.5
  done
  env "${RMQ_ENV[@]}" timeout 120 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RMQ_NODE" await_startup >/dev/null
  RABBITMQ="amqp://guest:guest@127.0.0.1:$port/"
fi

log "building (Release)"
for project in src/LeadHandoff.Api src/LeadHandoff.Adapters.Worker bench/LeadHandoff.Bench bench/LeadHandoff.Bench.CrmLookAlike; do
  dotnet build -c Release "$ROOT/$project" -nologo -v q >>"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; exit 1; }
done

EXPECT=$((RATE * DURATION))
WARMUP=$((RATE * 5))
CRM_PORT="$(free_port)"
"$ROOT/bench/LeadHandoff.Bench.CrmLookAlike/bin/Release/net10.0/LeadHandoff.Bench.CrmLookAlike" \
  --port "$CRM_PORT" --expect $((EXPECT + WARMUP)) --warmup "$WARMUP" --timeout $((DURATION + 120)) >"$WORK/crm.log" 2>&1 &
CRM_PID=$!; PIDS+=("$CRM_PID")

SECRET="whsec_$(head -c 32 /dev/urandom | base64 -w0)"
TARGET_SECRET="whsec_$(head -c 32 /dev/urandom | base64 -w0)"
API_URL="http://127.0.0.1:$(free_port)"
COMMON=(ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning)
ADAPTER=(LeadHandoff__Adapters__GenericHttp__Enabled=true LeadHandoff__Adapters__GenericHttp__BaseUrl="http://127.0.0.1:$CRM_PORT/crm"
  LeadHandoff__Adapters__GenericHttp__Secret="$TARGET_SECRET" LeadHandoff__Adapters__GenericHttp__RateLimitPermits=1000
  LeadHandoff__Adapters__GenericHttp__RateLimitWindow=00:00:01 LeadHandoff__Adapters__GenericHttp__ConcurrentMessageLimit=32)
API_ENV=("${COMMON[@]}" ASPNETCORE_URLS="$API_URL" ConnectionStrings__LeadHandoff="Data Source=$WORK/bench.db"
  LeadHandoff__Sources__bench__Kind=standard LeadHandoff__Sources__bench__Secrets__0="$SECRET")
if [[ -n "$RABBITMQ" ]]; then
  BUS=(LeadHandoff__Bus__Transport=RabbitMq ConnectionStrings__RabbitMq="$RABBITMQ")
  WORKER_URL="http://127.0.0.1:$(free_port)"
  log "starting the adapter worker on $WORKER_URL (RabbitMQ)"
  (cd "$ROOT/src/LeadHandoff.Adapters.Worker" && exec env "${COMMON[@]}" "${BUS[@]}" "${ADAPTER[@]}" ASPNETCORE_URLS="$WORKER_URL" \
    ./bin/Release/net10.0/LeadHandoff.Adapters.Worker) >"$WORK/worker.log" 2>&1 </dev/null &
  WORKER_PID=$!; PIDS+=("$WORKER_PID")
  wait_ready "$WORKER_URL" "$WORKER_PID" worker
  API_ENV+=("${BUS[@]}")
  SHAPE="SQLite, RabbitMQ, adapter worker process"
else
  API_ENV+=("${ADAPTER[@]}")
  SHAPE="SQLite, in-memory bus, adapter in the API process"
fi
log "starting the API on $API_URL"
(cd "$ROOT/src/LeadHandoff.Api" && exec env "${API_ENV[@]}" ./bin/Release/net10.0/LeadHandoff.Api) >"$WORK/api.log" 2>&1 </dev/null &
API_PID=$!; PIDS+=("$API_PID")
wait_ready "$API_URL" "$API_PID" api

BENCH="$ROOT/bench/LeadHandoff.Bench/bin/Release/net10.0/LeadHandoff.Bench"
log "warming up: $WARMUP qualifying events at $RATE/s, not measured"
timeout 300 "$BENCH" --url "$API_URL" --source bench --secret "$SECRET" --rate "$RATE" --duration 5 --concurrency 32 \
  --leads "$WARMUP" --qualifying 1 --name warm-up >/dev/null
sleep 2   # the warm-up's last deliveries drain before the measured run starts
log "posting $EXPECT qualifying events at $RATE/s ($SHAPE)"
timeout 600 "$BENCH" --url "$API_URL" --source bench --secret "$SECRET" \
  --rate "$RATE" --duration "$DURATION" --concurrency 32 --leads "$EXPECT" --qualifying 1 --name "crm-latency-$RATE/s" \
  | grep -E "accepted|requests|latency" || true
status=0
wait "$CRM_PID" || status=$?
echo "== $SHAPE, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ) =="
cat "$WORK/crm.log"
exit "$status"
