"""Every mistake a student can make is refused with NetError, a path and a readable sentence."""
import pytest
from nets_world import spec

from playground.nets import DEFAULT_LIMITS, Limits, NetError, build_net, export_script, inspect_net


def refusal(net, **kw):
    """The problems inspect_net finds; build_net and export_script must agree."""
    with pytest.raises(NetError) as caught:
        inspect_net(net, **kw)
    if not kw:
        for other in (build_net, export_script):
            with pytest.raises(NetError):
                other(net)
    errors = caught.value.errors
    assert errors and all(set(e) == {"path", "message"} for e in errors)
    return errors


def only(net, **kw):
    errors = refusal(net, **kw)
    assert len(errors) == 1, errors
    return errors[0]


def mlp(*layers, shape=(20,)):
    return {"version": 1, "input": {"shape": list(shape)}, "layers": list(layers)}


def test_it_refuses_an_unknown_layer_type_and_lists_the_known_ones():
    e = only(mlp({"type": "Conv3d"}))
    assert e["path"] == "0"
    assert e["message"].startswith("layer 1: unknown layer type 'Conv3d'; known types are Linear, ")
    assert "LSTM" in e["message"] and "Residual" in e["message"]


def test_it_refuses_a_layer_without_a_type():
    e = only(mlp({"type": "ReLU"}, {"out_features": 3}))
    assert e["path"] == "1" and 'layer 2: has no "type"' in e["message"]


def test_it_refuses_an_argument_torch_has_but_we_do_not_list():
    e = only(mlp({"type": "ReLU", "inplace": True}))
    assert e == {"path": "0", "message": "layer 1 (ReLU) has no argument 'inplace'; it takes no arguments"}


def test_it_names_the_arguments_a_layer_does_take():
    e = only(mlp({"type": "Linear", "out_features": 3, "out_feature": 4}))
    assert e["message"] == ("layer 1 (Linear) has no argument 'out_feature'; "
                            "its arguments are out_features, bias")


@pytest.mark.parametrize("key", ["in_features"])
def test_it_refuses_input_sizes_because_they_are_worked_out(key):
    e = only(mlp({"type": "Linear", "out_features": 3, key: 20}))
    assert e["message"] == ("layer 1 (Linear): in_features is worked out automatically "
                            "from the layer's input; leave it out")


@pytest.mark.parametrize("layer, key", [
    ({"type": "Conv2d", "out_channels": 2, "kernel_size": 3}, "in_channels"),
    ({"type": "BatchNorm2d"}, "num_features"),
    ({"type": "LayerNorm"}, "normalized_shape"),
])
def test_every_inferred_size_is_refused(layer, key):
    e = only(mlp({**layer, key: 3}, shape=(3, 8, 8)))
    assert f"{key} is worked out automatically" in e["message"]


def test_it_refuses_input_size_on_recurrent_layers():
    net = spec("char_lstm")
    net["layers"][1]["input_size"] = 8
    assert "input_size is worked out automatically" in only(net)["message"]


def test_it_refuses_a_kernel_larger_than_its_input():
    net = mlp(*spec("lenet")["layers"][:5], {"type": "Conv2d", "out_channels": 4, "kernel_size": 11},
              shape=(1, 28, 28))
    e = only(net)
    assert e == {"path": "5", "message": "layer 6 (Conv2d): kernel_size 11 is larger than its 10 × 10 input "
                                         "(with padding 0)"}


def test_it_refuses_a_pooling_window_larger_than_its_input():
    e = only(mlp({"type": "MaxPool2d", "kernel_size": 7}, shape=(1, 5, 5)))
    assert e["message"] == "layer 1 (MaxPool2d): kernel_size 7 is larger than its 5 × 5 input (with padding 0)"


def test_it_asks_for_a_flatten_before_a_linear_layer_on_a_volume():
    net = spec("lenet")
    del net["layers"][6]
    e = only(net)
    assert e["path"] == "6"
    assert e["message"].startswith("layer 7 (Linear) receives a 16 × 5 × 5 volume; add a Flatten layer before it")


@pytest.mark.parametrize("value, shown", [
    ("six", "'six'"), (True, "true"), (None, "null"), (1.5, "1.5"), (0, "0"), (-3, "-3"),
    (10**12, "1000000000000"), (float("nan"), "NaN"), ([6], "[6]"), ({"n": 6}, "{'n': 6}"),
])
def test_it_refuses_a_bad_whole_number_and_says_what_it_got(value, shown):
    e = only(mlp({"type": "Conv2d", "out_channels": value, "kernel_size": 3}, shape=(1, 8, 8)))
    assert e == {"path": "0", "message": "layer 1 (Conv2d): out_channels must be a whole number "
                                         f"between 1 and 2048, not {shown}"}


