// The only translation unit that includes Boost.Beast/Asio. N I/O loops (one io_context and one
// thread each, N = ServerOptions::read_threads) own the sockets, spread round-robin by the
// acceptor, which has a loop of its own (with the signals and the drain) so that no handler ever
// delays an accept. GET and HEAD run inline on the connection's own loop: no hand-off and no post
// back, and at most N of them at once. Other methods (which may wait on the database writer's
// fsync) go to the write pool and their response is posted back to the loop. Each message gets a
// fresh parser with explicit limits and a timeout before every read and write.
#include <rapport/http/server.hpp>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <thread>

#include <unistd.h>

namespace rapport::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
// A connection's socket and stream name their loop's executor type: no type-erased executor is
// copied, compared or destroyed for each operation.
using LoopExecutor = asio::io_context::executor_type;
using LoopSocket = asio::basic_stream_socket<tcp, LoopExecutor>;
using LoopStream = beast::basic_stream<tcp, LoopExecutor, beast::unlimited_rate_policy>;

namespace {

bool RunsInline(std::string_view method) { return method == "GET" || method == "HEAD"; }

std::vector<std::unique_ptr<asio::io_context>> MakeLoops(int count) {
  std::vector<std::unique_ptr<asio::io_context>> loops;
  for (int i = 0; i < count; ++i) loops.push_back(std::make_unique<asio::io_context>(1));
  return loops;
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, ProtocolErrorResponder on_error)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        on_error_(std::move(on_error)),
        loops_(MakeLoops(1 + std::max(1, options_.read_threads))),
        acceptor_(*loops_[0]),
        writers_(static_cast<size_t>(std::max(1, options_.write_threads))),
        signals_(*loops_[0]) {}

  Status Listen() {
    boost::system::error_code ec;
    auto address = asio::ip::make_address(options_.host, ec);
    if (ec) return Error(ErrorCode::kValidation, "invalid listen host '" + options_.host + "'");
    tcp::endpoint endpoint(address, options_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error(ErrorCode::kServiceUnavailable, "cannot listen on " + options_.host + ":" +
                                                       std::to_string(options_.port) + ": " +
                                                       ec.message());
    }
    port_ = acceptor_.local_endpoint().port();
    return Ok{};
  }

  uint16_t port() const { return port_; }

  // Loop 0 (the acceptor's, the signals' and the drain's) runs on the calling thread, the
  // connections' loops on threads of their own; a work guard keeps a loop without connections
  // running.
  void Run(bool handle_signals) {
    if (handle_signals) {
      signals_.add(SIGTERM);
      signals_.add(SIGINT);
      signals_.async_wait([this](boost::system::error_code ec, int) {
        if (!ec) Shutdown();
      });
    }
    Accept();
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    std::vector<std::thread> threads;
    for (size_t i = 1; i < loops_.size(); ++i) {
      guards.push_back(asio::make_work_guard(*loops_[i]));
      threads.emplace_back([loop = loops_[i].get()] { loop->run(); });
    }
    loops_[0]->run();
    for (auto& thread : threads) thread.join();
    writers_.join();
  }

  void Shutdown() {
    asio::post(acceptor_.get_executor(), [this] {
      if (draining_.exchange(true)) return;
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      signals_.cancel(ignored);
      drain_deadline_ = std::chrono::steady_clock::now() + options_.drain_timeout;
      WaitForDrain();
    });
  }

  // Accessed from sessions.
  const ServerOptions& options() const { return options_; }
  bool draining() const { return draining_.load(std::memory_order_relaxed); }
  asio::thread_pool& writers() { return writers_; }
  Handler& handler() { return handler_; }
  ProtocolErrorResponder& on_error() { return on_error_; }
  std::atomic<int>& in_flight() { return in_flight_; }

