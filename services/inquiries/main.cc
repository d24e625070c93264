// carebridge-inquiries: the Inquiries gRPC service. Wiring only: config, dependencies, serve.
//
//   carebridge-inquiries                 apply migrations, then serve until SIGTERM
//   carebridge-inquiries --migrate-only  apply migrations and exit
#include <cstring>
#include <iostream>

#include "services/common/config.h"
#include "services/common/grpc_server.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"
#include "services/inquiries/case_contact_store.h"
#include "services/inquiries/inquiries_grpc_service.h"
#include "services/inquiries/inquiry_store.h"
#include "services/inquiries/intake_service.h"
#include "services/inquiries/outbox_relay.h"

namespace {
constexpr char kProgram[] = "carebridge-inquiries";
}  // namespace

int main(int argc, char** argv) {
  using namespace carebridge;
  BlockTerminationSignals();
  bool migrate_only = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--migrate-only") == 0) {
      migrate_only = true;
    } else {
      std::cerr << "usage: " << kProgram << " [--migrate-only]" << std::endl;
      return 2;
    }
  }
  InitLogging("inquiries", EnvString("CAREBRIDGE_LOG_LEVEL", "info"));

  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  pg.size = static_cast<int>(ValueOrExit(kProgram, EnvInt("CAREBRIDGE_PG_POOL_SIZE", 16, 1, 512)));
  pg.prepared = inquiries::InquiryStoreStatements();
  for (auto& statement : inquiries::CaseContactStatements()) pg.prepared.push_back(statement);
  for (auto& statement : inquiries::OutboxRelayStatements()) pg.prepared.push_back(statement);
  const std::string listen = EnvString("CAREBRIDGE_INQUIRIES_LISTEN", "127.0.0.1:50051");
  // The outbox relay (see outbox_relay.h): on by default; off leaves relaying to other replicas.
  const bool relay_on = ValueOrExit(kProgram, EnvBool("CAREBRIDGE_OUTBOX_RELAY", true));
  inquiries::OutboxRelayConfig relay_config;
  relay_config.interval = std::chrono::milliseconds(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_OUTBOX_RELAY_INTERVAL_MS", 100, 1, 60000)));
  relay_config.batch = static_cast<int>(
      ValueOrExit(kProgram, EnvInt("CAREBRIDGE_OUTBOX_RELAY_BATCH", 200, 1, 5000)));
  relay_config.resend_after = absl::Milliseconds(ValueOrExit(
      kProgram, EnvInt("CAREBRIDGE_OUTBOX_RESEND_AFTER_MS", 600000, 1000, 7LL * 24 * 3600 * 1000)));
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }

  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "inquiries", InquiriesMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;

  inquiries::InquiryStore store(pool);
  inquiries::IntakeService intake(store, [] { return absl::Now(); });
  inquiries::CaseContactStore contacts(pool);
  inquiries::InquiriesGrpcService grpc_service(intake, contacts);
  auto server = GrpcServer::Start(listen, {&grpc_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());
  RedisClient redis(redis_config);
  inquiries::OutboxRelay relay(pool, redis, relay_config, [] { return absl::Now(); });
  if (relay_on) relay.Start();

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal}});
  relay.Stop();
  (*server)->Shutdown();
  return 0;
}
