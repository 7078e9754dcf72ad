#ifndef LCBE_COMMON_RESULT_H_
#define LCBE_COMMON_RESULT_H_

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lcbe {

// Error describes why a fallible operation failed, in words fit for a log
// line or an operator. It never holds secrets such as the API key.
class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}

  const std::string& message() const { return message_; }

  // Returns a copy whose message is prefixed with `context: `.
  Error Wrap(const std::string& context) const {
    return Error(context + ": " + message_);
  }

 private:
  std::string message_;
};

// Result<T> holds either a value or an Error. Fallible work (HTTP, JSON,
// paging, configuration) returns one instead of throwing.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  // REQUIRES: !ok().
  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, Error> state_;
};

// Status is the Result of an operation that yields nothing but success.
class [[nodiscard]] Status {
 public:
  static Status Ok() { return Status(); }
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }

  // REQUIRES: !ok().
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Status() : error_(""), ok_(true) {}

  Error error_;
  bool ok_;
};

}  // namespace lcbe

#endif  // LCBE_COMMON_RESULT_H_
