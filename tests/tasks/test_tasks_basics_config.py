"""The Basics configuration refuses what it cannot train, naming the field, and describes every field."""
import pydantic
import pytest

from playground.tasks.basics import BasicsTask

Config = BasicsTask.Config


def refusal(**settings) -> tuple[str, str]:
    """The (field, message) of the first error this configuration gets."""
    with pytest.raises(pydantic.ValidationError) as caught:
        Config(**settings)
    error = caught.value.errors()[0]
    return ".".join(str(part) for part in error["loc"]), error["msg"]


def test_the_defaults_are_valid_and_plain_json():
    defaults = BasicsTask.default_config()
    assert defaults["dataset"] == "xor" and defaults["features"] == ["x1", "x2"]
    assert defaults["grid_size"] == 50 and defaults["points"] is None
    assert Config.model_validate(defaults) == Config()


def test_unknown_keys_are_refused():
    assert refusal(learning_rat=0.1)[0] == "learning_rat"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("n_points", 49), ("n_points", 2001), ("noise", -1), ("noise", 51), ("train_ratio", 9), ("train_ratio", 91),
        ("features", []), ("features", ["x3"]), ("hidden", [4] * 7), ("hidden", [0]), ("hidden", [9]),
        ("activation", "softmax"), ("learning_rate", 0), ("learning_rate", 10.5), ("optimizer", "rmsprop"),
        ("regularization", "l3"), ("regularization_rate", 1.5), ("regularization_rate", -0.1),
        ("batch_size", 0), ("epochs", 0), ("epochs", 5001), ("target_test_loss", -1), ("seed", -1),
        ("data_seed", 2**32), ("emit_every", 0), ("grid_every", 0), ("grid_size", 19), ("grid_size", 101),
        ("dataset", "moons"), ("problem", "ranking"),
    ],
)
def test_out_of_range_values_are_refused(field, value):
    assert refusal(**{field: value})[0].startswith(field)


def test_a_problem_must_suit_its_dataset():
    field, message = refusal(dataset="plane")
    assert field == "problem" and "regression" in message
    assert refusal(dataset="xor", problem="regression") == ("problem", "The xor dataset is a classification problem, not regression.")
    assert Config(dataset="plane", problem="regression").problem == "regression"


def test_points_go_with_the_custom_dataset_only():
    assert refusal(dataset="custom")[0] == "points"
    assert refusal(points=[[0, 0, 0], [1, 1, 1]]) == ("points", "Points are only used with the custom dataset.")
    config = Config(dataset="custom", points=[[0, 0, 0], [1, 1, 1]], batch_size=2)
    assert config.point_count == 2


def test_custom_points_are_checked_against_the_problem():
    assert refusal(dataset="custom", points=[[0, 0, 0], [1, 1, 0.5]]) == ("points", "Point 1 has label 0.5; classes are 0, 1 or 2.")
    field, message = refusal(dataset="custom", problem="regression", points=[[0, 0, 0], [1, 1, 2]])
    assert (field, "between -1 and 1" in message) == ("points", True)
    assert refusal(dataset="custom", points=[[0, 0, 0]] * 2001, batch_size=1)[0] == "points"


def test_the_batch_cannot_exceed_the_points():
    assert refusal(n_points=50, batch_size=51) == ("batch_size", "The batch size (51) cannot exceed the number of points (50).")
    assert refusal(dataset="custom", points=[[0, 0, 0], [1, 1, 1]], batch_size=3)[0] == "batch_size"


def test_features_may_not_repeat():
    assert refusal(features=["x1", "x1", "x2"]) == ("features", "Each feature may be chosen once; repeated: x1.")


def test_every_field_is_described_in_the_schema():
    schema = BasicsTask.schema()
    assert schema["title"] == "BasicsConfig" and schema["additionalProperties"] is False
    for name, field in schema["properties"].items():
        assert field.get("description"), name
    assert schema["properties"]["dataset"]["enum"] == ["circle", "xor", "gaussian", "spiral", "plane", "three", "custom"]


def test_net_spec_is_the_documented_format():
    spec = BasicsTask.net_spec(Config(hidden=[3], activation="relu", features=["x1", "x2", "x1sq"]))
    assert spec == {"version": 1, "input": {"shape": [3]}, "layers": [
        {"type": "Linear", "out_features": 3}, {"type": "ReLU"}, {"type": "Linear", "out_features": 1}]}
    assert BasicsTask.net_spec(Config(dataset="three", hidden=[], activation="linear"))["layers"] == [
        {"type": "Linear", "out_features": 3}]


def test_net_spec_passes_the_network_inspection():
    from playground.nets import inspect_net

    report = inspect_net(BasicsTask.net_spec(Config(hidden=[8, 8, 8, 8, 8, 8], features=["x1", "x2", "x1x2"])))
    assert report["output_shape"] == [1]
