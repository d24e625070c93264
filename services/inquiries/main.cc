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
#include "services/inquiries/inquiries_grpc_service.h"
#include "services/inquiries/inquiry_store.h"
#include "services/inquiries/intake_service.h"

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
  const std::string listen = EnvString("CAREBRIDGE_INQUIRIES_LISTEN", "127.0.0.1:50051");

  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "inquiries", InquiriesMigrations()); !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  if (migrate_only) return 0;

  inquiries::InquiryStore store(pool);
  inquiries::IntakeService intake(store, [] { return absl::Now(); });
  inquiries::InquiriesGrpcService grpc_service(intake);
  auto server = GrpcServer::Start(listen, {&grpc_service});
  if (!server.ok()) ExitWithConfigError(kProgram, server.status());

  const int signal = WaitForTerminationSignal();
  LogInfo("shutting_down", {{"signal", signal}});
  (*server)->Shutdown();
  return 0;
}