def test_absurd_sizes_are_refused_before_any_arithmetic():
    e = only(mlp({"type": "Linear", "out_features": 10**12}))
    assert "out_features must be a whole number between 1 and 4096, not 1000000000000" in e["message"]
    e = only(mlp({"type": "Linear", "out_features": 10**5000}))
    assert "not a number with more than 30 digits" in e["message"]


def test_a_whole_float_counts_as_a_whole_number():
    assert inspect_net(mlp({"type": "Linear", "out_features": 3.0}))["output_shape"] == [3]


@pytest.mark.parametrize("value", ["0.5", True, None, float("inf"), -0.1, 1.5])
def test_it_refuses_a_bad_probability(value):
    e = only(mlp({"type": "Dropout", "p": value}))
    assert "p must be a number between 0 and 1" in e["message"]


def test_it_refuses_a_bad_choice():
    e = only(mlp({"type": "GELU", "approximate": "fast"}))
    assert e["message"] == "layer 1 (GELU): approximate must be one of 'none', 'tanh', not 'fast'"


def test_it_refuses_a_missing_required_argument():
    e = only(mlp({"type": "Linear"}))
    assert e["message"] == "layer 1 (Linear) needs out_features: a whole number between 1 and 4096"


def test_it_collects_independent_problems_from_different_layers():
    errors = refusal(mlp({"type": "ReLU", "inplace": True}, {"type": "Linear", "out_features": "six"},
                         {"type": "Nope"}))
    assert [e["path"] for e in errors] == ["0", "1", "2"]


def test_after_a_shape_error_it_checks_arguments_but_not_shapes():
    net = mlp({"type": "Conv2d", "out_channels": 2, "kernel_size": 3},  # a vector cannot be convolved
              {"type": "Conv2d", "out_channels": 2, "kernel_size": 3},  # would not fit either: not reported
              {"type": "Dropout", "p": 2})
    errors = refusal(net)
    assert [e["path"] for e in errors] == ["0", "2"]
    assert "needs a channels × height × width volume but receives a vector of 20 values" in errors[0]["message"]


@pytest.mark.parametrize("net, message", [
    ([], "a network must be an object with \"input\" and \"layers\", not []"),
    ("lenet", "a network must be an object with \"input\" and \"layers\", not 'lenet'"),
    (None, "a network must be an object with \"input\" and \"layers\", not null"),
    ({"input": {"shape": [3]}}, '"layers" is missing'),
    ({"input": {"shape": [3]}, "layers": {"type": "ReLU"}}, '"layers" must be a list of at least one layer'),
    ({"input": {"shape": [3]}, "layers": []}, '"layers" must be a list of at least one layer, not []'),
    ({"version": 2, "input": {"shape": [3]}, "layers": [{"type": "ReLU"}]}, "version must be 1, not 2"),
    ({"version": True, "input": {"shape": [3]}, "layers": [{"type": "ReLU"}]}, "version must be 1, not true"),
    ({"input": {"shape": [3]}, "layers": [{"type": "ReLU"}], "name": "x"}, "a network has no field 'name'"),
])
def test_it_refuses_a_malformed_network_as_a_whole(net, message):
    e = refusal(net)[0]
    assert e["path"] == "" and message in e["message"], e


@pytest.mark.parametrize("given, message", [
    (None, "the input must be an object such as"),
    ({"shape": "1x28x28"}, "the input's shape must be a list of 1 to 3 whole numbers"),
    ({"shape": [1, 2, 3, 4]}, "the input's shape must be a list of 1 to 3 whole numbers"),
    ({"shape": [1, 0, 5]}, "entry 2 of the input's shape must be a whole number between 1 and 4096, not 0"),
    ({"shape": [True]}, "entry 1 of the input's shape must be a whole number"),
    ({"shape": [3, 4096, 4096]}, "the input holds 50,331,648 values per example; the limit is 786,432"),
    ({"shape": [3], "dtype": "int8"}, "the input's dtype must be 'float' (numbers) or 'long' (token ids)"),
    ({"shape": [3], "dtype": "long"}, "a long input (token ids) needs vocab_size"),
    ({"shape": [3, 4], "dtype": "long", "vocab_size": 5}, "a list of one whole number, the sequence length"),
    ({"shape": [3], "vocab_size": 5}, 'vocab_size belongs to token inputs; add "dtype": "long"'),
    ({"shape": [3], "channels": 1}, "the input has no field 'channels'"),
])
def test_it_refuses_a_bad_input(given, message):
    e = refusal({"input": given, "layers": [{"type": "ReLU"}]})[0]
    assert e["path"] == "input" and message in e["message"], e


