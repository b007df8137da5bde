#pragma once

#include <cstddef>

namespace lg {

class Runtime;

/// Sets how many threads of their own run the `sqlite` nodes' calls on `runtime`: SQLite blocks,
/// so its calls never run on the runtime's workers, and at most this many run at once (the
/// others wait in a queue, holding no thread). The default is the environment variable
/// LG_SQLITE_THREADS, else 4. Call it before the first `sqlite` node is built on the runtime;
/// throws std::logic_error when they already run with another count, std::invalid_argument for
/// 0 or more than 256.
void set_sqlite_threads(Runtime& runtime, std::size_t threads);

}  // namespace lg
