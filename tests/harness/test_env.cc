#include "tests/harness/test_env.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

namespace carebridge::testing {
namespace {

std::mutex registry_mu;
std::vector<std::string>* registry = nullptr;  // GUARDED_BY(registry_mu); leaked on purpose

// With CAREBRIDGE_TEST_LOG_ARCHIVE set (a directory), copies the logs our own services wrote under
// `dir` (files named *.log whose first line is a logfmt event, "ts=...") there before `dir` goes,
// so infra/test can check the logs of a whole run for personal data.
void ArchiveServiceLogs(const std::string& dir) {
  const char* archive = std::getenv("CAREBRIDGE_TEST_LOG_ARCHIVE");
  if (archive == nullptr || *archive == '\0' || !std::filesystem::is_directory(archive)) return;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error) || it->path().extension() != ".log") continue;
    std::ifstream in(it->path());
    char head[3] = {};
    if (!in.read(head, sizeof(head)) || std::string(head, sizeof(head)) != "ts=") continue;
    const std::string name =
        std::filesystem::path(dir).filename().string() + "-" + it->path().filename().string();
    std::error_code ignored;
    std::filesystem::copy_file(it->path(), std::filesystem::path(archive) / name,
                               std::filesystem::copy_options::overwrite_existing, ignored);
  }
}

void RemoveRegisteredDirs() {
  std::lock_guard<std::mutex> lock(registry_mu);
  if (registry == nullptr) return;
  for (const std::string& dir : *registry) {
    ArchiveServiceLogs(dir);
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  registry->clear();
}

// True when every directory from `path` up to "/" can be searched by users other than its owner.
bool OthersCanTraverse(const std::filesystem::path& path) {
  std::filesystem::path current = std::filesystem::absolute(path);
  while (true) {
    struct stat st {};
    if (stat(current.c_str(), &st) != 0 || (st.st_mode & S_IXOTH) == 0) return false;
    if (current == current.root_path()) return true;
    current = current.parent_path();
  }
}

constexpr char kPrefix[] = "carebridge-test-";

std::string BaseDir() {
  const char* tmpdir = std::getenv("TMPDIR");
  if (tmpdir == nullptr || *tmpdir == '\0' || !std::filesystem::is_directory(tmpdir)) return "/tmp";
  if (geteuid() == 0 && !OthersCanTraverse(tmpdir)) return "/tmp";
  return tmpdir;
}

// Removes the directories of earlier test processes that died without cleaning up (SIGKILL, e.g. on
// a ctest timeout). Their names carry the owner's pid: carebridge-test-<pid>-XXXXXX.
void RemoveDirsOfDeadProcesses(const std::string& base) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(base, error)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(kPrefix, 0) != 0) continue;
    const pid_t owner = static_cast<pid_t>(std::atol(name.c_str() + std::strlen(kPrefix)));
    if (owner <= 0 || owner == getpid() || kill(owner, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove_all(entry.path(), ignored);
  }
}

}  // namespace

std::string TempDir() {
  const std::string base = BaseDir();
  static std::once_flag swept;
  std::call_once(swept, [&] { RemoveDirsOfDeadProcesses(base); });
  std::string pattern = base + "/" + kPrefix + std::to_string(getpid()) + "-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::fprintf(stderr, "carebridge test harness: mkdtemp(%s) failed: %s\n", pattern.c_str(),
                 std::strerror(errno));
    std::abort();
  }
  std::lock_guard<std::mutex> lock(registry_mu);
  if (registry == nullptr) {
    registry = new std::vector<std::string>();
    std::atexit(RemoveRegisteredDirs);
  }
  registry->push_back(pattern);
  return pattern;
}

std::string ReadFileTail(const std::string& path, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  const std::streamoff start = size > static_cast<std::streamoff>(max_bytes)
                                   ? size - static_cast<std::streamoff>(max_bytes)
                                   : 0;
  in.seekg(start);
  std::string tail(static_cast<std::size_t>(size - start), '\0');
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  tail.resize(static_cast<std::size_t>(in.gcount()));
  return tail;
}

namespace {
bool IsNumberChar(char c) { return (c >= '0' && c <= '9') || c == '.'; }
}  // namespace

std::string NumberAfter(std::string_view text, std::string_view marker) {
  const std::size_t at = text.find(marker);
  if (at == std::string_view::npos) return "";
  std::size_t end = at + marker.size();
  while (end < text.size() && IsNumberChar(text[end])) ++end;
  return std::string(text.substr(at + marker.size(), end - at - marker.size()));
}

std::string NumberBefore(std::string_view text, std::string_view marker) {
  const std::size_t at = text.rfind(marker);
  if (at == std::string_view::npos) return "";
  std::size_t begin = at;
  while (begin > 0 && IsNumberChar(text[begin - 1])) --begin;
  return std::string(text.substr(begin, at - begin));
}

}  // namespace carebridge::testing
