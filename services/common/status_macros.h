// Small helpers for absl::Status plumbing (Debian's abseil 20220623 ships none).
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CB_CONCAT_INNER_(a, b) a##b
#define CB_CONCAT_(a, b) CB_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function when `expr` is not OK.
#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    ::absl::Status cb_status_ = (expr);      \
    if (!cb_status_.ok()) return cb_status_; \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr());` declares x from the value, or returns the status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  CB_ASSIGN_OR_RETURN_IMPL_(CB_CONCAT_(cb_statusor_, __LINE__), lhs, expr)
#define CB_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = *std::move(tmp)
