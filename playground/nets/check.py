"""Validation, shape inference and inspection of a network specification.

``check`` turns a JSON-like specification into a tree of checked layers (``Net``),
which build.py and export.py walk; ``inspect_net`` reports on it. Problems in
different layers are all collected; after a layer whose output cannot be worked out,
the layers below it are still checked for their own arguments, but not for shapes.
Nothing here raises anything but ``NetError``, whatever it is given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from .args import whole
from .errors import NetError, Refusal, about
from .inputs import Flow, read_input
from .layer_type import Args, LayerType
from .limits import DEFAULT_LIMITS, Limits
from .registry import LAYERS
from .shapes import Shape, numel
from .words import describe, nbytes, number, what

MAX_ERRORS = 50  # beyond this, more messages help nobody


@dataclass
class Node:
    """One checked layer: arguments resolved, shapes known, cost counted (a block's includes its layers)."""

    path: str
    entry: LayerType
    args: Args
    in_shape: Shape
    out_shape: Shape
    params: int = 0
    macs: int = 0
    stacks: list[list[Node]] = field(default_factory=list)  # a block's layers: [body] or its branches
    projection: Node | None = None

    def walk(self) -> Iterator[Node]:
        """This layer, then everything inside it, in reading order."""
        yield self
        for stack in self.stacks:
            for node in stack:
                yield from node.walk()
        if self.projection is not None:
            yield self.projection


@dataclass
class Net:
    """A specification that passed every check."""

    input_shape: Shape
    vocab_size: int | None  # set for token inputs
    nodes: list[Node]
    batch_size: int

    def rows(self) -> list[Node]:
        return [row for node in self.nodes for row in node.walk()]


def check(spec: Any, batch_size: Any = 1, limits: Limits = DEFAULT_LIMITS) -> Net:
    """The checked tree of a specification, or NetError listing what is wrong."""
    walk = _Walk(limits)
    net = walk.spec(spec, batch_size)
    if walk.errors or net is None:
        raise NetError(walk.errors)
    return net


def inspect_net(spec: Any, batch_size: Any = 1, limits: Limits = DEFAULT_LIMITS) -> dict[str, Any]:
    """Every layer's output shape, parameters and multiply-accumulates (per example), and the totals.

    Blocks are listed with their combined output and cost, followed by their own layers
    and any projection ("3.projection"); ``total_params`` is the sum over top-level rows.
    Sizes in bytes are float32; ``activation_bytes`` counts every row's output for the batch.
    """
    net = check(spec, batch_size, limits)
    total = sum(node.params for node in net.nodes)
    return {
        "layers": [{"path": n.path, "type": n.entry.name, "output_shape": list(n.out_shape),
                    "params": n.params, "macs": n.macs} for n in net.rows()],
        "input_shape": list(net.input_shape),
        "output_shape": list(net.nodes[-1].out_shape),
        "total_params": total,
        "trainable_params": total,
        "total_macs": sum(node.macs for node in net.nodes),
        "param_bytes": 4 * total,
        "activation_bytes": _activation_bytes(net),
        "batch_size": net.batch_size,
    }


def _activation_bytes(net: Net) -> int:
    return sum(numel(row.out_shape) for row in net.rows()) * net.batch_size * 4


class _Walk:
    """One pass over a specification, collecting problems as {path, message}."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.errors: list[dict[str, str]] = []
        self.count = 0  # problems found, including those past MAX_ERRORS

    def fail(self, path: str, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append({"path": path, "message": message})

    def spec(self, spec: Any, batch_size: Any) -> Net | None:
        if not isinstance(spec, dict):
            self.fail("", f'a network must be an object with "input" and "layers", not {describe(spec)}')
            return None
        for key in spec:
            if key not in ("version", "input", "layers"):
                self.fail("", f"a network has no field {describe(key)}; its fields are version, input and layers")
        version = spec.get("version", 1)
        if type(version) is not int or version != 1:
            self.fail("", f"version must be 1, not {describe(version)}")
        batch = whole(batch_size, 1, self.limits.max_batch_size)
        if batch is None:
            self.fail("batch_size", f"the batch size must be a whole number between 1 and "
                                    f"{number(self.limits.max_batch_size)}, not {describe(batch_size)}")
        flow, problems = read_input(spec["input"], self.limits) if "input" in spec else (
            None, ['a network needs an "input", such as {"shape": [1, 28, 28]}'])
        for problem in problems:
            self.fail("input", problem)
        layers = spec.get("layers")
        if not isinstance(layers, list) or not layers:
            said = "is missing" if "layers" not in spec else \
                f"must be a list of at least one layer, not {describe(layers)}"
            self.fail("", f'"layers" {said}; a network needs a list of layers '
                          'such as [{"type": "Linear", "out_features": 10}]')
            return None
        count = _count(layers, 0, self.limits.max_depth)
        if count > self.limits.max_layers:
            self.fail("", f"the network has {number(count)} layers (counting those inside blocks); "
                          f"the limit is {self.limits.max_layers}")
            return None
        nodes, _ = self.stack(layers, "", "", flow, 0)
        if self.count or flow is None or batch is None:
            return None
        net = Net(flow[0], flow[1], nodes, batch)
        self.costs(net)
        return net

    def stack(self, items: list, prefix: str, where: str, flow: Flow | None, depth: int):
        """Checks a list of layers in order; returns their nodes and what comes out (None if unknown)."""
        nodes = []
        for j, item in enumerate(items):
            node, flow = self.layer(item, f"{prefix}{j}", f"layer {j + 1}", where, flow, depth)
            if node is not None:
                nodes.append(node)
        return nodes, flow

    def layer(self, item: Any, path: str, name: str, where: str, flow: Flow | None, depth: int):
        if not isinstance(item, dict):
            self.fail(path, f'{name}{where} must be an object such as {{"type": "ReLU"}}, not {describe(item)}')
            return None, None
        kind = item.get("type")
        if not isinstance(kind, str) or kind not in LAYERS:
            said = 'has no "type"' if "type" not in item else f"unknown layer type {describe(kind)}"
            self.fail(path, f"{name}{where}: {said}; known types are {', '.join(LAYERS)}")
            return None, None
        entry = LAYERS[kind]
        who = f"{name} ({kind}){where}"
        before = self.count
        args = self.args(entry, item, path, who)
        if self.count > before:
            flow = None
        if flow is not None:
            try:
                _tokens(entry, flow)
            except Refusal as refusal:
                self.fail(path, about(who, refusal))
                flow = None
        if entry.nested is not None:
            return self.block(entry, item, path, f"{name}{where}", who, flow, depth)
        if flow is None:
            return None, None
        shape, vocab = flow
        try:
            if entry.from_input is not None and vocab is not None:
                args = entry.from_input(args, vocab)
            out = entry.shape(args, shape)
        except Refusal as refusal:
            self.fail(path, about(who, refusal))
            return None, None
        return _leaf(path, entry, args, shape, out), (out, None)

    def args(self, entry: LayerType, item: dict, path: str, who: str) -> Args:
        """The layer's arguments, typed ones parsed and the rest defaulted (failing on any problem)."""
        before = self.count
        got, given, unknown = {}, set(), []
        for key, value in item.items():
            arg = entry.arg(key)
            if key == "type" or (arg is not None and arg is entry.nested):
                continue
            if arg is None and key in entry.inferred:
                self.fail(path, f"{who}: {key} is worked out automatically from the layer's input; leave it out")
            elif arg is None:
                unknown.append(key)
            else:
                given.add(key)
                try:
                    got[key] = arg.parse(value, self.limits)
                except Refusal as refusal:
                    self.fail(path, about(who, refusal))
        if unknown:
            self.fail(path, _unknown(who, entry, unknown))
        for arg in entry.args:
            if arg.name not in got and arg is not entry.nested:
                if arg.required and arg.name not in given:
                    self.fail(path, f"{who} needs {arg.name}: {arg.wants(self.limits)}")
                got[arg.name] = arg.default
        args = {a.name: got[a.name] for a in entry.args if a is not entry.nested}
        if self.count == before:
            try:
                entry.check(args)
            except Refusal as refusal:
                self.fail(path, about(who, refusal))
        return args

    def block(self, entry: LayerType, item: dict, path: str, at: str, who: str, flow: Flow | None, depth: int):
        if depth >= self.limits.max_depth:
            self.fail(path, f"{who}: blocks may sit at most {self.limits.max_depth} deep inside each other")
            return None, None
        stacks = self.stacks(entry, item, path, at, who)
        if stacks is None:
            return None, None
        before = self.count
        nested, outs = [], []
        for prefix, where, items in stacks:
            nodes, out = self.stack(items, prefix, where, flow, depth + 1)
            nested.append(nodes)
            outs.append(out)
        if flow is None or self.count > before:
            return None, None
        shape = flow[0]
        try:
            out, projection = entry.combine(shape, [o[0] for o in outs])
        except Refusal as refusal:
            self.fail(path, about(who, refusal))
            return None, None
        node = Node(path, entry, {}, shape, out, stacks=nested)
        if projection is not None:
            node.projection = _projection(projection, f"{path}.projection", shape)
        inside = [n for stack in nested for n in stack] + ([node.projection] if node.projection else [])
        node.params = sum(n.params for n in inside)
        node.macs = sum(n.macs for n in inside)
        return node, (out, None)

    def stacks(self, entry: LayerType, item: dict, path: str, at: str, who: str):
        """A block's nested layer lists as (path prefix, where-words, items), or None if malformed."""
        arg = entry.nested
        value = item.get(arg.name)
        block = f"the {entry.name.lower()} block at {at}"
        if arg.kind == "layers":
            if not isinstance(value, list) or len(value) < arg.min:
                self.fail(path, f'{who} needs "layers": a list of at least one layer, not {describe(value)}')
                return None
            return [(f"{path}.layers.", f" in {block}", value)]
        if not isinstance(value, list) or not arg.min <= len(value) <= arg.max:
            self.fail(path, f'{who} needs "branches": a list of {arg.min} to {arg.max} branches, '
                            f"each a list of layers, not {describe(value)}")
            return None
        bad = [b for b, branch in enumerate(value) if not isinstance(branch, list)]
        for b in bad:
            self.fail(path, f"{who}: branch {b + 1} must be a list of layers, not {describe(value[b])}")
        return None if bad else [(f"{path}.branches.{b}.", f" in branch {b + 1} of {block}", branch)
                                 for b, branch in enumerate(value)]

    def costs(self, net: Net) -> None:
        params, memory = sum(node.params for node in net.nodes), _activation_bytes(net)
        if params > self.limits.max_params:
            self.fail("", f"the network has {number(params)} parameters; "
                          f"the limit is {number(self.limits.max_params)}")
        if memory > self.limits.max_activation_bytes:
            self.fail("", f"for a batch of {net.batch_size}, the layers' outputs take {nbytes(memory)}; "
                          f"the limit is {nbytes(self.limits.max_activation_bytes)}")


def _tokens(entry: LayerType, flow: Flow) -> None:
    """Token ids feed only layers that look them up; real numbers feed every other layer."""
    shape, vocab = flow
    if vocab is not None and not entry.takes_tokens:
        raise Refusal(f"receives token ids (whole numbers below {number(vocab)}); "
                      "start with an Embedding layer, which turns each into a vector")
    if vocab is None and entry.takes_tokens:
        raise Refusal(f"receives real numbers ({what(shape)}), but it looks up token ids; "
                      'it can only read an input with "dtype": "long"')


def _unknown(who: str, entry: LayerType, names: list) -> str:
    """layer 2 (ReLU) has no argument 'inplace'; it takes no arguments."""
    listed = ", ".join(describe(k) for k in names[:5])
    listed += f" and {number(len(names) - 5)} more" if len(names) > 5 else ""
    takes = f"its arguments are {', '.join(a.name for a in entry.args)}" if entry.args else "it takes no arguments"
    return f"{who} has no argument{'s' if len(names) > 1 else ''} {listed}; {takes}"


def _leaf(path: str, entry: LayerType, args: Args, shape: Shape, out: Shape) -> Node:
    return Node(path, entry, args, shape, out, entry.params(args, shape), entry.macs(args, shape, out))


def _projection(spec: dict, path: str, shape: Shape) -> Node:
    """The layer a block adds to match shapes, written as a spec and read through the registry."""
    entry = LAYERS[spec["type"]]
    args = {a.name: spec.get(a.name, a.default) for a in entry.args}
    return _leaf(path, entry, args, shape, entry.shape(args, shape))


def _count(items: list, depth: int, max_depth: int) -> int:
    """How many layers a list holds, counting those inside blocks (as deep as blocks may go)."""
    total = len(items)
    if depth < max_depth:
        for item in items:
            for inner in _nested_lists(item):
                total += _count(inner, depth + 1, max_depth)
    return total


def _nested_lists(item: Any) -> list[list]:
    kind = item.get("type") if isinstance(item, dict) else None
    entry = LAYERS.get(kind) if isinstance(kind, str) else None
    arg = entry.nested if entry is not None else None
    value = item.get(arg.name) if arg is not None else None
    if not isinstance(value, list):
        return []
    return [value] if arg.kind == "layers" else [b for b in value if isinstance(b, list)]
