"""Inspection holds against PyTorch: shapes, parameters and MACs of the real built module."""
import pytest
import torch
from nets_world import SPECS, assert_matches_torch, example, spec
from torch.utils.flop_counter import FlopCounterMode

from playground.nets import LAYERS, build_net, inspect_net


@pytest.mark.parametrize("name", SPECS)
def test_inspection_matches_the_built_module(name):
    assert_matches_torch(spec(name), inspect_net(spec(name)))


@pytest.mark.parametrize("name", SPECS)
def test_multiply_accumulates_match_torchs_flop_counter(name):
    """FlopCounterMode counts 2 FLOPs per MAC in matmuls and convolutions; it skips norms and fused LSTMs."""
    report = inspect_net(spec(name))
    counted = {"Linear", "Conv1d", "Conv2d", "RNN", "GRU"}
    expected = sum(row["macs"] for row in report["layers"] if row["type"] in counted)
    net = build_net(spec(name)).eval()
    with FlopCounterMode(display=False) as flops, torch.no_grad():
        net(example(spec(name), 3))
    assert flops.get_total_flops() == 2 * 3 * expected


def test_the_world_uses_every_layer_type():
    def types(layers):
        for layer in layers:
            yield layer["type"]
            for inner in [layer.get("layers", [])] + layer.get("branches", []):
                yield from types(inner)

    used = {t for s in SPECS.values() for t in types(s["layers"])}
    assert used == set(LAYERS)


def test_a_residual_block_of_the_same_shape_needs_no_projection():
    rows = inspect_net(spec("tiny_resnet"))["layers"]
    assert not any(row["path"] == "3.projection" for row in rows)
    block = next(row for row in rows if row["path"] == "3")
    assert block["type"] == "Residual" and block["output_shape"] == [8, 16, 16]
    assert block["params"] == sum(row["params"] for row in rows if row["path"].startswith("3.layers."))


def test_a_residual_block_that_shrinks_projects_with_a_strided_1x1_convolution():
    rows = {row["path"]: row for row in inspect_net(spec("tiny_resnet"))["layers"]}
    assert rows["4.projection"] == {"path": "4.projection", "type": "Conv2d", "output_shape": [16, 8, 8],
                                    "params": 8 * 16, "macs": 8 * 16 * 64}
    net = build_net(spec("tiny_resnet"))
    assert net[4].projection.stride == (2, 2) and net[4].projection.kernel_size == (1, 1)


def test_vectors_and_sequences_project_with_a_linear_layer():
    rows = {row["path"]: row for row in inspect_net(spec("sequence_residuals"))["layers"]}
    assert rows["0.projection"]["type"] == "Conv1d"
    assert rows["0"]["output_shape"] == [6, 5]
    assert rows["1.projection"]["type"] == "Linear"
    assert rows["1"]["output_shape"] == [6, 3]


def test_parallel_branches_concatenate_channels():
    rows = {row["path"]: row for row in inspect_net(spec("inception"))["layers"]}
    assert rows["0"]["output_shape"] == [4 + 6 + 2 + 3, 12, 12]  # the empty branch passes the input through


def test_blocks_list_their_layers_after_them():
    paths = [row["path"] for row in inspect_net(spec("nested"))["layers"]]
    assert paths == ["0", "0.layers.0", "0.layers.0.branches.0.0", "0.layers.0.branches.1.0", "0.layers.1",
                     "1", "1.branches.0.0", "1.branches.0.0.layers.0", "1.branches.0.0.projection",
                     "1.branches.1.0", "2", "3"]


def test_total_params_is_the_sum_of_top_level_rows():
    for name in SPECS:
        report = inspect_net(spec(name))
        assert report["total_params"] == sum(r["params"] for r in report["layers"] if "." not in r["path"])
        assert report["total_macs"] == sum(r["macs"] for r in report["layers"] if "." not in r["path"])


def test_recurrent_layers_output_the_whole_sequence():
    rows = {row["path"]: row for row in inspect_net(spec("bigru"))["layers"]}
    assert rows["1"]["output_shape"] == [12, 16]  # both directions, every step
    assert rows["3"]["output_shape"] == [12, 5]
    assert inspect_net(spec("char_lstm"))["output_shape"] == [20, 30]  # Linear acts at each step


def test_embedding_defaults_to_the_input_vocabulary():
    assert build_net(spec("char_lstm"))[0].num_embeddings == 30
    assert build_net(spec("bigru"))[0].num_embeddings == 12
