"""The HTTP/1.1 server of one worker: a thread per keep-alive connection on a listening socket shared by
all workers. Routes: GET /ping, POST /invocations, GET /execution-parameters. No access log.

Each response is written with one send (headers and body together; TCP_NODELAY), streamed responses with
Transfer-Encoding: chunked. drain() stops accepting, closes idle connections and lets in-flight requests
finish. The watchdog answers 504 to a request running longer than SAGEMAKER_MODEL_SERVER_TIMEOUT and ends
the worker (its master starts a new one), as the toolkit's model server does with a stuck worker."""
import http.server
import json
import logging
import os
import socket
import socketserver
import threading
import time
import traceback
from email.utils import formatdate

from clary_inference.errors import InferenceError, NoContent
from clary_inference.response import Request

logger = logging.getLogger("clary_inference")
_PHRASES = {s.value: s.phrase for s in http.HTTPStatus}
MAX_BODY = 1 << 30


class _Clock:
    """The Date header, formatted once a second."""

    def __init__(self):
        self.second = 0
        self.value = ""

    def date(self):
        now = int(time.time())
        if now != self.second:
            self.second, self.value = now, formatdate(now, usegmt=True)
        return self.value


class RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "clary-inference"
    sys_version = ""

    def setup(self):
        self.connection = self.request
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connection.settimeout(self.server.config.keepalive_s)
        self.rfile = self.connection.makefile("rb", -1)
        self.wfile = socketserver._SocketWriter(self.connection)
        self.busy = self.responded = self.timed_out = self.dead = False
        self.started = 0.0
        self.write_lock = threading.Lock()
        self.server.register(self)

    def finish(self):
        self.server.unregister(self)
        try:
            self.rfile.close()
        except OSError:
            pass

    def log_message(self, format, *args):  # noqa: A002 — no access log
        pass

    # ---- one request
    def handle_one_request(self):
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except OSError:  # idle keep-alive timeout, reset, or shut down by drain()
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        with self.server.lock:
            if self.dead:
                self.close_connection = True
                return
            self.busy, self.responded, self.started = True, False, time.monotonic()
        try:
            if len(self.raw_requestline) > 65536:
                self.send_error(414)
                return
            if not self.parse_request():
                return
            self.route()
        except OSError:
            self.close_connection = True
        except Exception:  # noqa: BLE001 — a bug or a bad request framing: answer 500 if nothing was sent
            logger.error("Request %r failed:\n%s", self.raw_requestline[:200], traceback.format_exc())
            self.close_connection = True
            if not self.responded:
                try:
                    self.reply(500, b"Internal error in the model server\n")
                except OSError:
                    pass
        finally:
            with self.server.lock:
                self.busy = False
                if self.server.draining:
                    self.close_connection = True

    def route(self):
        path = self.path.split("?", 1)[0]
        method = self.command
        if path == "/invocations" and method == "POST":
            return self.invocations()
        self.discard_body()
        if path == "/invocations":
            return self.reply(405, b"Use POST /invocations\n", extra={"Allow": "POST"})
        if path == "/ping":
            if method not in ("GET", "HEAD"):
                return self.reply(405, b"Use GET /ping\n", extra={"Allow": "GET"})
            return self.reply(200, b"", "application/json")
        if path == "/execution-parameters":
            if method != "GET":
                return self.reply(405, b"Use GET /execution-parameters\n", extra={"Allow": "GET"})
            body = json.dumps(self.server.execution_parameters()).encode("utf-8")
            return self.reply(200, body, "application/json")
        return self.reply(404, b"Not found: %s\n" % path.encode("utf-8", "replace"))

    def discard_body(self):
        """Read and drop a body sent where none is used, so the next request on the connection parses."""
        if self.headers.get("Content-Length", "0").strip() in ("", "0") and "Transfer-Encoding" not in self.headers:
            return
        try:
            self.read_body()
        except (ValueError, InferenceError):
            self.close_connection = True

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            size = 0
            while True:
                line = self.rfile.readline(1024)
                n = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if n == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                size += n
                if size > MAX_BODY:
                    raise InferenceError("request body too large", 413)
                parts.append(self.rfile.read(n))
                self.rfile.readline(3)
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise InferenceError("bad Content-Length %d" % length, 413 if length > 0 else 400)
        body = self.rfile.read(length) if length else b""
        if len(body) < length:
            raise ConnectionResetError("request body cut short")
        return body

    def invocations(self):
        try:
            body = self.read_body()
        except ValueError:
            self.close_connection = True
            return self.reply(400, b"Malformed request body framing\n")
        except InferenceError as e:
            self.close_connection = True
            return self.reply(int(e.status), (e.message + "\n").encode("utf-8"))
        headers = self.headers
        request = Request(body, headers.get("Content-Type"), headers.get("Accept"),
                          {k.lower(): v for k, v in headers.items()})
        limit = self.server.handler_slots
        if limit is None:
            return self._invoke(request)
        with limit:  # held while a streamed answer is produced too
            return self._invoke(request)

    def _invoke(self, request):
        try:
            response = self.server.app.invoke(request)
            if response.streaming:
                return self.stream(response)
        except NoContent:
            return self.reply(204, b"", None)
        except InferenceError as e:
            if e.status >= 500:
                logger.error("Invocation failed: %s\n%s", e.message, traceback.format_exc())
            return self.reply(int(e.status), e.message.encode("utf-8"))
        except Exception as e:  # noqa: BLE001 — the handler's exception is the 500's message
            trace = traceback.format_exc()
            status, message = _status_of(e)
            logger.error("Invocation failed: %s\n%s", message, trace)
            return self.reply(status, ("%s\n%s" % (message, trace)).encode("utf-8", "replace"))
        return self.reply(response.status, response.body, response.content_type, response.headers)

    # ---- writing
    def _head(self, status, content_type, extra, length=None):
        lines = ["HTTP/1.1 %d %s" % (status, _PHRASES.get(status, "")), "Date: " + self.server.clock.date()]
        if content_type:
            lines.append("Content-Type: " + content_type)
        if status == 204:
            pass  # no Content-Length on a 204 (RFC 9110)
        else:
            lines.append("Content-Length: %d" % length if length is not None else "Transfer-Encoding: chunked")
        for name, value in (extra or {}).items():
            lines.append("%s: %s" % (name, str(value).replace("\r", " ").replace("\n", " ")))
        if self.close_connection:
            lines.append("Connection: close")
        elif self.request_version == "HTTP/1.0":
            lines.append("Connection: keep-alive")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")

    def _send(self, data):
        with self.write_lock:
            if self.timed_out:
                raise ConnectionAbortedError("answered by the watchdog")
            self.responded = True
            self.connection.sendall(data)

    def reply(self, status, body, content_type="text/plain; charset=utf-8", extra=None):
        if self.command == "HEAD":
            body = b""
        self._send(self._head(status, content_type, extra, len(body)) + body)

    def stream(self, response):
        chunks = iter(response.body)
        try:
            first = next(chunks, None)
        except Exception as e:  # noqa: BLE001 — fails before anything is sent: an ordinary 500
            trace = traceback.format_exc()
            logger.error("Invocation failed: %s\n%s", e, trace)
            return self.reply(500, ("%s\n%s" % (str(e) or type(e).__name__, trace)).encode("utf-8", "replace"))
        if self.request_version == "HTTP/1.0":  # no chunked encoding: send it whole
            rest = b"".join(_bytes(c) for c in chunks)
            return self.reply(200, (_bytes(first) if first is not None else b"") + rest, response.content_type,
                              response.headers)
        self._send(self._head(response.status, response.content_type, response.headers))
        try:
            item = first
            while item is not None:
                data = _bytes(item)
                if data:
                    self.connection.sendall(b"%X\r\n%s\r\n" % (len(data), data))
                item = next(chunks, None)
        except Exception:  # noqa: BLE001 — too late for a status: cut the stream so the client sees an error
            logger.error("Streamed invocation failed after the response started:\n%s", traceback.format_exc())
            self.close_connection = True
            return
        self.connection.sendall(b"0\r\n\r\n")


