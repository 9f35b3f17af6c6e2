"""The default decoders/encoders and the Accept/arity rules, in process (no server): what the handler chain
relies on, checked against numpy's own writers and the toolkit's rules."""
import io
import json
import unittest

from tests.test_inference_helpers import PYTHON, has_module

HAVE_NUMPY = has_module("numpy")


@unittest.skipUnless(HAVE_NUMPY, "python3-numpy not installed for %s" % PYTHON)
class CodecsTest(unittest.TestCase):
    def test_csv_out_is_byte_for_byte_what_np_savetxt_writes(self):
        import numpy as np
        from clary_inference import encoders

        for array in (np.array([1.5, 2.25, 1e-9]), np.array([0.1, 0.2], dtype=np.float32),
                      np.array([[1, 2], [3, 4]]), np.array([[0.1, 0.7]], dtype=np.float32), np.array([True, False])):
            stream = io.StringIO()
            np.savetxt(stream, array, delimiter=",", fmt="%s")
            self.assertEqual(encoders.to_csv(array), stream.getvalue().encode(), array)
        self.assertEqual(encoders.to_csv(3.5), b"3.5\n")
        with self.assertRaises(ValueError):
            encoders.to_csv(np.zeros((1, 1, 1)))

    def test_csv_in_is_two_dimensional_with_nan_for_empty_fields_and_strings_otherwise(self):
        import numpy as np
        from clary_inference import decoders
        from clary_inference.errors import BadRequest

        self.assertEqual(decoders.csv_to_numpy("7").shape, (1, 1))
        self.assertEqual(decoders.csv_to_numpy("1,2\n3,4\n").tolist(), [[1, 2], [3, 4]])
        self.assertTrue(np.isnan(decoders.csv_to_numpy(b"1,,3\n4,5,6")[0, 1]))
        self.assertEqual(decoders.csv_to_numpy("a,b\nc,d").tolist(), [["a", "b"], ["c", "d"]])
        with self.assertRaises(BadRequest):
            decoders.decode("1,2\n3", "text/csv")
        with self.assertRaises(BadRequest):
            decoders.decode(b"", "text/csv")

    def test_json_and_npy_round_trips(self):
        import numpy as np
        from clary_inference import decoders, encoders
        from clary_inference.errors import BadRequest

        self.assertEqual(json.loads(encoders.to_json({"a": np.float32(0.5), "b": np.arange(3)})),
                         {"a": 0.5, "b": [0, 1, 2]})
        array = np.arange(6, dtype=np.float32).reshape(2, 3)
        back = decoders.decode(encoders.to_npy(array), "application/x-npy")
        self.assertEqual((back.dtype, back.tolist()), (array.dtype, array.tolist()))
        stream = io.BytesIO()
        np.save(stream, np.array([{"pickled": True}], dtype=object), allow_pickle=True)
        with self.assertRaises(BadRequest):  # object arrays would unpickle request bytes: refused
            decoders.decode(stream.getvalue(), "application/x-npy")

    @unittest.skipUnless(has_module("torch"), "python3-torch not installed for %s" % PYTHON)
    def test_torch_tensors_encode(self):
        import torch
        from clary_inference import encoders

        self.assertEqual(encoders.encode(torch.tensor([[1.0, 2.0]], requires_grad=True) * 2, "text/csv"),
                         (b"2.0,4.0\n", "text/csv"))


class RulesTest(unittest.TestCase):
    def test_accept_choice(self):
        from clary_inference import media

        self.assertEqual(media.requested_accept(None, "text/csv"), "text/csv")
        self.assertEqual(media.requested_accept(" */* ", "text/csv"), "text/csv")
        self.assertEqual(media.choose("application/xml, TEXT/CSV; q=0.2", ("text/csv",), "x"), "text/csv")
        self.assertEqual(media.choose("application/xml, */*", ("text/csv",), "application/json"), "application/json")
        self.assertIsNone(media.choose("application/xml", ("text/csv",), "application/json"))

    def test_context_arity(self):
        from clary_inference.errors import StartupError
        from clary_inference.functions import HandlerFunction

        classic = HandlerFunction(lambda body, ct: (body, ct), "input_fn", 2)
        with_ctx = HandlerFunction(lambda body, ct, context: context, "input_fn", 2)
        defaulted = HandlerFunction(lambda body, ct, context=None, extra=1: context, "input_fn", 2)
        self.assertEqual((classic.with_context, with_ctx.with_context, defaulted.with_context), (False, True, True))
        self.assertEqual(classic("b", "t", "ctx"), ("b", "t"))
        self.assertEqual(with_ctx("b", "t", "ctx"), "ctx")
        with self.assertRaisesRegex(StartupError, "input_fn must take 2 arguments, or 3 with a trailing context"):
            HandlerFunction(lambda body: body, "input_fn", 2)


if __name__ == "__main__":
    unittest.main()
