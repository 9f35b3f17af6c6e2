"""Pre-forked workers: two workers answer concurrent keep-alive connections, a worker that dies is replaced,
SIGTERM lets in-flight requests finish and exits 0, a request past SAGEMAKER_MODEL_SERVER_TIMEOUT gets 504
and its worker is replaced."""
import json
import os
import signal
import threading
import time
import unittest

from clary_inference import cpus
from tests.test_inference_helpers import InferenceTestCase, ServerProcess, call

SCRIPT = '''
import json, os, threading, time

lock = threading.Lock()
active, peak = [0], [0]

def model_fn(model_dir):
    return os.getpid()

def input_fn(body, content_type):
    return json.loads(body)

def predict_fn(data, model):
    print("predict_fn n=%s" % data.get("n"))
    with lock:
        active[0] += 1
        peak[0] = max(peak[0], active[0])
    try:
        deadline = time.time() + data.get("wait_for_peer", 0)
        while peak[0] < 2 and time.time() < deadline:  # two requests running at once (ever) end the wait
            time.sleep(0.01)
        time.sleep(data.get("sleep", 0))
        return {"pid": model, "echo": data.get("n"), "peak": peak[0], "omp": os.environ.get("OMP_NUM_THREADS")}
    finally:
        with lock:
            active[0] -= 1

def output_fn(prediction, accept):
    return json.dumps(prediction)
'''


def children(pid):
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        return sorted(int(p) for p in f.read().split())


class WorkersTest(InferenceTestCase):
    def setUp(self):
        self.dir = self.model_dir()
        self.dir.file("code/inference.py", SCRIPT)

    def invoke(self, conn, **payload):
        status, _, body = call(conn, "POST", "/invocations", json.dumps(payload), {"Content-Type": "application/json"})
        return status, body

    def test_two_workers_serve_concurrent_connections_and_a_dead_one_is_replaced(self):
        server, _ = self.serve(self.dir, "sklearn", SAGEMAKER_MODEL_SERVER_WORKERS=2)
        server.wait_output("Ready:")
        workers = children(server.proc.pid)
        self.assertEqual(len(workers), 2)
        seen, errors = set(), []
        omp = str(max(1, cpus.available() // 2))  # the CPUs shared between the two workers' thread pools

        def client(k):
            conn = server.connection()
            try:
                for i in range(5):
                    status, body = self.invoke(conn, n=k * 100 + i, sleep=0.01)
                    reply = json.loads(body)
                    if status != 200 or reply["echo"] != k * 100 + i or reply["omp"] != omp:
                        errors.append((status, body))
                    seen.add(reply["pid"])
            except Exception as e:  # noqa: BLE001
                errors.append(e)
            finally:
                conn.close()

        for _ in range(20):  # which worker accepts a connection is the kernel's choice: retry until both did
            threads = [threading.Thread(target=client, args=(k,)) for k in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if len(seen) == 2:
                break
        self.assertEqual(errors, [])
        self.assertEqual(seen, set(workers))

        os.kill(workers[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = children(server.proc.pid)
            if len(now) == 2 and workers[0] not in now:
                break
            time.sleep(0.1)
        self.assertEqual(len(children(server.proc.pid)), 2)
        self.assertNotIn(workers[0], children(server.proc.pid))
        server.wait_output("died (signal 9); starting a new one", 30, "stderr")
        server.wait_ready()

    def test_worker_concurrency_limit_runs_one_request_at_a_time(self):
        limited = ServerProcess(self.dir.path, "sklearn", CLARY_INFERENCE_WORKER_CONCURRENCY=1)
        self.addCleanup(limited.kill)
        unlimited, _ = self.serve(self.dir, "sklearn")
        limited.wait_ready()
        for server, wait, want in ((unlimited, 30, 2), (limited, 1, 1)):
            replies = []

            def client(n):
                conn = server.connection()
                try:
                    replies.append(self.invoke(conn, n=n, wait_for_peer=wait))
                finally:
                    conn.close()

            threads = [threading.Thread(target=client, args=(n,)) for n in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            self.assertEqual([r[0] for r in replies], [200, 200])
            self.assertEqual([json.loads(r[1])["peak"] for r in replies], [want, want], server.stderr)

    def test_sigterm_finishes_the_request_in_flight_then_exits_0(self):
        server, conn = self.serve(self.dir, "sklearn")
        result = {}

        def slow():
            result["reply"] = self.invoke(conn, n=1, sleep=3)

        t = threading.Thread(target=slow)
        t.start()
        server.wait_output("predict_fn n=1", 30)  # the request is in flight (its print() is line-buffered)
        idle = server.connection()
        self.addCleanup(idle.close)
        self.assertEqual(self.invoke(idle, n=2)[0], 200)  # an idle keep-alive connection is closed by the drain
        server.terminate()
        t.join(30)
        self.assertEqual(result["reply"][0], 200)
        self.assertEqual(json.loads(result["reply"][1])["echo"], 1)
        self.assertEqual(server.wait_exit(30), 0)

    def test_request_past_the_timeout_gets_504_and_the_worker_is_replaced(self):
        server, conn = self.serve(self.dir, "sklearn", SAGEMAKER_MODEL_SERVER_TIMEOUT=1)
        first = children(server.proc.pid)
        status, body = self.invoke(conn, n=1, sleep=30)
        self.assertEqual(status, 504)
        self.assertIn(b"SAGEMAKER_MODEL_SERVER_TIMEOUT", body)
        server.wait_ready()
        conn = server.connection()
        self.addCleanup(conn.close)
        status, body = self.invoke(conn, n=2)
        self.assertEqual(status, 200)
        self.assertNotEqual(json.loads(body)["pid"], first[0])


if __name__ == "__main__":
    unittest.main()