def _status_of(e):
    """(status, message) of a handler's exception: 500 and str(e), unless it carries an HTTP error status as
    sagemaker_inference.errors.GenericInferenceToolkitError(status_code, message) does."""
    status = getattr(e, "status_code", None)
    message = getattr(e, "message", None) if isinstance(getattr(e, "message", None), str) else None
    if not (isinstance(status, int) and 400 <= status <= 599):
        status = 500
    return status, message or str(e) or type(e).__name__


def _bytes(item):
    return item.encode("utf-8") if isinstance(item, str) else bytes(item)


class InferenceServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, sock, app, config):
        socketserver.BaseServer.__init__(self, sock.getsockname()[:2], RequestHandler)
        self.socket = sock
        self.app = app
        self.config = config
        self.clock = _Clock()
        self.lock = threading.Lock()
        self.connections = set()
        self.draining = False
        self.expiring = False
        n = config.handler_concurrency
        self.handler_slots = threading.BoundedSemaphore(n) if n > 0 else None

    def register(self, conn):
        with self.lock:
            self.connections.add(conn)

    def unregister(self, conn):
        with self.lock:
            self.connections.discard(conn)

    def handle_error(self, request, client_address):
        logger.debug("Connection from %s ended with an error:\n%s", client_address, traceback.format_exc())

    def execution_parameters(self):
        params = {"MaxConcurrentTransforms": self.config.workers, "BatchStrategy": "MULTI_RECORD",
                  "MaxPayloadInMB": 6}
        custom = self.app.execution_parameters()
        if custom:
            params.update(custom)
        return params

    def drain(self, grace_s):
        """Stop accepting, close idle keep-alive connections, wait up to grace_s for in-flight requests."""
        with self.lock:
            self.draining = True
            idle = [c for c in self.connections if not c.busy]
            for c in idle:
                c.dead = True
        for c in idle:
            try:
                c.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.shutdown()
        self.socket.close()  # once every process has closed it, new connections are refused, not queued
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            with self.lock:
                if not self.connections:
                    return True
            time.sleep(0.05)
        return False

    def watchdog(self, timeout_s):
        """Answer 504 to requests running past timeout_s, then end this worker (a thread cannot be killed)."""
        while True:
            time.sleep(min(1.0, timeout_s / 4))
            now = time.monotonic()
            with self.lock:
                late = [c for c in self.connections if c.busy and not c.responded and now - c.started > timeout_s]
            if not late:
                continue
            self.expiring = True  # the worker's main thread then waits for the exit below
            self.shutdown()  # accept nothing more here: new connections wait for the other / the next worker
            answered = 0
            for c in late:
                with c.write_lock:
                    if c.responded:
                        continue
                    c.timed_out = True
                    message = ("The model did not answer within %d s (SAGEMAKER_MODEL_SERVER_TIMEOUT); the worker "
                               "is restarted\n" % timeout_s).encode("utf-8")
                    try:
                        c.close_connection = True
                        c.connection.sendall(c._head(504, "text/plain; charset=utf-8", None, len(message)) + message)
                    except OSError:
                        pass
                    answered += 1
            logger.error("%d request(s) ran past SAGEMAKER_MODEL_SERVER_TIMEOUT=%d s: restarting worker %d",
                         answered, timeout_s, os.getpid())
            os._exit(3)
