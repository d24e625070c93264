# shellcheck shell=bash
# shellcheck disable=SC2034  # the variables here are used by the scripts that source it
# Shared helpers for infra/up, infra/down, infra/test and infra/deps.sh. Source it; do not run it.
#
# Everything the local stack owns lives under ./var: var/postgres (the cluster), var/redis (AOF),
# var/log/<name>.log and var/run/<name>.pid.

CB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CB_VAR="$CB_ROOT/var"
CB_LOG_DIR="$CB_VAR/log"
CB_RUN_DIR="$CB_VAR/run"
CB_PG_DATA="$CB_VAR/postgres"
CB_REDIS_DIR="$CB_VAR/redis"
# Debian's PostgreSQL binaries are not on PATH.
CB_PG_BIN=/usr/lib/postgresql/15/bin

# Ports and addresses; each can be overridden from the environment (see README "Configuration").
CB_PG_PORT=${CAREBRIDGE_PG_PORT:-55432}
CB_REDIS_PORT=${CAREBRIDGE_REDIS_PORT:-56379}
CB_GATEWAY_PORT=${CAREBRIDGE_GATEWAY_PORT:-8080}
# The local SMTP sink (aiosmtpd): mail the follow-ups worker sends lands in var/mail (a Maildir).
CB_SMTP_PORT=${CAREBRIDGE_SMTP_PORT:-2525}
CB_MAIL_DIR="$CB_VAR/mail"

# The services `up` starts, in start order (backends before the gateway), one per line:
#   <name> <binary, relative to the build dir> <migrate|->
# `migrate` means the binary owns a schema and is run once with --migrate-only before starting.
# Adding a service is one line here plus its variables in cb_service_env.
CB_SERVICES=(
  "inquiries services/inquiries/carebridge-inquiries migrate"
  "catalog services/catalog/carebridge-catalog migrate"
  "followups services/followups/carebridge-followups migrate"
  "scheduling services/scheduling/carebridge-scheduling migrate"
  "gateway gateway/carebridge-gateway -"
)

info() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Prints the secret kept in var/<name> (mode 600), generating 32 random bytes into it the first
# time. Secrets are never printed to the terminal or logged.
cb_secret() {
  local name=$1 file="$CB_VAR/$1"
  mkdir -p "$CB_VAR"
  if [ ! -s "$file" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$file")
    info "generated var/$name" >&2
  fi
  chmod 600 "$file"
  cat "$file"
}

# Environment every service gets. Values already set by the caller win.
cb_service_env() {
  # The suite's internal token: the bearer token the services present to each other for internal
  # RPCs (Inquiries' GetCaseContact / ConfirmFollowUps, Catalog's MatchCase, Scheduling's
  # reminders). The booking link secret signs patients' self-booking links: the follow-ups worker
  # signs, scheduling verifies; replacing it voids every link sent.
  CAREBRIDGE_INTERNAL_TOKEN=${CAREBRIDGE_INTERNAL_TOKEN:-$(cb_secret internal-token)}
  CAREBRIDGE_BOOKING_LINK_SECRET=${CAREBRIDGE_BOOKING_LINK_SECRET:-$(cb_secret booking-link-secret)}
  export CAREBRIDGE_INTERNAL_TOKEN CAREBRIDGE_BOOKING_LINK_SECRET
  export CAREBRIDGE_PG_URI=${CAREBRIDGE_PG_URI:-postgresql://postgres@127.0.0.1:$CB_PG_PORT/carebridge}
  export CAREBRIDGE_REDIS_ADDR=${CAREBRIDGE_REDIS_ADDR:-127.0.0.1:$CB_REDIS_PORT}
  export CAREBRIDGE_INQUIRIES_LISTEN=${CAREBRIDGE_INQUIRIES_LISTEN:-127.0.0.1:50051}
  export CAREBRIDGE_INQUIRIES_ADDR=${CAREBRIDGE_INQUIRIES_ADDR:-127.0.0.1:50051}
  export CAREBRIDGE_GATEWAY_LISTEN=${CAREBRIDGE_GATEWAY_LISTEN:-127.0.0.1:$CB_GATEWAY_PORT}
  export CAREBRIDGE_FOLLOWUPS_LISTEN=${CAREBRIDGE_FOLLOWUPS_LISTEN:-127.0.0.1:50054}
  # Where the gateway reaches the follow-ups worker (GET /v1/cases/{id}/followups).
  export CAREBRIDGE_FOLLOWUPS_ADDR=${CAREBRIDGE_FOLLOWUPS_ADDR:-$CAREBRIDGE_FOLLOWUPS_LISTEN}
  export CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN=${CAREBRIDGE_FOLLOWUPS_METRICS_LISTEN:-127.0.0.1:9464}
  export CAREBRIDGE_SCHEDULING_LISTEN=${CAREBRIDGE_SCHEDULING_LISTEN:-127.0.0.1:50053}
  export CAREBRIDGE_SCHEDULING_ADDR=${CAREBRIDGE_SCHEDULING_ADDR:-$CAREBRIDGE_SCHEDULING_LISTEN}
  export CAREBRIDGE_SMTP_URL=${CAREBRIDGE_SMTP_URL:-smtp://127.0.0.1:$CB_SMTP_PORT}
}

# Runs a command as the user owning the PostgreSQL cluster: `nobody` when we are root (PostgreSQL
# refuses to run as root), ourselves otherwise.
as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- "$@"
  else
    "$@"
  fi
}

# Hands a path to the PostgreSQL user (a no-op unless we are root).
chown_to_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then
    chown nobody:nogroup "$@"
  fi
}

# Prints the pid recorded in pid file $1 if that process is alive and its command line mentions
# $2 (so a pid reused by an unrelated process does not count). Returns non-zero otherwise.
live_pid() {
  local pidfile=$1 name=$2 pid
  [ -f "$pidfile" ] || return 1
  pid=$(head -n 1 "$pidfile" 2>/dev/null) || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name" || return 1
  printf '%s\n' "$pid"
}

# Sends SIGTERM to the process of pid file $1 (named $2), waits up to $3 seconds (default 15) for it
# to exit, then SIGKILLs it. Removes the pid file. Quiet no-op when nothing is running.
stop_by_pidfile() {
  local pidfile=$1 name=$2 grace=${3:-15} pid i
  if pid=$(live_pid "$pidfile" "$name"); then
    info "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      warn "$name did not stop within ${grace}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# Polls command "$@" (which should be quiet) every 0.2 s until it succeeds or $CB_WAIT_SECONDS
# (default 60) pass.
wait_until() {
  local deadline=$((SECONDS + ${CB_WAIT_SECONDS:-60}))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Configures (Ninja) and builds build dir $1 with extra cmake arguments "${@:2}".
cb_build() {
  local dir=$1
  shift
  info "configuring $dir"
  cmake -S "$CB_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
  info "building $dir"
  cmake --build "$dir"
}
