"""Random specifications, good and bad: each either builds and matches inspection, or is refused cleanly.

The layers are drawn from the registry itself, with arguments mostly valid and
sometimes junk, so a new layer type is covered as soon as it is registered.
"""
import math

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nets_world import assert_matches_torch

from playground.nets import LAYERS, NetError, build_net, export_script, inspect_net

JUNK = st.one_of(
    st.none(), st.booleans(), st.text(max_size=6), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**40), 10**40), st.just(10**5000), st.just(-1), st.just(0),
    st.lists(st.integers(-3, 5), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


def good_value(arg):
    """A value the argument accepts, kept small so that networks stay tiny."""
    if arg.kind == "bool":
        return st.booleans()
    if arg.kind == "choice":
        return st.sampled_from(arg.choices)
    if arg.kind == "float":
        return st.floats(arg.min, arg.max, exclude_min=arg.above_min).map(lambda v: round(v, 3) or arg.max)
    lo = max(arg.min, -4)
    number = st.integers(lo, min(arg.max, lo + 6))
    options = [number]
    if arg.kind == "int_or_pair":
        options.append(st.lists(number, min_size=2, max_size=2))
    if arg.choices:
        options.append(st.sampled_from(arg.choices))
    if arg.nullable:
        options.append(st.none())
    return st.one_of(*options)


ACTIVATIONS = [name for name, entry in LAYERS.items() if entry.category == "activation"]
FITS = {  # layer types that can take an input of each rank, to steer draws towards networks that build
    3: ["Conv2d", "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm2d", "Dropout2d",
        "LayerNorm", "Flatten", "Flatten", "Residual", "Parallel", *ACTIVATIONS],
    2: ["Conv1d", "RNN", "LSTM", "GRU", "Linear", "BatchNorm1d", "LayerNorm", "Dropout", "Flatten",
        "Residual", "Parallel", *ACTIVATIONS],
    1: ["Linear", "Linear", "BatchNorm1d", "LayerNorm", "Dropout", "Residual", "Parallel", *ACTIVATIONS],
    0: ["Embedding", "OneHot"],  # token ids
}
RANK_AFTER = {"Flatten": 1, "Embedding": 2, "OneHot": 2}


@st.composite
def layer(draw, depth=0, rank=None):
    """One layer dict: of a type that fits `rank` (or any type, or junk, when rank is None)."""
    kind = draw(st.sampled_from(FITS[rank] if rank is not None else [*LAYERS, *LAYERS, "Conv3d", 7]))
    entry = LAYERS.get(kind)
    spec = {"type": kind}
    for arg in entry.args if entry else ():
        if arg.kind in ("layers", "branches"):
            inner = rank if rank is not None else draw(st.sampled_from([1, 2, 3]))
            branch = stack(inner, depth + 1, 0 if arg.kind == "branches" else 1) if depth < 2 else st.just([])
            value = draw(branch if arg.kind == "layers" else st.lists(branch, min_size=2, max_size=3))
            value = value or [{"type": "ReLU"}] if arg.kind == "layers" else value
        elif arg.required or draw(st.integers(0, 3)) == 0:
            value = draw(st.one_of(good_value(arg), JUNK) if draw(st.integers(0, 15)) == 0 else good_value(arg))
        else:
            continue
        spec[arg.name] = value
    if draw(st.integers(0, 25)) == 0:
        spec[draw(st.sampled_from(["inplace", "in_channels", "in_features", "weird"]))] = draw(JUNK)
    if draw(st.integers(0, 25)) == 0 and entry and entry.args:
        del spec[draw(st.sampled_from([a.name for a in entry.args if a.name in spec] or ["type"]))]
    return spec


@st.composite
def stack(draw, rank, depth=0, min_size=1):
    """A list of layers that mostly fit one another, with an occasional layer of any type."""
    layers = []
    for _ in range(draw(st.integers(min_size, 4))):
        planned = draw(st.integers(0, 9)) > 0
        item = draw(layer(depth, rank if planned else None))
        layers.append(item)
        rank = RANK_AFTER.get(item.get("type"), rank) if planned else draw(st.sampled_from([1, 2, 3]))
    return layers


def rank_of(given):
    shape = given.get("shape")
    return 0 if given.get("dtype") == "long" else len(shape) if isinstance(shape, list) and shape else 1


INPUTS = st.one_of(
    st.builds(lambda c, h, w: {"shape": [c, h, w]}, st.integers(1, 3), st.integers(1, 12), st.integers(1, 12)),
    st.builds(lambda n: {"shape": [n]}, st.integers(1, 24)),
    st.builds(lambda t, f: {"shape": [t, f]}, st.integers(1, 8), st.integers(1, 10)),
    st.builds(lambda t, v: {"shape": [t], "dtype": "long", "vocab_size": v}, st.integers(1, 10), st.integers(1, 20)),
    st.builds(lambda v: {"shape": v}, JUNK),
)


@st.composite
def specs(draw):
    given = draw(INPUTS)
    layers = draw(stack(min(rank_of(given), 3)) if draw(st.integers(0, 5)) else st.lists(layer(), max_size=5))
    return {"version": 1, "input": given, "layers": layers}


def check_one(spec):
    """The property: a clean refusal, or a module that is exactly what inspection says."""
    try:
        report = inspect_net(spec)
    except NetError as error:
        assert error.errors
        for e in error.errors:
            assert isinstance(e["path"], str) and isinstance(e["message"], str) and e["message"]
        return False
    assert_matches_torch(spec, report, batch=2)
    namespace = {"__name__": "exported"}
    exec(compile(export_script(spec), "net.py", "exec"), namespace)
    exported, built = namespace["make_net"](), build_net(spec)
    assert {k: v.shape for k, v in exported.state_dict().items()} == \
           {k: v.shape for k, v in built.state_dict().items()}
    assert math.isfinite(report["activation_bytes"])
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs())
def test_random_specs_build_as_inspected_or_are_refused(spec):
    torch.manual_seed(0)
    check_one(spec)


