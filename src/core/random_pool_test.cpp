#include <rapport/core/random_pool.hpp>

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <string>
#include <thread>

namespace rapport {
namespace {

using Block = std::array<unsigned char, 16>;

Block Draw() {
  Block b{};
  PooledRandom(b.data(), b.size());
  return b;
}

TEST(RandomPool, NeverHandsOutTheSameBytesTwice) {
  std::set<Block> seen;
  for (int i = 0; i < 2000; ++i) EXPECT_TRUE(seen.insert(Draw()).second);  // ~8 refills
  Block other{};
  std::thread([&other] { other = Draw(); }).join();
  EXPECT_TRUE(seen.insert(other).second);
}

TEST(RandomPool, LargerThanThePoolStillFilled) {
  std::string big(10000, '\0');
  PooledRandom(big.data(), big.size());
  EXPECT_NE(big.find_first_not_of('\0'), std::string::npos);
  EXPECT_NE(big.find_last_not_of('\0'), 0u);
}

// A forked child must not draw the bytes its parent's pool still holds.
TEST(RandomPool, ForkedChildDoesNotReuseTheParentsPool) {
  Draw();  // the pool is filled and mostly unused
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    Block child = Draw();
    _exit(write(fds[1], child.data(), child.size()) == static_cast<ssize_t>(child.size()) ? 0 : 1);
  }
  close(fds[1]);
  Block parent = Draw();
  Block child{};
  ASSERT_EQ(read(fds[0], child.data(), child.size()), static_cast<ssize_t>(child.size()));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(parent, child);
}

}  // namespace
}  // namespace rapport