def test_it_refuses_too_many_parameters():
    e = only(mlp({"type": "Flatten"}, {"type": "Linear", "out_features": 4096}, shape=(3, 64, 64)))
    assert e == {"path": "", "message": "the network has 50,335,744 parameters; the limit is 25,000,000"}


def test_it_refuses_too_many_layers_counting_those_in_blocks():
    block = {"type": "Residual", "layers": [{"type": "ReLU"}] * 40}
    e = only(mlp(block, *[{"type": "Tanh"}] * 24))
    assert e == {"path": "", "message": "the network has 65 layers (counting those inside blocks); the limit is 64"}
    assert inspect_net(mlp(block, *[{"type": "Tanh"}] * 23))


def test_it_refuses_too_much_activation_memory():
    net = mlp({"type": "Conv2d", "out_channels": 256, "kernel_size": 3, "padding": 1}, shape=(3, 128, 128))
    assert inspect_net(net, batch_size=8)
    e = only(net, batch_size=64)
    assert e == {"path": "", "message": "for a batch of 64, the layers' outputs take 1 GiB; the limit is 512 MiB"}


def test_a_teacher_can_tighten_the_limits():
    tight = Limits(max_params=1000, max_dim=64)
    e = only(mlp({"type": "Linear", "out_features": 100}), limits=tight)
    assert "between 1 and 64, not 100" in e["message"]
    e = only(mlp({"type": "Linear", "out_features": 60}), limits=tight)
    assert e["message"] == "the network has 1260 parameters; the limit is 1000"
    assert DEFAULT_LIMITS.max_params == 25_000_000


def test_it_refuses_blocks_nested_too_deep():
    layer = {"type": "ReLU"}
    for _ in range(6):
        layer = {"type": "Residual", "layers": [layer]}
    e = only(mlp(layer))
    assert e["path"] == "0.layers.0.layers.0.layers.0.layers.0"
    assert "blocks may sit at most 4 deep inside each other" in e["message"]


def test_deeply_nested_junk_is_refused_without_recursing():
    junk = []
    for _ in range(10_000):
        junk = [junk]
    refusal(mlp({"type": "Linear", "out_features": junk}))
    layer = {"type": "ReLU"}
    for _ in range(5_000):
        layer = {"type": "Residual", "layers": [layer]}
    refusal(mlp(layer))


def test_it_names_layers_inside_blocks_by_their_place():
    net = mlp({"type": "Residual", "layers": [{"type": "Linear", "out_features": 4},
                                              {"type": "Linear", "out_features": "x"}]},
              {"type": "Parallel", "branches": [[{"type": "ReLU"}], [{"type": "Tanh"}, {"type": "Relu"}]]})
    errors = refusal(net)
    assert errors[0] == {"path": "0.layers.1", "message": "layer 2 (Linear) in the residual block at layer 1: "
                                                          "out_features must be a whole number between 1 and "
                                                          "4096, not 'x'"}
    assert errors[1]["path"] == "1.branches.1.1"
    assert errors[1]["message"].startswith("layer 2 in branch 2 of the parallel block at layer 2: "
                                           "unknown layer type 'Relu'")


def test_it_refuses_a_residual_block_no_projection_can_fix():
    net = mlp({"type": "Residual", "layers": [{"type": "Conv2d", "out_channels": 4, "kernel_size": 3}]},
              shape=(2, 10, 10))  # 10 → 8: no whole stride makes a 1 × 1 convolution do that
    e = only(net)
    assert e["path"] == "0"
    assert e["message"].startswith("layer 1 (Residual): its layers turn 2 × 10 × 10 into 4 × 8 × 8; "
                                   "a 1 × 1 projection")
    e = only(mlp({"type": "Residual", "layers": [{"type": "Flatten"}]}, shape=(2, 3, 3)))
    assert "turn a 2 × 3 × 3 volume into a vector of 18 values" in e["message"]


