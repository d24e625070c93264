#include "gateway/route_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "google/api/annotations.pb.h"
#include "google/api/http.pb.h"

namespace carebridge::gateway {
namespace {

using google::protobuf::MethodDescriptor;

// The HTTP method and template of one rule (its own pattern, not its additional bindings).
std::pair<std::string, std::string> VerbAndPattern(const google::api::HttpRule& rule) {
  switch (rule.pattern_case()) {
    case google::api::HttpRule::kGet:
      return {"GET", rule.get()};
    case google::api::HttpRule::kPost:
      return {"POST", rule.post()};
    case google::api::HttpRule::kPut:
      return {"PUT", rule.put()};
    case google::api::HttpRule::kPatch:
      return {"PATCH", rule.patch()};
    case google::api::HttpRule::kDelete:
      return {"DELETE", rule.delete_()};
    case google::api::HttpRule::kCustom:
      return {rule.custom().kind(), rule.custom().path()};
    default:
      return {"", ""};
  }
}

absl::Status AddRule(const MethodDescriptor* method, const google::api::HttpRule& rule,
                     std::vector<Route>* routes) {
  auto [verb, pattern] = VerbAndPattern(rule);
  if (verb.empty()) return absl::OkStatus();
  auto invalid = [&](std::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("http rule of ", method->full_name(), ": ", std::string(why)));
  };
  auto path = PathTemplate::Parse(pattern);
  if (!path.ok()) return invalid(std::string(path.status().message()));
  if (!rule.body().empty() && rule.body() != "*") {
    const auto* field = method->input_type()->FindFieldByName(rule.body());
    if (field == nullptr) return invalid(absl::StrCat("no body field \"", rule.body(), "\""));
  }
  Route route{verb,
              *std::move(path),
              rule.body(),
              method,
              method->service()->name(),
              absl::StrCat("/", method->service()->full_name(), "/", method->name())};
  routes->push_back(std::move(route));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RouteTable> RouteTable::Build(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  RouteTable table;
  for (const auto* service : services) {
    for (int i = 0; i < service->method_count(); ++i) {
      const MethodDescriptor* method = service->method(i);
      if (method->client_streaming() || method->server_streaming()) continue;
      if (!method->options().HasExtension(google::api::http)) continue;
      const google::api::HttpRule& rule = method->options().GetExtension(google::api::http);
      if (auto status = AddRule(method, rule, &table.routes_); !status.ok()) return status;
      for (const auto& binding : rule.additional_bindings()) {
        if (auto status = AddRule(method, binding, &table.routes_); !status.ok()) return status;
      }
    }
  }
  std::stable_sort(table.routes_.begin(), table.routes_.end(), [](const Route& a, const Route& b) {
    if (a.path.literal_count() != b.path.literal_count()) {
      return a.path.literal_count() > b.path.literal_count();
    }
    if (a.path.has_verb() != b.path.has_verb()) return a.path.has_verb();
    return !a.path.has_double_wildcard() && b.path.has_double_wildcard();
  });
  return table;
}

RouteMatch RouteTable::Match(std::string_view http_method, std::string_view path) const {
  RouteMatch result;
  for (const Route& route : routes_) {
    auto bindings = route.path.Match(path);
    if (!bindings.has_value()) continue;
    if (route.http_method == http_method) {
      result.outcome = RouteMatch::Outcome::kMatched;
      result.route = &route;
      result.bindings = *std::move(bindings);
      result.allowed.clear();
      return result;
    }
    result.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    if (std::find(result.allowed.begin(), result.allowed.end(), route.http_method) ==
        result.allowed.end()) {
      result.allowed.push_back(route.http_method);
    }
  }
  return result;
}

}  // namespace carebridge::gateway
