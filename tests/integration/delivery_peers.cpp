#include "delivery_peers.hpp"

#include "server_process.hpp"

#include <rapport/core/ids.hpp>

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <thread>

namespace rapport::testing {
namespace {

std::string SinkScript() { return std::string(RAPPORT_TESTS_DIR) + "/smtp_sink.py"; }

}  // namespace

WebhookReceiver::WebhookReceiver()
    : server_([this](const ReceivedRequest& r) {
        {
          std::lock_guard lock(mu_);
          received_.push_back(r);
        }
        if (stall_ > 0) {
          --stall_;
          std::this_thread::sleep_for(std::chrono::milliseconds(1500));
          return std::string();
        }
        if (fail_ > 0) {
          --fail_;
          return HttpResponse(500, "oops");
        }
        ++accepted_;
        return HttpResponse(204);
      }) {}

std::vector<ReceivedRequest> WebhookReceiver::received() const {
  std::lock_guard lock(mu_);
  return received_;
}

bool WebhookReceiver::WaitAccepted(int n, int timeout_ms) const {
  for (int waited = 0; waited < timeout_ms; waited += 20) {
    if (accepted_ >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

SmtpSink::SmtpSink()
    : dir_(std::filesystem::temp_directory_path() / ("rapport-smtp-" + NewUuidV4())) {
  std::filesystem::create_directories(dir_);
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    execl("/usr/bin/python3", "python3", SinkScript().c_str(), "serve", dir_.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int waited = 0; waited < 30'000 && port_ == 0; waited += 20) {  // until it listens
    std::ifstream in(dir_ / "port");
    if (!(in >> port_)) port_ = 0;
    if (port_ == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

SmtpSink::~SmtpSink() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  std::filesystem::remove_all(dir_);
}

std::vector<std::filesystem::path> SmtpSink::Messages() const {
  std::vector<std::filesystem::path> out;
  for (int i = 1; std::filesystem::exists(dir_ / (std::to_string(i) + ".eml")); ++i) {
    out.push_back(dir_ / (std::to_string(i) + ".eml"));
  }
  return out;
}

bool SmtpSink::WaitMessages(size_t n, int timeout_ms) const {
  for (int waited = 0; waited < timeout_ms; waited += 20) {
    if (Messages().size() >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

std::pair<boost::json::value, std::string> SmtpSink::Parse(const std::filesystem::path& eml) const {
  auto pdf = dir_ / (eml.stem().string() + ".pdf");
  std::string cmd =
      "/usr/bin/python3 " + SinkScript() + " extract '" + eml.string() + "' '" + pdf.string() + "'";
  std::string out = CommandOutput(cmd);
  std::ifstream in(pdf, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return {boost::json::parse(out), bytes};
}

}  // namespace rapport::testing
