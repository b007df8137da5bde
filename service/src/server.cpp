#include <logic_graph/service/server.hpp>

#include "file_watcher.hpp"
#include "listener.hpp"
#include "service_state.hpp"

#include <logic_graph/engine/exec/runtime.hpp>

#include <spdlog/logger.h>
#include <boost/asio/post.hpp>

namespace lg::service {

Server::Server(std::shared_ptr<Runtime> runtime, ServerOptions options) {
  const auto executor = runtime->get_executor();
  router_ = std::make_shared<Router>(std::move(runtime), std::move(options));
  listener_ = std::make_shared<detail::Listener>(router_, executor);
}

Server::~Server() {
  if (watcher_) {
    watcher_->stop();
  }
}

void Server::start() {
  const detail::ServiceState& state = router_->state();
  if (state.options.watch && !watcher_) {
    // Reloads run on the runtime's threads, like requests: building executors is CPU work.
    watcher_ = std::make_shared<detail::FileWatcher>(state.runtime->get_executor(),
                                                     state.options.graphs_dir,
                                                     [router = router_] { router->reload(); });
    watcher_->start();
  }
  listener_->start();
}

std::uint16_t Server::port() const noexcept {
  return listener_->port();
}

Router& Server::router() noexcept {
  return *router_;
}

void Server::begin_shutdown(std::function<void()> done) {
  if (watcher_) {
    watcher_->stop();
  }
  listener_->shutdown(std::move(done));
}

}  // namespace lg::service
