#include "file_watcher.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string_view>

namespace lg::service::detail {

namespace asio = boost::asio;

namespace {

int watch_folder(const std::filesystem::path& dir) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    throw std::runtime_error(
        fmt::format("cannot watch {}: {}", dir.string(), std::strerror(errno)));
  }
  if (::inotify_add_watch(fd, dir.c_str(),
                          IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE) < 0) {
    const int error = errno;
    ::close(fd);
    throw std::runtime_error(
        fmt::format("cannot watch {}: {}", dir.string(), std::strerror(error)));
  }
  return fd;
}

bool names_graph_file(std::string_view name) {
  return name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml");
}

}  // namespace

FileWatcher::FileWatcher(const asio::any_io_executor& executor, const std::filesystem::path& dir,
                         std::function<void()> changed)
    : events_(executor, watch_folder(dir)), changed_(std::move(changed)) {}

void FileWatcher::start() {
  asio::co_spawn(events_.get_executor(), watch(), asio::detached);
}

void FileWatcher::stop() {
  asio::post(events_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->events_.close(ignored);
  });
}

asio::awaitable<void> FileWatcher::watch() {
  const auto self = shared_from_this();
  alignas(inotify_event) std::array<char, 4096> buffer{};
  while (events_.is_open()) {
    auto [error, bytes] =
        co_await events_.async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (error) {
      break;
    }
    bool relevant = false;
    for (std::size_t at = 0; at + sizeof(inotify_event) <= bytes;) {
      const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
      const std::string_view name = event->len > 0 ? std::string_view(event->name) : "";
      relevant = relevant || names_graph_file(name) || (event->mask & IN_Q_OVERFLOW) != 0;
      at += sizeof(inotify_event) + event->len;
    }
    if (relevant) {
      changed_();  // one reload for all the events read at once
    }
  }
}

}  // namespace lg::service::detail