@settings(max_examples=150, deadline=None)
@given(st.one_of(JSON, st.builds(lambda layers: {"input": {"shape": [4]}, "layers": layers}, JSON),
                 st.builds(lambda i: {"input": i, "layers": [{"type": "ReLU"}]}, JSON),
                 st.builds(lambda a: {"input": {"shape": [2, 6, 6]}, "layers": [a]}, JSON)))
def test_json_junk_is_refused_with_net_error_only(spec):
    try:
        inspect_net(spec)
    except NetError as error:
        assert error.errors


WINDOWS = ["Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"]


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4), st.integers(1, 14), st.integers(1, 14), st.sampled_from(WINDOWS).flatmap(
    lambda kind: st.fixed_dictionaries(
        {"type": st.just(kind)},
        optional={a.name: good_value(a) for a in LAYERS[kind].args if not a.required}).map(
        lambda d: {**d, **{a.name: 2 if a.kind != "int" else 4 for a in LAYERS[kind].args if a.required}})),
    st.integers(1, 15), st.booleans())
def test_window_arithmetic_matches_torch(c, h, w, window, kernel, residual):
    """Convolution and pooling sizes, with padding, stride, dilation and ceil_mode, and residual projections."""
    if "kernel_size" in window:
        window["kernel_size"] = kernel
    layers = [{"type": "Residual", "layers": [window]}] if residual else [window]
    check_one({"input": {"shape": [c, h, w]}, "layers": layers})


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 4), st.integers(1, 30), st.fixed_dictionaries(
    {"type": st.just("Conv1d"), "out_channels": st.integers(1, 8), "kernel_size": st.integers(1, 15)},
    optional={a.name: good_value(a) for a in LAYERS["Conv1d"].args if not a.required}), st.booleans())
def test_conv1d_arithmetic_matches_torch(c, n, window, residual):
    layers = [{"type": "Residual", "layers": [window]}] if residual else [window]
    check_one({"input": {"shape": [c, n]}, "layers": layers})
