"""LeNet-5, the network every student meets first, inspected as the docs promise."""
import math

from nets_world import spec

from playground.nets import inspect_net


def test_it_counts_lenets_61706_parameters():
    report = inspect_net(spec("lenet"))
    assert report["total_params"] == 61_706
    assert report["trainable_params"] == 61_706
    assert report["param_bytes"] == 4 * 61_706


def test_it_gives_each_layer_its_output_shape():
    shapes = {row["path"]: row["output_shape"] for row in inspect_net(spec("lenet"))["layers"]}
    assert shapes["0"] == [6, 28, 28]
    assert shapes["3"] == [16, 10, 10]
    assert shapes["5"] == [16, 5, 5]
    assert shapes["6"] == [400]
    assert shapes["11"] == [10]


def test_it_reports_what_the_api_documents():
    report = inspect_net(spec("lenet"), batch_size=32)
    assert report["layers"][0] == {"path": "0", "type": "Conv2d", "output_shape": [6, 28, 28],
                                   "params": 156, "macs": 117_600}
    assert report["input_shape"] == [1, 28, 28]
    assert report["output_shape"] == [10]
    assert report["total_macs"] == 416_520
    assert report["batch_size"] == 32


def test_activation_bytes_count_every_output_for_the_batch():
    single, batch = inspect_net(spec("lenet")), inspect_net(spec("lenet"), batch_size=32)
    values = sum(math.prod(row["output_shape"]) for row in single["layers"])
    assert single["activation_bytes"] == values * 4
    assert batch["activation_bytes"] == 32 * single["activation_bytes"]


def test_it_lists_the_params_of_each_weighted_layer():
    params = [row["params"] for row in inspect_net(spec("lenet"))["layers"] if row["params"]]
    assert params == [156, 2416, 48_120, 10_164, 850]
