"""The palette and the JSON Schema are read from the registry and describe every layer type."""
import json

from playground.nets import LAYERS, layer_palette, spec_json_schema

REQUIRED_TYPES = {
    "Linear", "Conv1d", "Conv2d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "BatchNorm1d", "BatchNorm2d",
    "LayerNorm", "Dropout", "Dropout2d", "Flatten", "Embedding", "OneHot", "RNN", "LSTM", "GRU", "ReLU", "LeakyReLU",
    "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "Residual", "Parallel",
}


def test_the_palette_lists_every_required_type_once():
    types = [entry["type"] for entry in json.loads(json.dumps(layer_palette()))]
    assert sorted(types) == sorted(REQUIRED_TYPES) == sorted(LAYERS)


def test_each_type_has_a_description_a_category_and_described_arguments():
    for entry in layer_palette():
        assert entry["description"].endswith(".") and "\n" not in entry["description"], entry
        assert entry["category"] in {"dense", "conv", "pool", "norm", "regularisation", "recurrent",
                                     "activation", "block", "embedding", "reshape"}
        for arg in entry["args"]:
            assert set(arg) == {"name", "type", "default", "min", "max", "choices", "required"}


def test_arguments_carry_their_bounds_and_choices():
    args = {e["type"]: {a["name"]: a for a in e["args"]} for e in layer_palette()}
    assert args["Conv2d"]["kernel_size"] == {"name": "kernel_size", "type": "int_or_pair", "default": None,
                                             "min": 1, "max": 15, "choices": None, "required": True}
    assert args["Conv2d"]["padding"]["choices"] == ["same", "valid"]
    assert args["RNN"]["nonlinearity"]["choices"] == ["tanh", "relu"]
    assert args["Dropout"]["p"] == {"name": "p", "type": "float", "default": 0.5, "min": 0, "max": 1,
                                    "choices": None, "required": False}
    assert args["ReLU"] == {}
    assert args["Parallel"]["branches"]["type"] == "branches"


def test_the_palette_says_which_sizes_are_worked_out():
    inferred = {e["type"]: e["inferred"] for e in layer_palette()}
    assert inferred["Conv2d"] == ["in_channels"] and inferred["Linear"] == ["in_features"]
    assert inferred["LSTM"] == ["input_size"] and inferred["LayerNorm"] == ["normalized_shape"]


def test_the_schema_is_json_and_names_every_type():
    schema = json.loads(json.dumps(spec_json_schema()))
    options = schema["$defs"]["layers"]["items"]["oneOf"]
    assert {o["properties"]["type"]["const"] for o in options} == set(LAYERS)
    assert schema["required"] == ["input", "layers"]
    linear = next(o for o in options if o["title"] == "Linear")
    assert linear["required"] == ["type", "out_features"]
    assert linear["properties"]["out_features"] == {"type": "integer", "minimum": 1, "maximum": 4096}
    assert linear["additionalProperties"] is False
