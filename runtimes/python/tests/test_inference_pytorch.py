"""PyTorch endpoints: a TorchScript model.pt with the default handlers, an eager model with the user's
model_fn, and the clear failure when neither applies."""
import io
import json
import unittest

from tests.test_inference_helpers import PYTHON, InferenceTestCase, ModelDir, ServerProcess, call, has_module

HAVE_TORCH = has_module("torch")

NET = '''
import torch

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(3, 2)

    def forward(self, x):
        return torch.relu(self.linear(x)) + 1
'''

USER_MODEL_FN = NET + '''
import os

def model_fn(model_dir):
    net = Net()
    net.load_state_dict(torch.load(os.path.join(model_dir, "weights.pth")))
    return net
'''


def _net():
    import torch

    namespace = {}
    exec(NET, namespace)  # noqa: S102 — the same class the user script defines
    torch.manual_seed(0)
    return namespace["Net"]()


SERVERS = {}


def setUpModule():
    """Save the three models and start their servers together (each imports torch; they load in parallel)."""
    if not HAVE_TORCH:
        return
    import torch

    net = _net()
    SERVERS["net"] = net
    scripted = ModelDir()
    torch.jit.save(torch.jit.trace(net, torch.zeros(1, 3)), scripted.join("model.pt"))
    SERVERS["scripted"] = (scripted, ServerProcess(scripted.path, "pytorch"))
    user = ModelDir()
    torch.save(net.state_dict(), user.join("weights.pth"))
    user.file("code/inference.py", USER_MODEL_FN)
    SERVERS["user"] = (user, ServerProcess(user.path, "pytorch", SAGEMAKER_PROGRAM="inference.py",
                                           SAGEMAKER_SUBMIT_DIRECTORY=user.join("code")))
    eager = ModelDir()
    torch.save(net.state_dict(), eager.join("model.pth"))
    SERVERS["eager"] = (eager, ServerProcess(eager.path, "pytorch"))


def tearDownModule():
    for name in ("scripted", "user", "eager"):
        if name in SERVERS:
            SERVERS[name][1].kill()
            SERVERS[name][0].cleanup()


def _connection(test, name):
    conn = SERVERS[name][1].wait_ready().connection()
    test.addCleanup(conn.close)
    return conn


@unittest.skipUnless(HAVE_TORCH, "python3-torch not installed for %s" % PYTHON)
class TorchScriptDefaultTest(InferenceTestCase):
    def test_torchscript_model_pt_over_json_csv_and_npy(self):
        import numpy as np
        import torch

        net = SERVERS["net"]
        conn = _connection(self, "scripted")
        x = [[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]]
        want = net(torch.tensor(x)).detach().numpy()

        status, h, body = call(conn, "POST", "/invocations", json.dumps(x), {"Content-Type": "application/json"})
        self.assertEqual((status, h["content-type"]), (200, "application/json"), body)
        np.testing.assert_allclose(np.array(json.loads(body)), want, rtol=1e-5)

        status, h, body = call(conn, "POST", "/invocations", "0.5,-1.0,2.0\n1,1,1",
                               {"Content-Type": "text/csv", "Accept": "text/csv"})
        self.assertEqual((status, h["content-type"]), (200, "text/csv"), body)
        np.testing.assert_allclose(np.loadtxt(io.StringIO(body.decode()), delimiter=","), want, rtol=1e-5)

        buf = io.BytesIO()
        np.save(buf, np.array(x, dtype=np.float32))
        status, h, body = call(conn, "POST", "/invocations", buf.getvalue(),
                               {"Content-Type": "application/x-npy", "Accept": "application/x-npy"})
        self.assertEqual((status, h["content-type"]), (200, "application/x-npy"), body)
        np.testing.assert_allclose(np.load(io.BytesIO(body)), want, rtol=1e-5)

        status, _, body = call(conn, "POST", "/invocations", json.dumps([[1, 2]]), {"Content-Type": "application/json"})
        self.assertEqual(status, 500)  # wrong input width: the model's own error
        self.assertIn(b"mat1 and mat2 shapes cannot be multiplied", body)


@unittest.skipUnless(HAVE_TORCH, "python3-torch not installed for %s" % PYTHON)
class TorchUserModelFnTest(InferenceTestCase):
    def test_eager_model_from_the_users_model_fn(self):
        import numpy as np
        import torch

        net = SERVERS["net"]
        conn = _connection(self, "user")
        x = [[3.0, 0.0, -1.0]]
        status, _, body = call(conn, "POST", "/invocations", json.dumps(x), {"Content-Type": "application/json"})
        self.assertEqual(status, 200, body)
        np.testing.assert_allclose(np.array(json.loads(body)), net(torch.tensor(x)).detach().numpy(), rtol=1e-5)

    def test_eager_pickle_without_model_fn_fails_start_up_clearly(self):
        eager_dir, server = SERVERS["eager"]
        rc, err = server.wait_exit(60), server.stderr
        d = eager_dir
        self.assertEqual(rc, 1)
        last = err.strip().splitlines()[-1]
        self.assertIn("Failed to load %s" % d.join("model.pth"), last)
        self.assertIn("TorchScript", last)


if __name__ == "__main__":
    unittest.main()
