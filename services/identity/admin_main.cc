// carebridge-admin: manages coordinator and admin accounts and partner API keys.
//
//   carebridge-admin user create --email E --role coordinator|admin [--language L]...
//                                [--lead] [--password-stdin] [--if-missing]
//   carebridge-admin user disable --email E
//   carebridge-admin user enable --email E
//   carebridge-admin user reset-password --email E [--password-stdin]
//   carebridge-admin partner create --name N --scopes inquiries:write,cases:read,catalog:read
//   carebridge-admin partner revoke --name N
//   carebridge-admin partner webhook --name N --url URL   (prints the new signing secret once)
//   carebridge-admin --help
//
// Without --password-stdin a password is generated and printed once. `partner create` prints the
// new key once, alone on its line (stdout); everything else goes to stderr. Every change is audited
// (actor "cli"). Reads CAREBRIDGE_PG_URI and CAREBRIDGE_REDIS_ADDR like the services. Exit status:
// 0 done, 1 refused (e.g. exists, not found), 2 usage or configuration error, 3 unavailable.
#include <sodium.h>

#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "services/common/config.h"
#include "services/common/credentials.h"
#include "services/common/logging.h"
#include "services/common/migrations.h"
#include "services/common/pg_pool.h"
#include "services/common/redis_client.h"
#include "services/identity/credential_registry.h"
#include "services/identity/identity_store.h"
#include "services/identity/passwords.h"

namespace {

using namespace carebridge;
using namespace carebridge::identity;

constexpr char kProgram[] = "carebridge-admin";
constexpr char kUsage[] = R"(usage:
  carebridge-admin user create --email E --role coordinator|admin [--language L]... [--lead]
                               [--password-stdin] [--if-missing]
  carebridge-admin user disable --email E
  carebridge-admin user enable --email E
  carebridge-admin user reset-password --email E [--password-stdin]
  carebridge-admin partner create --name N --scopes S[,S...]   (inquiries:write, cases:read,
                                                                 catalog:read; prints the key once)
  carebridge-admin partner revoke --name N
  carebridge-admin partner webhook --name N --url https://...  (signed stage-change webhooks to
                                                                 this URL; prints the secret once)
Environment: CAREBRIDGE_PG_URI, CAREBRIDGE_REDIS_ADDR (as the services).
)";

struct Args {
  std::string noun, verb;
  std::map<std::string, std::vector<std::string>> options;  // --name -> values
  std::set<std::string> flags;

  std::string One(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() || it->second.empty() ? "" : it->second.back();
  }
};

int Usage(const std::string& problem) {
  if (!problem.empty()) std::cerr << kProgram << ": " << problem << "\n";
  std::cerr << kUsage;
  return 2;
}

int Fail(const absl::Status& status) {
  std::cerr << kProgram << ": " << status.message() << std::endl;
  if (status.code() == absl::StatusCode::kUnavailable ||
      status.code() == absl::StatusCode::kInternal) {
    return 3;
  }
  return 1;
}

bool ReadPassword(const Args& args, std::string* password, bool* generated) {
  *generated = false;
  if (args.flags.count("--password-stdin")) {
    std::getline(std::cin, *password);
    return true;
  }
  *password = NewSecret("").substr(0, 24);
  *generated = true;
  return true;
}

