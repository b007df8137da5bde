#include "exec/own_threads.hpp"

#include <logic_graph/engine/exec/execution_error.hpp>

#include <spdlog/spdlog.h>

namespace lg::detail {

OwnThreads::OwnThreads(std::size_t count) : parts_(std::make_unique<Parts>()), io_(&parts_->io) {
  parts_->work.emplace(parts_->io.get_executor());
  parts_->threads.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    parts_->threads.emplace_back([io = io_] { run(*io); });
  }
}

void OwnThreads::run(boost::asio::io_context& io) noexcept {
  for (;;) {
    try {
      io.run();
      return;
    } catch (...) {
      // A handler threw (the engine's own never do): Asio lets run() be called again.
      try {
        spdlog::error("logic_graph: a handler on a runtime thread threw: {}",
                      describe(std::current_exception()));
      } catch (...) {
      }
    }
  }
}

OwnThreads::~OwnThreads() {
  parts_->work.reset();
  parts_->io.stop();
  if (running_in_this_thread()) {
    // The last holder let go on one of these threads, which cannot join itself.
    Parts* parts = parts_.release();
    try {
      std::thread([parts] {
        for (std::thread& thread : parts->threads) {
          if (thread.get_id() == std::this_thread::get_id()) {
            thread.detach();
          } else if (thread.joinable()) {
            thread.join();
          }
        }
        delete parts;
      }).detach();
    } catch (...) {
      // No thread to join them: they end with the process.
    }
    return;
  }
  for (std::thread& thread : parts_->threads) {
    thread.join();
  }
}

}  // namespace lg::detail
