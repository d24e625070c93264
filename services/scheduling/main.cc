// carebridge-scheduling: the Scheduling gRPC service. Wiring only: config, dependencies, serve.
//
//   carebridge-scheduling                 apply migrations, then serve until SIGTERM
//   carebridge-scheduling --migrate-only  apply migrations (schema and seed data) and exit
//
// Configuration (environment; see README "Scheduling"):
//   CAREBRIDGE_PG_URI, CAREBRIDGE_PG_POOL_SIZE (16), CAREBRIDGE_REDIS_ADDR (127.0.0.1:56379),
//   CAREBRIDGE_SCHEDULING_LISTEN (127.0.0.1:50053), CAREBRIDGE_INTERNAL_TOKEN,
//   CAREBRIDGE_INQUIRIES_ADDR (127.0.0.1:50051), CAREBRIDGE_INQUIRIES_TIMEOUT_MS (2000),
//   CAREBRIDGE_CATALOG_ADDR (127.0.0.1:50052), CAREBRIDGE_CATALOG_TIMEOUT_MS (2000),
//   CAREBRIDGE_BOOKING_LINK_SECRET (verifies patients' booking links; empty: no self-booking),
//   CAREBRIDGE_PUBLIC_BASE_URL (http://127.0.0.1:8080), CAREBRIDGE_OUTBOX_RELAY (true),
//   CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS (100), CAREBRIDGE_OUTBOX_RESEND_AFTER_MS (600000),
//   CAREBRIDGE_STAGE_SYNC_INTERVAL_MS (5000).
#include <sodium.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "services/common/authenticator.h"
#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/outbox_relay.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"
#include "services/scheduling/booking_store.h"
#include "services/scheduling/case_link.h"
#include "services/scheduling/catalog_link.h"
#include "services/scheduling/host_store.h"
#include "services/scheduling/scheduling_grpc_service.h"
#include "services/scheduling/scheduling_service.h"

namespace {
constexpr char kProgram[] = "carebridge-scheduling";
}  // namespace

int main(int argc, char** argv) {
  using namespace carebridge;
  using namespace carebridge::scheduling;
  BlockTerminationSignals();
  if (sodium_init() < 0)
    ExitWithConfigError(kProgram, absl::InternalError("libsodium init failed"));
  const bool migrate_only = MigrateOnlyFlag(kProgram, argc, argv);
  InitLogging("scheduling", EnvString("CAREBRIDGE_LOG_LEVEL", "info"));

  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  pg.size = static_cast<int>(ValueOrExit(kProgram, EnvInt("CAREBRIDGE_PG_POOL_SIZE", 16, 1, 512)));
  constexpr char kOutbox[] = "scheduling.outbox";
  pg.prepared = OutboxRelayStatements(kOutbox);
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  const std::string listen = EnvString("CAREBRIDGE_SCHEDULING_LISTEN", "127.0.0.1:50053");
  AuthenticatorConfig auth_config;
  auth_config.internal_token = EnvString("CAREBRIDGE_INTERNAL_TOKEN", "");
  const std::string inquiries_addr = EnvString("CAREBRIDGE_INQUIRIES_ADDR", "127.0.0.1:50051");
  const auto inquiries_timeout = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_INQUIRIES_TIMEOUT_MS", 2000, 1, 60000)));
  const std::string catalog_addr = EnvString("CAREBRIDGE_CATALOG_ADDR", "127.0.0.1:50052");
  const auto catalog_timeout = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_CATALOG_TIMEOUT_MS", 2000, 1, 60000)));
  const std::string link_secret = EnvString("CAREBRIDGE_BOOKING_LINK_SECRET", "");
  SchedulingConfig config;
  config.public_base_url = EnvString("CAREBRIDGE_PUBLIC_BASE_URL", "http://127.0.0.1:8080");
  const bool relay_on = ValueOrExit(kProgram, EnvBool("CAREBRIDGE_OUTBOX_RELAY", true));
  OutboxRelayConfig relay_config;
  relay_config.table = kOutbox;
  relay_config.job_prefix = "scheduling:";
  relay_config.interval = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", 100, 1, 60000)));
  relay_config.resend_after = absl::Milliseconds(ValueOrExit(
      kProgram, EnvInt("CAREBRIDGE_OUTBOX_RESEND_AFTER_MS", 600000, 1000, 7LL * 24 * 3600 * 1000)));
  const auto stage_sync_interval = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_STAGE_SYNC_INTERVAL_MS", 5000, 10, 3600000)));

  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "scheduling", SchedulingMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;
  if (link_secret.empty()) LogWarning("booking_links_disabled");

  RedisClient redis(redis_config);
  Authenticator auth(&redis, auth_config);
  if (auth.internal_open()) LogWarning("internal_rpcs_unauthenticated");
  HostStore hosts(pool);
  BookingStore bookings(pool, {absl::Hours(24), absl::Hours(1)}, "video_consultation");
  GrpcCaseLink cases(inquiries_addr, inquiries_timeout, auth_config.internal_token);
  GrpcCatalogLink catalog(catalog_addr, catalog_timeout, auth_config.internal_token);
  SchedulingService scheduling(hosts, bookings, cases, catalog, config, [] { return absl::Now(); });
  SchedulingGrpcService grpc_service(scheduling, auth, link_secret);
  auto server = GrpcServer::Start(listen, {&grpc_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());
  OutboxRelay relay(pool, redis, relay_config, [] { return absl::Now(); });
  if (relay_on) relay.Start();

  // Case stage moves that failed when the booking was made (Inquiries down) are retried here.
  std::mutex mu;
  std::condition_variable wake;
  bool stopping = false;
  std::thread stage_sync([&] {
    std::unique_lock<std::mutex> lock(mu);
    while (!wake.wait_for(lock, stage_sync_interval, [&] { return stopping; })) {
      lock.unlock();
      if (const int moved = scheduling.SyncCaseStages(100); moved > 0) {
        LogInfo("case_stages_synced", {{"count", moved}});
      }
      lock.lock();
    }
  });
  LogInfo("serving", {{"port", (*server)->port()}});

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal}});
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  wake.notify_all();
  stage_sync.join();
  relay.Stop();
  (*server)->Shutdown();
  return 0;
}
