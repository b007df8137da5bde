#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <filesystem>
#include <functional>
#include <memory>

namespace lg::service::detail {

/// Calls `changed` when a graph file of a folder is written, moved in or out, or removed
/// (Linux inotify, read through Asio: no thread of its own). Editors' temporary files and
/// files of other kinds are ignored.
class FileWatcher : public std::enable_shared_from_this<FileWatcher> {
 public:
  /// Throws std::runtime_error when the folder cannot be watched.
  FileWatcher(const boost::asio::any_io_executor& executor, const std::filesystem::path& dir,
              std::function<void()> changed);
  void start();
  /// Stops watching (from any thread).
  void stop();

 private:
  boost::asio::awaitable<void> watch();

  boost::asio::posix::stream_descriptor events_;
  std::function<void()> changed_;
};

}  // namespace lg::service::detail
