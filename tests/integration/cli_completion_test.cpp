// `rapport completion bash`, sourced by a real bash and asked what completes a partial command
// line, the way bash's programmable completion asks it.
#include "server_process.hpp"

#include <gtest/gtest.h>

namespace rapport::testing {
namespace {

// What the completion function offers for `words`, the last one being completed.
std::string Complete(const std::string& shell, const std::string& words) {
  std::string script = "source <(" + std::string(RAPPORT_CLI_PATH) + " completion " + shell +
                       "); COMP_WORDS=(" + words + "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); " +
                       "_rapport; echo \"${COMPREPLY[*]}\"";
  std::string out = CommandOutput("bash -c '" + script + "' 2>&1");
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

TEST(CliCompletionTest, BashCompletesCommandsSubcommandsAndTheirOptions) {
  EXPECT_EQ(Complete("bash", "rapport ru"), "run");
  EXPECT_EQ(Complete("bash", "rapport run \"\""), "sla brand");
  EXPECT_EQ(Complete("bash", "rapport admin re"), "restore");
  // Options of the command reached so far, skipping arguments and global flags on the way.
  // Global options (they may go anywhere) come after the command's own.
  EXPECT_EQ(Complete("bash", "rapport --json run sla sla_x --"),
            "--help --from --to --wait --output --timeout --server --token --json");
  EXPECT_EQ(Complete("bash", "rapport sites list --js"), "--json");
  EXPECT_EQ(Complete("bash", "rapport sites --to"), "--token");
  EXPECT_EQ(Complete("bash", "rapport --se"), "--server");
  EXPECT_EQ(Complete("bash", "rapport nothing-like-this \"\""),
            Complete("bash", "rapport \"\""));  // an unknown word leaves the path unchanged
}

TEST(CliCompletionTest, ZshGetsTheSameThroughBashcompinitAndOtherShellsAreRefused) {
  std::string zsh = CommandOutput(std::string(RAPPORT_CLI_PATH) + " completion zsh");
  EXPECT_NE(zsh.find("bashcompinit"), std::string::npos);
  EXPECT_NE(zsh.find("complete -F _rapport rapport"), std::string::npos);
  std::string refused =
      CommandOutput(std::string(RAPPORT_CLI_PATH) + " completion fish >/dev/null 2>&1; echo $?");
  EXPECT_EQ(refused, "2\n");
}

}  // namespace
}  // namespace rapport::testing