 private:
  // Accepted on loop 0, then moved to the next connection loop in turn: the socket's descriptor
  // is released and re-registered, so no pending accept ever holds an object of another loop.
  void Accept() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (acceptor_.is_open()) Accept();
        return;
      }
      auto protocol = socket.local_endpoint(ec).protocol();
      LoopSocket moved(loops_[1 + next_loop_++ % (loops_.size() - 1)]->get_executor());
      if (!ec) {
        auto fd = socket.release(ec);
        if (!ec) moved.assign(protocol, fd, ec);
        if (ec) ::close(fd);
      }
      if (!ec) {
        boost::system::error_code ignored;
        moved.set_option(tcp::no_delay(true), ignored);
        StartSession(std::move(moved));
      }
      Accept();
    });
  }

  void StartSession(LoopSocket socket);

  void WaitForDrain() {
    if (in_flight_.load() == 0 || std::chrono::steady_clock::now() >= drain_deadline_) {
      for (auto& loop : loops_) loop->stop();
      return;
    }
    auto timer = std::make_shared<asio::steady_timer>(*loops_[0], std::chrono::milliseconds(20));
    timer->async_wait([this, timer](boost::system::error_code) { WaitForDrain(); });
  }

  ServerOptions options_;
  Handler handler_;
  ProtocolErrorResponder on_error_;
  // Declared first, destroyed last: every socket, timer and pending handler belongs to one loop.
  std::vector<std::unique_ptr<asio::io_context>> loops_;
  tcp::acceptor acceptor_;
  asio::thread_pool writers_;
  asio::signal_set signals_;
  size_t next_loop_ = 0;  // touched on loop 0 only
  uint16_t port_ = 0;
  std::atomic<bool> draining_{false};
  std::chrono::steady_clock::time_point drain_deadline_;
  std::atomic<int> in_flight_{0};
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(LoopSocket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    boost::system::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = remote.address().to_string();
  }

  void Start() { ReadHeader(); }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.options().max_header_bytes));
    // The header parse checks Content-Length against this limit, before the path is known: allow
    // the largest here and apply the route's own limit in OnHeader.
    parser_->body_limit(
        std::max(server_.options().max_body_bytes, server_.options().max_bulk_body_bytes));
    stream_.expires_after(server_.options().idle_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    bool has_te = req.find(bhttp::field::transfer_encoding) != req.end();
    bool has_cl = req.find(bhttp::field::content_length) != req.end();
    if (has_te && (has_cl || !beast::iequals(req[bhttp::field::transfer_encoding], "chunked"))) {
      return SendProtocolError(400);
    }
    if (server_.draining()) return SendProtocolError(503);
    std::string_view target = req.target();
    std::string_view path = target.substr(0, target.find('?'));
    size_t limit = server_.options().max_body_bytes;
    for (const auto& bulk : server_.options().bulk_paths) {
      if (path == bulk) limit = server_.options().max_bulk_body_bytes;
    }
    auto declared = parser_->content_length();
    if (declared && *declared > limit) return SendProtocolError(413);
    parser_->body_limit(limit);
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       req.version());
      stream_.expires_after(server_.options().read_timeout);
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code wec, size_t) {
                           if (wec) return self->Close();
                           self->ReadBody();
                         });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->Dispatch();
                      });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return SendProtocolError(413);
    if (ec == bhttp::error::header_limit) return SendProtocolError(431);
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::error::operation_aborted || ec == bhttp::error::partial_message) {
      return Close();
    }
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) {
      return SendProtocolError(400);
    }
    Close();
  }

  void SendProtocolError(int status) {
    std::string path = RequestPathSoFar();
    Response response = server_.on_error()(status, path);
    response.close = true;
    keep_alive_ = false;
    linger_ = status == 413 || status == 431 || status == 400;
    ++server_.in_flight();
    Write(std::move(response), 11);
  }

  // The request-target's path, from the parsed header or else the raw request line received so
  // far (for errors raised before the header is complete); "" when unknown.
  std::string RequestPathSoFar() const {
    std::string_view target;
    if (parser_) target = parser_->get().target();
    if (target.empty()) {
      auto data = buffer_.cdata();
      std::string_view raw(static_cast<const char*>(data.data()), data.size());
      raw = raw.substr(0, raw.find("\r\n"));
      size_t first = raw.find(' ');
      size_t second = first == raw.npos ? raw.npos : raw.find(' ', first + 1);
      if (second != raw.npos) target = raw.substr(first + 1, second - first - 1);
    }
    return std::string(target.substr(0, target.find('?')));
  }

  void Dispatch() {
    auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    int version = msg.version();
    FillRequest(msg);
    ++server_.in_flight();
    if (RunsInline(request_.method)) return Write(server_.handler()(request_), version);
    asio::post(server_.writers(), [self = shared_from_this(), version] {
      Response response = self->server_.handler()(self->request_);
      asio::post(self->stream_.get_executor(), [self, version, r = std::move(response)]() mutable {
        self->Write(std::move(r), version);
      });
    });
  }

  // Into the session's one Request, whose strings keep their capacity from message to message
  // (no other message is read until this one's response is written).
  void FillRequest(bhttp::request<bhttp::string_body>& msg) {
    Request& request = request_;
    request.method.assign(msg.method_string());
    std::string_view target = msg.target();
    request.target.assign(target);
    size_t q = target.find('?');
    request.path.assign(target.substr(0, q));
    if (q != std::string_view::npos) {
      request.query.assign(target.substr(q + 1));
    } else {
      request.query.clear();
    }
    size_t count = 0;
    for (const auto& field : msg) {
      if (count == request.headers.size()) request.headers.emplace_back();
      auto& [name, value] = request.headers[count++];
      name.assign(field.name_string());
      for (auto& c : name) c = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
      value.assign(field.value());
    }
    request.headers.resize(count);
    request.body = std::move(msg.body());
    request.remote_address = remote_;
  }

  // The whole response in one buffer and one write: Beast's serializer cost more than the
  // handler of a small GET.
  void Write(Response response, int version) {
    if (response.next_piece) return WriteStreamed(std::move(response), version);
    bool keep = keep_alive_ && !response.close && !server_.draining();
    auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(response.status));
    SerializeResponseInto(wire_, response, std::string_view(reason.data(), reason.size()), version,
                          keep);
    stream_.expires_after(server_.options().read_timeout);
    asio::async_write(stream_, asio::buffer(wire_),
                      [self = shared_from_this(), keep](beast::error_code ec, size_t) {
                        --self->server_.in_flight();
                        if (self->wire_.capacity() > kKeptWireBytes)
                          std::string().swap(self->wire_);
                        if (ec || !keep) return self->Close();
                        self->ReadHeader();
                      });
  }

  // The header with Content-Length, then each piece: read and written on this loop.
  void WriteStreamed(Response response, int version) {
    auto res = std::make_shared<bhttp::response<bhttp::empty_body>>();
    res->version(version);
    res->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) res->insert(name, value);
    res->content_length(static_cast<uint64_t>(response.body_length));
    bool keep = keep_alive_ && !response.close && !server_.draining();
    res->keep_alive(keep);
    auto source = std::make_shared<Response>(std::move(response));
    stream_.expires_after(server_.options().read_timeout);
    bhttp::async_write(
        stream_, *res,
        [self = shared_from_this(), res, source, keep](beast::error_code ec, size_t) {
          if (ec) return self->Finish(false);
          self->NextPiece(source, 0, keep);
        });
  }

  void NextPiece(std::shared_ptr<Response> source, int64_t sent, bool keep) {
    if (sent >= source->body_length) return Finish(keep);
    auto piece = std::make_shared<std::optional<std::string>>(source->next_piece());
    if (!*piece || (*piece)->empty()) return Finish(false);  // short: the client knows
    stream_.expires_after(server_.options().read_timeout);
    asio::async_write(
        stream_, asio::buffer(**piece),
        [self = shared_from_this(), source, sent, keep, piece](beast::error_code ec, size_t n) {
          if (ec) return self->Finish(false);
          self->NextPiece(source, sent + static_cast<int64_t>(n), keep);
        });
  }

  void Finish(bool keep) {
    --server_.in_flight();
    if (!keep) return Close();
    ReadHeader();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    if (!linger_) return stream_.close();
    // The request was refused before its body was read: closing with unread bytes would make the
    // kernel reset the connection, and the client could lose the error response. Read and drop
    // what the client still sends, for a short while, before closing (a lingering close).
    stream_.expires_after(kLingerTime);
    Drain(std::make_shared<std::array<char, 16384>>(), 0);
  }

  void Drain(std::shared_ptr<std::array<char, 16384>> scratch, size_t drained) {
    stream_.async_read_some(asio::buffer(*scratch), [self = shared_from_this(), scratch, drained](
                                                        beast::error_code ec, size_t n) {
      if (ec || drained + n > kLingerBytes) return self->stream_.close();
      self->Drain(scratch, drained + n);
    });
  }

  static constexpr auto kLingerTime = std::chrono::seconds(2);
  static constexpr size_t kLingerBytes = 64 << 20;
  static constexpr size_t kKeptWireBytes = 64 << 10;  // a larger response's buffer is freed

  LoopStream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  Request request_;
  std::string wire_;  // the response being written (one at a time); its capacity is reused
  bool keep_alive_ = true;
  bool linger_ = false;  // drain before closing (a refused request's body may still arrive)
};

}  // namespace

void Server::Impl::StartSession(LoopSocket socket) {
  std::make_shared<Session>(std::move(socket), *this)->Start();
}

Server::Server(ServerOptions options, Handler handler, ProtocolErrorResponder on_error)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), std::move(on_error))) {}
Server::~Server() = default;
Status Server::Listen() { return impl_->Listen(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run(bool handle_signals) { impl_->Run(handle_signals); }
void Server::Shutdown() { impl_->Shutdown(); }

}  // namespace rapport::http
