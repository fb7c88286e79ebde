/// The Python side of `check --execute`, shipped inside the binary (the package has no resources) and written
/// next to the exported probes. It imports the user's module (this runs their code; a file inside a package by
/// its dotted name, so its relative imports resolve), builds each loss LossDoctor's interpreter found with the
/// expression the interpreter evaluated (`DiceLoss(mode="binary")`), evaluates it on every exported array pair, and writes JSON evidence to a file: standard
/// output stays the user's code's own (a module may print anything), and LossDoctor reads only the file.
///
/// Adapters (`auto`: `torch` when importing the module imported torch, else `tensorflow` when it imported
/// TensorFlow or Keras on its TensorFlow backend, else `numpy`): `torch` (autograd; ops recorded with
/// `TorchFunctionMode`, each with its user-code line), `tensorflow` (values and `GradientTape` gradients eagerly;
/// ops read from the graph `tf.function` traces, without autograph as `model.fit` calls a loss, each at its
/// user-code line from the op's traceback; a loss that cannot be traced keeps its eager numbers and the trace's
/// error; a gradient lost only through Round, Floor or Ceil, None in TensorFlow, is the engine's zero), `numpy` (values only: a NumPy loss has no gradient), `finite-difference` (NumPy values, central differences in
/// float64: every component on small probes, directional along seeded random signs on large ones; it cannot
/// tell a missing gradient from a zero one; slow, used by LossDoctor's own tests).
enum RunnerScript {
    static let source = #"""
import json, math, os, sys, traceback

def main():
    request = json.load(open(sys.argv[1]))
    result_path = sys.argv[2]
    limit = request.get("memory_bytes")
    if limit:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except Exception:
            pass
    user_file = os.path.realpath(request["file"])
    result = {"protocol": 1, "losses": []}
    try:
        module = import_user_module(user_file)
    except BaseException as error:
        result["module_error"] = describe(error, user_file)
        write(result_path, result)
        return
    adapter = pick(request["adapter"], module)
    result["adapter"], result["framework"] = adapter.name, adapter.version()
    for loss in request["losses"]:
        entry = {"name": loss["name"], "items": []}
        try:
            fn = build(loss["call"], module)
            if loss.get("mask_argument"):
                fn = with_mask(fn, loss["target_first"])
            fn = loss_entry(fn)
        except BaseException as error:
            entry["error"] = describe(error, user_file)
            result["losses"].append(entry)
            continue
        for item in loss["items"]:
            record = {"id": item["id"], "kind": item["kind"]}
            try:
                record.update(adapter.evaluate(fn, loss["target_first"], item["target"], item["prediction"], user_file))
            except BaseException as error:
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                record["error"] = describe(error, user_file)
            entry["items"].append(record)
        result["losses"].append(entry)
    write(result_path, result)

def package_name(user_file):
    # The dotted name of a file inside packages (`monai/losses/dice.py` -> `monai.losses.dice`) and the directory
    # holding its top package; None outside a package. The walk stops at a directory without `__init__.py`.
    directory = os.path.dirname(user_file)
    stem = os.path.splitext(os.path.basename(user_file))[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")) and os.path.basename(directory).isidentifier():
        parts.insert(0, os.path.basename(directory))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if not parts or not all(p.isidentifier() for p in parts) or (len(parts) == 1 and stem != "__init__"):
        return None
    return ".".join(parts), directory

def import_user_module(user_file):
    # A file in a package is imported by its dotted name, so that `from .functional import ...` and
    # `from ..utils import ...` resolve as in the user's own imports: only the directory holding the top
    # package goes on sys.path. A file outside a package is imported from its path, its directory on sys.path.
    import importlib, importlib.util
    found = package_name(user_file)
    if found:
        name, root = found
        sys.path.insert(0, root)
        module = importlib.import_module(name)
        if os.path.realpath(getattr(module, "__file__", "") or "") == user_file:
            return module
        # The name was taken by a module imported before (a package called like a standard module): read the file itself.
        sys.path.remove(root)
    sys.path.insert(0, os.path.dirname(user_file))
    spec = importlib.util.spec_from_file_location("loss_doctor_user_module", user_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

def build(call, module):
    # `call` is the expression LossDoctor's interpreter evaluated to get the loss (`DiceLoss(mode="binary")`,
    # `functools.partial(focal_loss, alpha=0.5)`, `dice_loss()`), so both evaluate the same object; a bare
    # class name is built with its defaults.
    import functools
    if "(" in call:
        namespace = dict(vars(module))
        namespace.setdefault("functools", functools)
        fn = eval(call, namespace)
    else:
        fn = getattr(module, call)
    return fn() if isinstance(fn, type) else fn

def loss_entry(fn):
    # A loss returning a dict is read as the interpreter reads it (InterpreterBox.lossEntries): its "loss" entry,
    # else the sum of the entries whose key holds "loss"; a (loss, logs) tuple is its loss.
    def call(*arguments):
        out = fn(*arguments)
        if isinstance(out, dict):
            if "loss" in out:
                return out["loss"]
            parts = [value for key, value in out.items() if isinstance(key, str) and "loss" in key]
            if parts:
                return sum(parts[1:], parts[0])
        if isinstance(out, tuple) and len(out) >= 2 and all(isinstance(item, dict) for item in out[1:]):
            return out[0]  # (loss, logs), as InterpreterBox.isLossAndLogs reads it
        return out
    if hasattr(fn, "python_function"):
        # A tf.function: its Python body stays reachable, so the TensorFlow adapter traces the ops themselves.
        call.python_function = loss_entry(fn.python_function)
    return call

def with_mask(fn, target_first):
    # A loss taking a third argument, a mask of the pixels that count, gets one of all true, the interpreter's
    # neutral mask: `t == t` is elementwise in PyTorch, TensorFlow and NumPy, and no target holds a NaN.
    def call(a, b):
        return fn(a, b, (a if target_first else b) == (a if target_first else b))
    return call

def clean(value):
    # JSON has no NaN or infinity: written as the strings LossDoctor's own JSON uses.
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if value != value else ("inf" if value > 0 else "-inf")
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value

def write(path, result):
    with open(path, "w") as f:
        json.dump(clean(result), f, allow_nan=False)

def describe(error, user_file):
    frames = [f for f in traceback.extract_tb(error.__traceback__) if os.path.realpath(f.filename) == user_file]
    text = str(error).split("\n")[0][:500]
    where = {"line": frames[-1].lineno, "column": (getattr(frames[-1], "colno", None) or 0) + 1} if frames else None
    return {"type": type(error).__name__, "message": text, "site": where}

def user_line(user_file):
    for frame in traceback.extract_stack()[::-1]:
        if os.path.realpath(frame.filename) == user_file:
            return [frame.lineno, (getattr(frame, "colno", None) or 0) + 1]
    return None

def linecache_line(path, number):
    import linecache
    return linecache.getline(path, number)

def summary(values):
    finite = all(math.isfinite(v) for v in values)
    if not finite:
        return {"state": "non-finite", "norm": float("nan"), "mass": float("nan")}
    norm = math.sqrt(sum(v * v for v in values))
    mass = sum(abs(v) for v in values)
    return {"state": "zero" if norm == 0 else "healthy", "norm": norm, "mass": mass}

def pick(name, module):
    if name == "auto":
        # The module's own imports decide: a library loss (MONAI, smp) brings torch in without naming it, and
        # Keras 3 brings TensorFlow in when it is its backend.
        if "torch" in sys.modules:
            name = "torch"
        elif "tensorflow" in sys.modules or keras_backend() == "tensorflow":
            name = "tensorflow"
        else:
            name = "numpy"
    return {"torch": TorchAdapter, "tensorflow": TensorFlowAdapter, "numpy": NumpyAdapter,
            "finite-difference": FiniteDifferenceAdapter}[name]()

def keras_backend():
    keras = sys.modules.get("keras")
    try:
        return keras.backend.backend() if keras is not None else None
    except Exception:
        return None

class NumpyAdapter:
    name = "numpy"
    def __init__(self):
        import numpy
        self.np = numpy
    def version(self):
        return "NumPy " + self.np.__version__
    def value(self, fn, target_first, t, p, exact=False):
        out = fn(t, p) if target_first else fn(p, t)
        arr = self.np.asarray(out, dtype=self.np.float64)
        shape = list(arr.shape)
        value = float(arr.mean() if arr.size != 1 else arr.reshape(()))
        return (value if exact else float(self.np.float32(value))), shape
    def evaluate(self, fn, target_first, target, prediction, user_file):
        t = self.np.load(target)
        p = self.np.load(prediction)
        value, shape = self.value(fn, target_first, t, p)
        return {"value": value, "shape": shape, "gradient": {"state": "unavailable"}}

class FiniteDifferenceAdapter(NumpyAdapter):
    name = "finite-difference"
    directions = 3
    def version(self):
        return "finite differences on NumPy " + self.np.__version__
    def evaluate(self, fn, target_first, target, prediction, user_file):
        np = self.np
        t = np.load(target).astype(np.float64)
        p = np.load(prediction).astype(np.float64)
        value, shape = self.value(fn, target_first, t, p)
        h = 1e-4
        def slope(v):
            up, _ = self.value(fn, target_first, t, p + h * v, exact=True)
            down, _ = self.value(fn, target_first, t, p - h * v, exact=True)
            return (up - down) / (2 * h) if math.isfinite(up) and math.isfinite(down) else float("nan")
        if p.size <= 4096:
            # Small probes: every component, so the norm and mass are measured, not estimated.
            g = []
            for i in range(p.size):
                v = np.zeros(p.size)
                v[i] = 1.0
                g.append(slope(v.reshape(p.shape)))
            return {"value": value, "shape": shape, "gradient": summary(g)}
        # Large probes: directional derivatives along random signs v, E[(g . v)^2] = |g|^2.
        rng = np.random.default_rng(20201001)
        slopes = [slope(rng.choice([-1.0, 1.0], size=p.shape)) for _ in range(16)]
        if any(not math.isfinite(s) for s in slopes):
            gradient = {"state": "non-finite", "norm": float("nan"), "mass": float("nan")}
        elif all(s == 0 for s in slopes):
            gradient = {"state": "zero", "norm": 0.0, "mass": 0.0}
        else:
            norm = math.sqrt(sum(s * s for s in slopes) / len(slopes))
            gradient = {"state": "healthy", "norm": norm, "mass": norm * math.sqrt(p.size)}
        return {"value": value, "shape": shape, "gradient": gradient}

class TorchAdapter:
    name = "torch"
    cut_names = {"floor_divide": "//", "__floordiv__": "//", "__rfloordiv__": "//", "detach": "stop_gradient",
                 "gt": ">", "__gt__": ">", "lt": "<", "__lt__": "<", "ge": ">=", "__ge__": ">=", "le": "<=", "__le__": "<=",
                 "eq": "==", "__eq__": "==", "ne": "!=", "__ne__": "!=", "argmax": "argmax", "long": "cast", "int": "cast",
                 "numpy": "numpy", "item": "item", "round": "round", "floor": "floor", "ceil": "ceil", "sign": "sign"}
    def __init__(self):
        import numpy, torch
        self.np, self.torch = numpy, torch
        torch.set_num_threads(1)
    def version(self):
        return "PyTorch " + self.torch.__version__
    def evaluate(self, fn, target_first, target, prediction, user_file):
        torch = self.torch
        from torch.overrides import TorchFunctionMode
        records = []
        adapter = self
        class Recorder(TorchFunctionMode):
            def __torch_function__(self, func, types, args=(), kwargs=None):
                kwargs = kwargs or {}
                out = func(*args, **kwargs)
                name = getattr(func, "__name__", str(func))
                short = adapter.cut_names.get(name)
                if short:
                    inputs_grad = any(torch.is_tensor(a) and a.requires_grad for a in list(args) + list(kwargs.values()))
                    if inputs_grad:
                        records.append({"op": short, "line": user_line(user_file)})
                return out
        t = torch.from_numpy(self.np.load(target))
        p = torch.from_numpy(self.np.load(prediction)).requires_grad_(True)
        with Recorder():
            out = fn(t, p) if target_first else fn(p, t)
        if not torch.is_tensor(out):
            out = torch.tensor(float(out))
        shape = list(out.shape)
        scalar = out.float().mean() if out.numel() != 1 else out.float().reshape(())
        value = float(scalar.detach())
        result = {"value": value, "shape": shape, "ops": records}
        if not scalar.requires_grad:
            result["gradient"] = {"state": "missing"}
            return result
        try:
            (g,) = torch.autograd.grad(scalar, p, allow_unused=True)
        except RuntimeError as error:
            result["gradient"] = {"state": "missing", "error": str(error).split("\n")[0][:300]}
            return result
        if g is None:
            result["gradient"] = {"state": "missing"}
        else:
            g = g.double()
            finite = bool(torch.isfinite(g).all())
            if not finite:
                result["gradient"] = {"state": "non-finite", "norm": float("nan"), "mass": float("nan")}
            else:
                norm = float(g.norm())
                result["gradient"] = {"state": "zero" if norm == 0 else "healthy", "norm": norm, "mass": float(g.abs().sum())}
        return result

class TensorFlowAdapter:
    name = "tensorflow"
    # Graph op types on a path from the prediction, as LossDoctor's op names; a Cast counts only from a float
    # to an integer or bool.
    graph_names = {"FloorDiv": "//", "StopGradient": "stop_gradient", "Greater": ">", "Less": "<", "GreaterEqual": ">=",
                   "LessEqual": "<=", "Equal": "==", "NotEqual": "!=", "ArgMax": "argmax", "Round": "round", "Floor": "floor",
                   "Ceil": "ceil", "Sign": "sign"}
    zero_names = {"round", "floor", "ceil", "sign"}
    # How each op is spelled in source, to find its column (TensorFlow's tracebacks give only the line).
    spellings = {"//": ["//", "floordiv", "floor_div"], "stop_gradient": ["stop_gradient"], ">": ["greater", ">"],
                 "<": ["less", "<"], ">=": ["greater_equal", ">="], "<=": ["less_equal", "<="], "==": ["equal", "=="],
                 "!=": ["not_equal", "!="], "argmax": ["argmax"], "cast": ["cast", "int"], "round": ["round"], "floor": ["floor"],
                 "ceil": ["ceil"], "sign": ["sign"]}
    def __init__(self):
        import numpy, tensorflow
        self.np, self.tf = numpy, tensorflow
        try:
            tensorflow.config.threading.set_intra_op_parallelism_threads(1)
            tensorflow.config.threading.set_inter_op_parallelism_threads(1)
        except RuntimeError:
            pass  # the user's module has already started TensorFlow's runtime
        self.traces = {}
    def version(self):
        keras = sys.modules.get("keras")
        return "TensorFlow " + self.tf.__version__ + (", Keras " + keras.__version__ if hasattr(keras, "__version__") else "")
    def tensor(self, path):
        array = self.np.load(path)
        return self.tf.convert_to_tensor(array.astype(self.np.float32) if array.dtype.kind == "f" else array)
    def evaluate(self, fn, target_first, target, prediction, user_file):
        tf = self.tf
        t, p = self.tensor(target), self.tensor(prediction)
        ops, graph_error = self.trace(fn, target_first, t, p, user_file)
        # Values and gradients eagerly: the same numbers as the traced graph, and still there when tracing fails.
        # A loss that calls `.numpy()` cannot be traced (a graph tensor has no value): eagerly, each call the
        # user's file makes on a tensor that depends on the prediction is recorded, as the torch adapter does.
        with tf.GradientTape(persistent=graph_error is not None) as tape, self.numpy_calls(tape, p, ops, user_file, graph_error):
            tape.watch(p)
            out = tf.convert_to_tensor(fn(t, p) if target_first else fn(p, t))
            scalar = tf.reduce_mean(tf.cast(out, tf.float32))
        result = {"value": float(scalar.numpy()), "shape": out.shape.as_list(), "ops": ops}
        if graph_error:
            result["graph_error"] = graph_error
        g = tape.gradient(scalar, p) if out.dtype.is_floating else None
        if g is None and ops and all(record["op"] in self.zero_names for record in ops):
            # TensorFlow registers no gradient for Round, Floor and Ceil (None) where PyTorch gives zeros: a
            # gradient lost only through them is the zero gradient of LossDoctor's op table, not a cut.
            result["gradient"] = {"state": "zero", "norm": 0.0, "mass": 0.0}
            return result
        if g is None:
            result["gradient"] = {"state": "missing"}
            return result
        g = tf.cast(tf.convert_to_tensor(g), tf.float64)
        if not bool(tf.reduce_all(tf.math.is_finite(g))):
            result["gradient"] = {"state": "non-finite", "norm": float("nan"), "mass": float("nan")}
        else:
            norm = float(tf.norm(g))
            result["gradient"] = {"state": "zero" if norm == 0 else "healthy", "norm": norm, "mass": float(tf.reduce_sum(tf.abs(g)))}
        return result
    def numpy_calls(self, tape, p, records, user_file, graph_error):
        import contextlib
        from tensorflow.python.framework import ops
        base = getattr(ops, "_EagerTensorBase", None)
        if graph_error is None or base is None:
            return contextlib.nullcontext()
        original = base.numpy
        def numpy(tensor):
            caller = sys._getframe(1)
            if os.path.realpath(caller.f_code.co_filename) == user_file and tensor.dtype.is_floating \
                    and tape.gradient(tensor, p) is not None:
                records.append({"op": "numpy", "line": [caller.f_lineno, 1 + max(0, linecache_line(user_file, caller.f_lineno).find(".numpy"))]})
            return original(tensor)
        @contextlib.contextmanager
        def patched():
            base.numpy = numpy
            try:
                yield
            finally:
                base.numpy = original
        return patched()
    def trace(self, fn, target_first, t, p, user_file):
        key = (id(fn), target_first, tuple(t.shape), t.dtype.name, tuple(p.shape), p.dtype.name)
        if key not in self.traces:
            self.traces[key] = self.graph_ops(fn, target_first, t, p, user_file)
        ops, error = self.traces[key]
        return [dict(record) for record in ops], error
    def graph_ops(self, fn, target_first, t, p, user_file):
        """The ops of the loss's graph that depend on the prediction, each at its line in the user's file."""
        tf = self.tf
        specs = [tf.TensorSpec(t.shape, t.dtype), tf.TensorSpec(p.shape, p.dtype)]
        if not target_first:
            specs.reverse()
        # A loss already wrapped in tf.function is traced from its Python function, so that its ops are not
        # hidden inside a call op. Without autograph, as Keras's model.fit calls a loss: a Python `if` on a
        # tensor fails here as it fails there.
        python_fn = getattr(fn, "python_function", fn)
        try:
            graph = tf.function(lambda a, b: python_fn(a, b), autograph=False).get_concrete_function(*specs).graph
        except Exception as error:
            return [], describe(error, user_file)
        reached, stack = set(), [graph.inputs[1 if target_first else 0].op]
        while stack:
            op = stack.pop()
            if op.name not in reached:
                reached.add(op.name)
                stack.extend(consumer for output in op.outputs for consumer in output.consumers())
        records, seen = [], set()
        for op in graph.get_operations():
            if op.name not in reached:
                continue
            name = self.graph_names.get(op.type)
            if op.type == "Cast":
                source, destination = op.get_attr("SrcT"), op.get_attr("DstT")
                name = "cast" if source.is_floating and (destination.is_integer or destination == tf.bool) else None
            if name is None:
                continue
            # Only ops made by the user's file: a library's own internals (Keras's reductions) are not its to fix.
            line = self.op_line(op, name, user_file)
            if line and (name, line[0]) not in seen:
                seen.add((name, line[0]))
                records.append({"op": name, "line": line})
        return records, None
    def op_line(self, op, name, user_file):
        frames = [f for f in op.traceback if os.path.realpath(f.filename) == user_file]
        if not frames:
            return None
        number = frames[-1].lineno
        text = linecache_line(user_file, number)
        columns = [text.find(s) for s in self.spellings.get(name, []) if text.find(s) >= 0]
        return [number, (columns[0] if columns else 0) + 1]

if __name__ == "__main__":
    main()
"""#
}