bool IsLanguageTag(const std::string& tag) {
  if (tag.empty() || tag.size() > 8) return false;
  for (char c : tag) {
    if (!absl::ascii_isalpha(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int UserCommand(const Args& args, IdentityStore& store, CredentialRegistry& registry) {
  const std::string email = args.One("--email");
  if (email.empty() || email.find('@') == std::string::npos) return Usage("--email is required");
  const AuditContext audit{"cli", ""};
  if (args.verb == "create") {
    UserRecord user;
    user.email = email;
    user.role = args.One("--role");
    if (user.role != "coordinator" && user.role != "admin") {
      return Usage("--role must be coordinator or admin");
    }
    for (const std::string& value : args.options.count("--language") ? args.options.at("--language")
                                                                     : std::vector<std::string>{}) {
      for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        const std::string tag =
            absl::AsciiStrToLower(std::string(part).substr(0, std::string(part).find('-')));
        if (!IsLanguageTag(tag)) return Usage("--language takes BCP 47 tags such as ja or en");
        user.languages.push_back(tag);
      }
    }
    user.lead = args.flags.count("--lead") > 0;
    std::string password;
    bool generated = false;
    ReadPassword(args, &password, &generated);
    if (absl::Status s = CheckPasswordPolicy(password); !s.ok()) return Fail(s);
    auto hash = HashPassword(password);
    if (!hash.ok()) return Fail(hash.status());
    user.password_hash = *hash;
    auto id = store.CreateUser(user, audit);
    if (!id.ok()) {
      if (id.status().code() == absl::StatusCode::kAlreadyExists &&
          args.flags.count("--if-missing")) {
        std::cerr << "user exists; nothing to do\n";
        return 0;
      }
      return Fail(id.status());
    }
    std::cerr << "created " << user.role << " " << *id << "\n";
    if (generated) std::cout << password << std::endl;
    return 0;
  }
  if (args.verb == "disable" || args.verb == "enable") {
    auto id = store.SetUserActive(email, args.verb == "enable", audit);
    if (!id.ok()) return Fail(id.status());
    if (args.verb == "disable") {
      if (absl::Status s = registry.EndUserSessions(*id); !s.ok()) return Fail(s);
    }
    std::cerr << args.verb << "d user " << *id << "\n";
    return 0;
  }
  if (args.verb == "reset-password") {
    std::string password;
    bool generated = false;
    ReadPassword(args, &password, &generated);
    if (absl::Status s = CheckPasswordPolicy(password); !s.ok()) return Fail(s);
    auto hash = HashPassword(password);
    if (!hash.ok()) return Fail(hash.status());
    auto id = store.SetPasswordHash(email, *hash, audit);
    if (!id.ok()) return Fail(id.status());
    if (absl::Status s = registry.EndUserSessions(*id); !s.ok()) return Fail(s);
    std::cerr << "password reset for user " << *id << "; its sessions ended\n";
    if (generated) std::cout << password << std::endl;
    return 0;
  }
  return Usage("unknown user command");
}

int PartnerCommand(const Args& args, IdentityStore& store, CredentialRegistry& registry) {
  const std::string name = args.One("--name");
  if (name.empty() || name.size() > 200) return Usage("--name is required");
  const AuditContext audit{"cli", ""};
  if (args.verb == "create") {
    PartnerKeyRecord partner;
    partner.name = name;
    static const std::set<std::string> kScopes = {"inquiries:write", "cases:read", "catalog:read"};
    for (absl::string_view scope : absl::StrSplit(args.One("--scopes"), ',', absl::SkipEmpty())) {
      if (!kScopes.count(std::string(scope))) return Usage("unknown scope");
      partner.scopes.emplace_back(scope);
    }
    if (partner.scopes.empty()) return Usage("--scopes is required");
    const std::string key = NewSecret("cbk_");
    partner.key_hash = SecretHash(key);
    auto id = store.CreatePartner(partner, audit);
    if (!id.ok()) return Fail(id.status());
    partner.id = *id;
    if (absl::Status s = registry.MirrorPartnerKey(partner); !s.ok()) return Fail(s);
    std::cerr << "created partner " << *id << "; the key is shown once:\n";
    std::cout << key << std::endl;
    return 0;
  }
  if (args.verb == "revoke") {
    auto partner = store.RevokePartner(name, audit);
    if (!partner.ok()) return Fail(partner.status());
    if (absl::Status s = registry.MirrorPartnerKey(*partner); !s.ok()) return Fail(s);
    std::cerr << "revoked partner " << partner->id << "\n";
    return 0;
  }
  if (args.verb == "webhook") {
    const std::string url = args.One("--url");
    const bool http = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
    if (!http || url.size() > 2000 || url.find_first_of(" \t\r\n") != std::string::npos) {
      return Usage("--url must be an http:// or https:// URL");
    }
    const std::string secret = NewSecret("whsec_");
    auto id = store.SetPartnerWebhook(name, url, secret, audit);
    if (!id.ok()) return Fail(id.status());
    std::cerr << "webhooks of partner " << *id << " go to the new URL; the secret is shown once:\n";
    std::cout << secret << std::endl;
    return 0;
  }
  return Usage("unknown partner command");
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--lead" || arg == "--password-stdin" || arg == "--if-missing") {
      args.flags.insert(arg);
    } else if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= argc) return Usage(arg + " needs a value");
      args.options[arg].push_back(argv[++i]);
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() != 2) return Usage("");
  args.noun = positional[0];
  args.verb = positional[1];
  if (args.noun != "user" && args.noun != "partner") return Usage("unknown command");

  if (sodium_init() < 0) return Fail(absl::InternalError("libsodium failed to initialize"));
  InitLogging("admin", EnvString("CAREBRIDGE_LOG_LEVEL", "warning"));
  PgPoolConfig pg;
  pg.uri = EnvString("CAREBRIDGE_PG_URI", "postgresql://postgres@127.0.0.1:55432/carebridge");
  pg.size = 1;
  RedisConfig redis_config;
  if (absl::Status s =
          ParseRedisAddress(EnvString("CAREBRIDGE_REDIS_ADDR", "127.0.0.1:56379"), &redis_config);
      !s.ok()) {
    ExitWithConfigError(kProgram, s);
  }
  PgPool pool(pg);
  if (absl::Status s = ApplyMigrations(pool, "identity", IdentityMigrations()); !s.ok()) {
    return Fail(s);
  }
  RedisClient redis(redis_config);
  IdentityStore store(pool);
  CredentialRegistry registry(redis);
  return args.noun == "user" ? UserCommand(args, store, registry)
                             : PartnerCommand(args, store, registry);
}
