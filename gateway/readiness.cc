#include "gateway/readiness.h"

#include <memory>
#include <mutex>

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include "absl/strings/ascii.h"

namespace carebridge::gateway {
namespace {

// Collects check results from several threads and reports once the last one is in.
struct Pending {
  std::mutex mu;
  int remaining = 0;                // GUARDED_BY(mu)
  bool ready = true;                // GUARDED_BY(mu)
  google::protobuf::Struct checks;  // GUARDED_BY(mu)
  std::function<void(bool, std::string)> done;

  void Add(const std::string& name, bool ok, const std::string& state) {
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      (*checks.mutable_fields())[name].set_string_value(state);
      ready = ready && ok;
      last = --remaining == 0;
    }
    if (last) Report();
  }

  void Report() {
    google::protobuf::Struct body;
    (*body.mutable_fields())["status"].set_string_value(ready ? "ready" : "unavailable");
    *(*body.mutable_fields())["checks"].mutable_struct_value() = checks;
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(body, &json);
    done(ready, std::move(json));
  }
};

}  // namespace

void Readiness::Check(std::function<void(bool ready, std::string json)> done) {
  auto pending = std::make_shared<Pending>();
  const std::vector<std::string> services = backends_->services();
  pending->remaining = static_cast<int>(services.size()) + 1;
  pending->done = std::move(done);
  for (const std::string& service : services) {
    backends_->CheckHealth(service, timeout_, [pending, service](bool serving) {
      pending->Add(absl::AsciiStrToLower(service), serving, serving ? "serving" : "not serving");
    });
  }
  auto pong = redis_->Command({"PING"});
  const bool redis_ok = pong.ok() && pong->type == RedisValue::Type::kStatus && pong->str == "PONG";
  pending->Add("redis", redis_ok, redis_ok ? "ok" : "unavailable");
}

}  // namespace carebridge::gateway