def test_it_refuses_parallel_branches_that_do_not_line_up():
    net = mlp({"type": "Parallel", "branches": [[{"type": "MaxPool2d", "kernel_size": 2}], []]}, shape=(2, 8, 8))
    e = only(net)
    assert e["message"] == ("layer 1 (Parallel): branch 2 gives a 2 × 8 × 8 volume but branch 1 gives a "
                            "2 × 4 × 4 volume; to join them, every size but the first (the channels) must agree")


@pytest.mark.parametrize("block, message", [
    ({"type": "Residual"}, 'needs "layers": a list of at least one layer, not null'),
    ({"type": "Residual", "layers": []}, 'needs "layers": a list of at least one layer, not []'),
    ({"type": "Parallel", "branches": [[]]}, 'needs "branches": a list of 2 to 8 branches'),
    ({"type": "Parallel", "branches": [[], 3]}, "branch 2 must be a list of layers, not 3"),
])
def test_it_refuses_malformed_blocks(block, message):
    e = only(mlp(block))
    assert e["path"] == "0" and message in e["message"], e


def test_token_ids_need_an_embedding_first():
    net = spec("char_lstm")
    del net["layers"][0]
    e = refusal(net)[0]
    assert e == {"path": "0", "message": "layer 1 (LSTM) receives token ids (whole numbers below 30); "
                                         "start with an Embedding layer, which turns each into a vector"}


def test_an_embedding_needs_token_ids():
    e = only(mlp({"type": "Embedding", "embedding_dim": 4}))
    assert e["message"].startswith("layer 1 (Embedding) receives real numbers (a vector of 20 values), but it looks up")


def test_an_embedding_must_cover_the_vocabulary():
    net = spec("char_lstm")
    net["layers"][0]["num_embeddings"] = 20
    assert "num_embeddings 20 is smaller than the input's vocab_size 30" in only(net)["message"]


def test_recurrent_dropout_needs_stacked_layers():
    net = spec("char_lstm")
    net["layers"][1]["num_layers"] = 1
    assert "dropout acts only between stacked layers" in only(net)["message"]


def test_recurrent_layers_need_a_sequence():
    e = only(mlp({"type": "GRU", "hidden_size": 4}))
    assert e["message"].startswith("layer 1 (GRU) needs a sequence (time steps × features) but receives a vector")


@pytest.mark.parametrize("layer, message", [
    ({"type": "Conv2d", "out_channels": 4, "kernel_size": 3, "groups": 2}, "groups 2 does not divide its 3 input"),
    ({"type": "Conv2d", "out_channels": 3, "kernel_size": 3, "stride": 2, "padding": "same"},
     "padding 'same' needs stride 1"),
    ({"type": "MaxPool2d", "kernel_size": 3, "padding": 2}, "padding 2 is more than half of kernel_size 3"),
    ({"type": "Softmax", "dim": 0}, "dim 0 is the batch"),
    ({"type": "Softmax", "dim": 3}, "dim 3 does not exist"),
    ({"type": "Flatten", "start_dim": 2, "end_dim": 1}, "start_dim 2 comes after end_dim 1"),
    ({"type": "BatchNorm1d"}, "use BatchNorm2d for images"),
    ({"type": "Conv1d", "out_channels": 4, "kernel_size": 3}, "needs a channels × length input"),
])
def test_it_refuses_what_torch_would_refuse(layer, message):
    e = only(mlp(layer, shape=(3, 8, 8)) if layer["type"] != "Softmax" else mlp(layer, shape=(3, 8)))
    assert message in e["message"], e


def test_it_refuses_a_bad_batch_size():
    e = only(spec("lenet"), batch_size=0)
    assert e["path"] == "batch_size"
    e = only(spec("lenet"), batch_size=True)
    assert e["path"] == "batch_size"


def test_the_exception_reads_as_its_messages():
    with pytest.raises(NetError, match="layer 1 \\(ReLU\\) has no argument 'inplace'"):
        build_net(mlp({"type": "ReLU", "inplace": False}))


def test_a_dilated_kernel_is_measured_by_its_span():
    e = only(mlp({"type": "Conv2d", "out_channels": 2, "kernel_size": 3, "dilation": 4}, shape=(1, 5, 5)))
    assert e["message"] == ("layer 1 (Conv2d): kernel_size 3 with dilation 4 spans 9 × 9, "
                            "more than its 5 × 5 input (with padding 0)")
